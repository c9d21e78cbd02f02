import type { Shift } from './schedule.js';

const dayMs = 24 * 3_600_000;

/** How far around a window the real bounds of a shift it clips are sought, in days. */
export const shiftLookDays = [1, 7, 35, 120, 400] as const;

const sameSpan = (a: Shift, b: Shift) =>
  a.userId === b.userId && a.layerId === b.layerId && a.overrideId === b.overrideId;

/**
 * Where a shift that `compute` clipped at `from` really began, so a shift is shown (and an
 * iCal event keeps its UID) the same whatever the window: the same person's span (same source)
 * covering `from`, computed over ever longer windows before it.
 */
export function realStart(
  compute: (from: number, to: number) => Shift[],
  first: Shift,
  from: number,
): number {
  if (first.start > from) return first.start;
  let start = first.start;
  for (const days of shiftLookDays) {
    const since = from - days * dayMs;
    const covering = compute(since, from + 1).find(
      (s) => s.start <= from && s.end > from && sameSpan(s, first),
    );
    if (!covering) return start;
    start = covering.start;
    if (start > since) return start;
  }
  return start;
}

/**
 * Where a shift that `compute` clipped at `to` really ends: the same person's span (same
 * source) covering the window's last instant, computed over ever longer windows after it.
 */
export function realEnd(
  compute: (from: number, to: number) => Shift[],
  last: Shift,
  to: number,
): number {
  if (last.end < to) return last.end;
  let end = last.end;
  for (const days of shiftLookDays) {
    const until = to + days * dayMs;
    const covering = compute(to - 1, until).find(
      (s) => s.start <= to - 1 && s.end >= to && sameSpan(s, last),
    );
    if (!covering) return end;
    end = covering.end;
    if (end < until) return end;
  }
  return end;
}
