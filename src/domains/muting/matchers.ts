import { RE2JS } from 're2js';
import { z } from 'zod';

/*
 * Label matchers, as Alertmanager has them: `name = value`, `name != value`, `name =~ regex`,
 * `name !~ regex`. A regex is anchored (must match the whole value). A missing label matches as
 * the empty string, so `team != ""` means "has a team label". Silences, inhibition rules and
 * event rules all use these.
 */

// As long as the label names and values ingest accepts (src/integrations/sources/limits.ts), so
// every stored label can be matched exactly.
export const matcherSchema = z.object({
  name: z.string().min(1).max(256),
  value: z.string().max(4096),
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

/** Largest expanded size (see `patternSize`) of one matcher's regex, and of one list's. */
export const maxPatternSize = 5_000;
export const maxPatternSizeOfList = 20_000;

/**
 * About how many instructions RE2 compiles `pattern` into: atoms count 1, a group the sum of
 * its parts, a counted repetition (`{n}`, `{n,m}`, `{n,}`) multiplies what it repeats. Compiling
 * costs time in proportion (re2js took ~0.8 s for `x{1000}` written 139 times, on the one
 * thread that also ingests), so a pattern is refused by its size before it is compiled. Errs
 * on the large side; syntax errors are left to the compiler.
 */
export function patternSize(pattern: string): number {
  const stack: { total: number; last: number }[] = [{ total: 0, last: 0 }];
  const top = () => stack[stack.length - 1]!;
  const atom = (size: number) => {
    top().total += size;
    top().last = size;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      i++;
      // \p{Greek}, \x{263a}: skip the braces with the escape.
      if ((next === 'p' || next === 'P' || next === 'x') && pattern[i + 1] === '{') {
        const close = pattern.indexOf('}', i + 1);
        i = close === -1 ? pattern.length : close;
      }
      atom(1);
    } else if (c === '[') {
      // A class is one atom: find its end (a leading ']' or '^]' is literal; escapes skip).
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      atom(1);
    } else if (c === '(') {
      stack.push({ total: 0, last: 0 });
    } else if (c === ')') {
      if (stack.length > 1) {
        const group = stack.pop()!;
        atom(group.total + 1);
      }
    } else if (c === '{') {
      const m = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(pattern.slice(i, i + 16));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? min + 1 : Number(m[3]);
        const t = top();
        t.total += t.last * (Math.max(min, max, 1) - 1);
        t.last *= Math.max(min, max, 1);
        i += m[0].length - 1;
      } else atom(1);
    } else if (c === '|') {
      top().last = 0;
    } else if (c !== '*' && c !== '+' && c !== '?') {
      atom(1);
    }
  }
  while (stack.length > 1) {
    const group = stack.pop()!;
    atom(group.total + 1);
  }
  return top().total;
}

/**
 * Matchers whose regexes compile; a bad one is named by its path (`<list>.<i>.value`). A
 * regex too large to compile quickly is refused before compiling, and so is a list whose
 * regexes together are (a request that fails its length checks compiles nothing).
 */
export const checkedMatchersSchema = matchersSchema.min(1).superRefine((ms, ctx) => {
  let listSize = 0;
  ms.forEach((m, i) => {
    if (!m.isRegex || m.value.length > 1000) return;
    const size = patternSize(m.value);
    listSize += size;
    const error =
      size > maxPatternSize
        ? `too large: it expands to about ${size} steps, at most ${maxPatternSize} are allowed`
        : listSize > maxPatternSizeOfList
          ? `too large together with the regexes before it (at most ${maxPatternSizeOfList} steps in all)`
          : patternError(m.value);
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
