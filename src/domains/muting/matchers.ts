import { z } from 'zod';

/*
 * Label matchers, as Alertmanager has them: `name = value`, `name != value`, `name =~ regex`,
 * `name !~ regex`. A regex is anchored (must match the whole value). A missing label matches as
 * the empty string, so `team != ""` means "has a team label". Silences, inhibition rules and
 * event rules all use these.
 */

export const matcherSchema = z.object({
  name: z.string().min(1).max(200),
  value: z.string().max(1000),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});
export type Matcher = z.infer<typeof matcherSchema>;

export const matchersSchema = z.array(matcherSchema).max(50);

const regexCache = new Map<string, RegExp | null>();

/** The anchored regex for a matcher value; null for an invalid pattern (matches nothing). */
function anchored(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** True when `pattern` compiles as a regex. */
export function isValidPattern(pattern: string): boolean {
  return anchored(pattern) !== null;
}

/** True when one matcher holds for the labels. */
export function matcherHolds(m: Matcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  const hit = m.isRegex ? (anchored(m.value)?.test(value) ?? false) : value === m.value;
  return m.isEqual ? hit : !hit;
}

/** True when every matcher holds (an empty list matches everything). */
export function allMatch(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matcherHolds(m, labels));
}
