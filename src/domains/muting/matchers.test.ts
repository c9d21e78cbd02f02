import { describe, expect, it } from 'vitest';
import { checkedMatchersSchema, maxPatternSize, patternSize } from './matchers.js';

describe('patternSize', () => {
  it('counts atoms, groups and counted repetitions', () => {
    expect(patternSize('abc')).toBe(3);
    expect(patternSize('a|b')).toBe(2);
    expect(patternSize('[a-z]+')).toBe(1);
    expect(patternSize('\\d{3}')).toBe(3);
    expect(patternSize('x{1000}')).toBe(1000);
    expect(patternSize('x{2,5}')).toBe(5);
    expect(patternSize('(ab){10}')).toBe(30);
    expect(patternSize('((a{10}){10}){10}')).toBeGreaterThanOrEqual(1000);
    expect(patternSize('x{1000}'.repeat(139))).toBe(139_000);
  });

  it('keeps ordinary Alertmanager patterns small', () => {
    for (const p of [
      '(?i)disk.*',
      'api|web|db-[0-9]+',
      '^prod-(eu|us)-\\w+$',
      '\\p{Greek}+',
      '[]a]',
    ])
      expect(patternSize(p)).toBeLessThan(50);
  });
});

describe('checkedMatchersSchema', () => {
  const regex = (value: string) => ({ name: 'host', value, isRegex: true });

  it('refuses a regex too large to compile quickly, before compiling it', () => {
    const r = checkedMatchersSchema.safeParse([regex('x{1000}'.repeat(6))]);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: [0, 'value'] });
    expect(r.error!.issues[0]!.message).toMatch(/too large/);
  });

  it('refuses a list whose regexes are too large together', () => {
    const each = 'x{1000}'.repeat(maxPatternSize / 1000);
    const r = checkedMatchersSchema.safeParse(Array.from({ length: 50 }, () => regex(each)));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toContainEqual([4, 'value']);
  });

  it('accepts a usual regex and names a bad one', () => {
    expect(checkedMatchersSchema.safeParse([regex('(?i)disk.*')]).success).toBe(true);
    const bad = checkedMatchersSchema.safeParse([regex('(unclosed')]);
    expect(bad.error!.issues[0]!.message).toMatch(/not a valid regular expression/);
  });
});

describe('matcher sizes', () => {
  it('takes names and values as long as the labels ingest stores, and no longer', () => {
    const m = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
    expect(checkedMatchersSchema.safeParse([m('n'.repeat(256), 'v'.repeat(4096))]).success).toBe(
      true,
    );
    expect(checkedMatchersSchema.safeParse([m('n'.repeat(257), 'v')]).success).toBe(false);
    expect(checkedMatchersSchema.safeParse([m('n', 'v'.repeat(4097))]).success).toBe(false);
  });
});
