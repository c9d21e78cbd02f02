import { RE2JS } from 're2js';
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

const regexCache = new Map<string, RE2JS | null>();

/**
 * The regex for a matcher value; null for an invalid pattern (matches nothing). RE2, as
 * Alertmanager (Go's regexp): its syntax (`(?i)` and the rest), and matching in time linear in
 * the value, so no pattern a responder types can stall ingesting (JavaScript's backtracking
 * engine takes exponential time on `(a+)+b`).
 */
function compiled(pattern: string): RE2JS | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Why `pattern` does not compile, or undefined when it does. */
export function patternError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** True when `pattern` compiles as a regex. */
export function isValidPattern(pattern: string): boolean {
  return compiled(pattern) !== null;
}

/** Matchers whose regexes compile; a bad one is named by its path (`<list>.<i>.value`). */
export const checkedMatchersSchema = matchersSchema.min(1).superRefine((ms, ctx) => {
  ms.forEach((m, i) => {
    const error = m.isRegex ? patternError(m.value) : undefined;
    if (error !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [i, 'value'],
        message: `not a valid regular expression (RE2 syntax, as in Alertmanager): ${error}`,
      });
  });
});

/** True when one matcher holds for the labels. */
export function matcherHolds(m: Matcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  // `matches` is anchored at both ends, as Alertmanager's regex matchers are.
  const hit = m.isRegex ? (compiled(m.value)?.matches(value) ?? false) : value === m.value;
  return m.isEqual ? hit : !hit;
}

/** True when every matcher holds (an empty list matches everything). */
export function allMatch(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matcherHolds(m, labels));
}
