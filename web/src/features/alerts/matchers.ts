import type { Matcher } from '../../api/types';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export const MATCH_OPERATORS: readonly MatchOperator[] = ['=', '!=', '=~', '!~'];

export const OPERATOR_OPTIONS = [
  { value: '=', label: '= equals' },
  { value: '!=', label: '!= differs' },
  { value: '=~', label: '=~ matches regex' },
  { value: '!~', label: '!~ does not match regex' },
];

export function isMatchOperator(value: string): value is MatchOperator {
  return (MATCH_OPERATORS as readonly string[]).includes(value);
}

export function operatorOf(m: Pick<Matcher, 'isRegex' | 'isEqual'>): MatchOperator {
  if (m.isRegex) return m.isEqual ? '=~' : '!~';
  return m.isEqual ? '=' : '!=';
}

/** A matcher as Alertmanager writes it: `alertname="HighLatency"`, `env=~"prod.*"`. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${operatorOf(m)}${JSON.stringify(m.value)}`;
}

/** One row of a matcher form; `key` identifies the row across edits. */
export interface MatcherRow {
  key: number;
  name: string;
  operator: MatchOperator;
  value: string;
}

let nextRowKey = 1;

export function newMatcherRow(name = '', value = '', operator: MatchOperator = '='): MatcherRow {
  return { key: nextRowKey++, name, operator, value };
}

/** Rows for equality matchers on every label (for "silence similar alerts"). */
export function rowsFromLabels(labels: Record<string, string>): MatcherRow[] {
  const rows = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => newMatcherRow(name, value));
  return rows.length ? rows : [newMatcherRow()];
}

export function toMatcher(row: MatcherRow): Matcher {
  return {
    name: row.name.trim(),
    value: row.value,
    isRegex: row.operator === '=~' || row.operator === '!~',
    isEqual: row.operator === '=' || row.operator === '=~',
  };
}

/** Every row as a matcher, in order (so that `matchers.2.value` errors land on row 3). */
export function toMatchers(rows: readonly MatcherRow[]): Matcher[] {
  return rows.map(toMatcher);
}

/** The rows complete enough to ask the server about (a name at least). */
export function completeMatchers(rows: readonly MatcherRow[]): Matcher[] {
  return rows.filter((r) => r.name.trim() !== '').map(toMatcher);
}
