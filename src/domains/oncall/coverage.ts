import { finalShifts, type ScheduleDefinition, type Shift } from './schedule.js';

/*
 * Coverage of a schedule, as pure functions over the final schedule (schedule.ts): the spans
 * where nobody is on call, and who comes on next. Instants are epoch milliseconds (UTC); the
 * wall-clock rules are applied by finalShifts in the schedule's zone.
 */

/** A span with nobody on call. */
export interface CoverageGap {
  start: number;
  end: number;
}

/** How far ahead `GET /api/schedules` looks for gaps, and how many it lists at most. */
export const gapWindowMs = 14 * 24 * 3_600_000;
export const maxGaps = 50;

/** The spans of [from, to) that `final` (sorted, disjoint shifts) leaves uncovered, at most `limit`. */
export function gapsIn(
  final: readonly Shift[],
  from: number,
  to: number,
  limit = maxGaps,
): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  let at = from;
  for (const s of final) {
    if (gaps.length >= limit) return gaps;
    if (s.start > at) gaps.push({ start: at, end: Math.min(s.start, to) });
    at = Math.max(at, s.end);
    if (at >= to) break;
  }
  if (at < to && gaps.length < limit) gaps.push({ start: at, end: to });
  return gaps;
}

/** The spans of [from, to) where nobody is on call (overrides and restrictions counted). */
export function coverageGaps(
  def: ScheduleDefinition,
  from: number,
  to: number,
  limit = maxGaps,
): CoverageGap[] {
  return to > from ? gapsIn(finalShifts(def, from, to), from, to, limit) : [];
}

/**
 * Who comes on call next after `at`, and when: the first shift after `at` that is not the
 * current person carrying on (a different person, or anyone after a gap). Looks `horizonMs`
 * ahead; undefined when nobody comes on within it.
 */
export function nextOnCall(
  def: ScheduleDefinition,
  at: number,
  horizonMs: number,
): { userId: string; start: number } | undefined {
  const shifts = finalShifts(def, at, at + horizonMs);
  let prev: Shift | undefined;
  for (const s of shifts) {
    const carriesOn = prev ? prev.end === s.start && prev.userId === s.userId : s.start === at;
    if (!carriesOn) return { userId: s.userId, start: s.start };
    prev = s;
  }
  return undefined;
}
