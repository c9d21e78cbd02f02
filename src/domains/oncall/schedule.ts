import { Temporal } from 'temporal-polyfill';
import { isValidPlainDate, localDate, localToInstant, plainDate } from './time-zone.js';

/*
 * Schedules as pure functions over plain data (DESIGN.md convention 2, GoAlert's habit): who is
 * on call, and the final shifts for any range, computed from layers and overrides without a
 * database. Times are epoch milliseconds; wall-clock rules (handoffs, restrictions) are read in
 * the schedule's time zone. docs/oncall.md states the rules; schedule.test.ts checks them.
 */

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** How a layer rotates. Day-based lengths follow the wall clock; hour-based ones absolute time. */
export interface Rotation {
  kind: 'hourly' | 'daily' | 'weekly' | 'custom';
  /** For `custom`: how many units one shift lasts. */
  length?: number | undefined;
  /** For `custom`: hours (absolute) or days (wall clock). */
  unit?: 'hours' | 'days' | undefined;
  /** Local handoff time, `HH:MM`. For weekly rotations the weekday is the start date's. */
  handoffTime: string;
}

/** Limits a layer to times of day, or to a span of the week (both in the schedule's zone). */
export type Restriction =
  | { kind: 'daily'; start: string; end: string }
  | { kind: 'weekly'; startDay: number; start: string; endDay: number; end: string };

export interface Layer {
  id: string;
  name: string;
  /** Higher positions override lower ones wherever they have someone. */
  position: number;
  /** User ids in rotation order; the first is on call from the start date's handoff. */
  participants: string[];
  rotation: Rotation;
  /** Local date of the first handoff, `YYYY-MM-DD`. */
  startDate: string;
  restrictions: Restriction[];
}

/** "This person instead, for this window." Always wins over layers; a later override wins over an earlier one. */
export interface Override {
  id: string;
  userId: string;
  start: number;
  end: number;
}

export interface ScheduleDefinition {
  timeZone: string;
  layers: Layer[];
  overrides: Override[];
}

/** A span of time with one person on call. */
export interface Shift {
  userId: string;
  start: number;
  end: number;
  /** Where it came from: a layer or an override. */
  layerId?: string | undefined;
  overrideId?: string | undefined;
}

/** Shift length of a rotation: in days (wall clock) or hours (absolute). */
function period(rotation: Rotation): { days: number } | { hours: number } {
  switch (rotation.kind) {
    case 'hourly':
      return { hours: 1 };
    case 'daily':
      return { days: 1 };
    case 'weekly':
      return { days: 7 };
    case 'custom':
      return rotation.unit === 'hours'
        ? { hours: rotation.length ?? 1 }
        : { days: rotation.length ?? 1 };
  }
}

/**
 * A layer's handoffs as a function of k (k may be negative for the time before the start date).
 * Hour-based rotations convert the first handoff once: the rest is arithmetic, which matters
 * for a year of hourly shifts.
 */
function handoffs(layer: Layer, tz: string): (k: number) => number {
  const p = period(layer.rotation);
  const start = plainDate(layer.startDate);
  const time = layer.rotation.handoffTime;
  if ('days' in p) return (k) => localToInstant(start.add({ days: k * p.days }), time, tz);
  const first = localToInstant(start, time, tz);
  return (k) => first + k * p.hours * hourMs;
}

/** The k-th handoff of a layer (k may be negative for the time before the start date). */
export function handoffAt(layer: Layer, k: number, tz: string): number {
  return handoffs(layer, tz)(k);
}

/** The index of the handoff at or before `at`. */
function handoffIndex(layer: Layer, handoff: (k: number) => number, at: number): number {
  const p = period(layer.rotation);
  const approx = 'days' in p ? p.days * dayMs : p.hours * hourMs;
  let k = Math.floor((at - handoff(0)) / approx);
  while (handoff(k) > at) k--;
  while (handoff(k + 1) <= at) k++;
  return k;
}

/**
 * True when a layer can be computed at all. Input validation refuses a start date that is no
 * calendar date, but rows stored before it did exist; such a layer has nobody on call (lower
 * layers show through) rather than failing every view and escalation over its schedule.
 */
export function isUsableLayer(layer: Pick<Layer, 'startDate'>): boolean {
  return isValidPlainDate(layer.startDate);
}

/** Rotation shifts of a layer within [from, to), before restrictions. Nothing before the start. */
export function rotationShifts(layer: Layer, tz: string, from: number, to: number): Shift[] {
  const n = layer.participants.length;
  if (n === 0 || to <= from || !isUsableLayer(layer)) return [];
  const handoff = handoffs(layer, tz);
  const first = handoff(0);
  let k = Math.max(0, handoffIndex(layer, handoff, Math.max(from, first)));
  const shifts: Shift[] = [];
  for (let start = handoff(k); start < to; k++) {
    const end = handoff(k + 1);
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e > s)
      shifts.push({
        userId: layer.participants[((k % n) + n) % n]!,
        start: s,
        end: e,
        layerId: layer.id,
      });
    start = end;
  }
  return shifts;
}

/** The restriction windows that touch [from, to), as instants, sorted and merged. */
export function restrictionWindows(
  restrictions: Restriction[],
  tz: string,
  from: number,
  to: number,
): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  // Look back far enough that windows which began earlier and reach into the range are included:
  // a day for daily windows, a week for weekly spans.
  const lookback = restrictions.some((r) => r.kind === 'weekly') ? 7 : 1;
  const base = localDate(from, tz).subtract({ days: lookback });
  const last = localDate(to, tz).add({ days: 1 });
  // Day i after `base`, and its local midnight, each computed once. On a day without a
  // transition (midnight to midnight is 24 h) a wall time is midnight plus its minutes, which
  // spares a time-zone conversion per window edge; a day with one takes localToInstant's rules.
  const dates: Temporal.PlainDate[] = [];
  const midnights: number[] = [];
  const dateAt = (i: number) => (dates[i] ??= base.add({ days: i }));
  const midnight = (i: number) => (midnights[i] ??= localToInstant(dateAt(i), '00:00', tz));
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const instant = (i: number, hhmm: string) =>
    midnight(i + 1) - midnight(i) === dayMs
      ? midnight(i) + minutes(hhmm) * 60_000
      : localToInstant(dateAt(i), hhmm, tz);
  for (let i = 0; Temporal.PlainDate.compare(dateAt(i), last) <= 0; i++) {
    for (const r of restrictions) {
      if (r.kind === 'daily') {
        windows.push([instant(i, r.start), instant(r.end > r.start ? i : i + 1, r.end)]);
      } else if (dateAt(i).dayOfWeek === r.startDay) {
        let span = (r.endDay - r.startDay + 7) % 7;
        if (span === 0 && r.end <= r.start) span = 7;
        windows.push([instant(i, r.start), instant(i + span, r.end)]);
      }
    }
  }
  const clipped = windows
    .map(([s, e]): [number, number] => [Math.max(s, from), Math.min(e, to)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of clipped) {
    const prev = merged.at(-1);
    if (prev && w[0] <= prev[1]) prev[1] = Math.max(prev[1], w[1]);
    else merged.push([...w]);
  }
  return merged;
}

/**
 * A layer's shifts within [from, to), restrictions applied. Shifts and windows are both sorted
 * and disjoint, so one walk over the two lists intersects them: linear in shifts + windows
 * (a year of hourly shifts against 20 daily windows is ~9k × ~7k, which pairwise took seconds).
 */
export function layerShifts(layer: Layer, tz: string, from: number, to: number): Shift[] {
  const shifts = rotationShifts(layer, tz, from, to);
  if (layer.restrictions.length === 0) return shifts;
  const windows = restrictionWindows(layer.restrictions, tz, from, to);
  const out: Shift[] = [];
  let w = 0;
  for (const shift of shifts) {
    // Windows ending by this shift's start end before every later shift too.
    while (w < windows.length && windows[w]![1] <= shift.start) w++;
    for (let k = w; k < windows.length && windows[k]![0] < shift.end; k++) {
      const s = Math.max(shift.start, windows[k]![0]);
      const e = Math.min(shift.end, windows[k]![1]);
      if (e > s) out.push({ ...shift, start: s, end: e });
    }
  }
  return out;
}

/**
 * The final schedule for [from, to): at every instant, the newest override covering it, else the
 * highest layer with someone on call. Adjacent spans of the same person and source are merged.
 */
export function finalShifts(def: ScheduleDefinition, from: number, to: number): Shift[] {
  if (to <= from) return [];
  const layers = [...def.layers].sort((a, b) => b.position - a.position);
  const perLayer = layers.map((l) => layerShifts(l, def.timeZone, from, to));
  const overrides = def.overrides.filter((o) => o.end > from && o.start < to);
  const cuts = new Set<number>([from, to]);
  for (const shifts of perLayer) for (const s of shifts) cuts.add(s.start).add(s.end);
  for (const o of overrides) cuts.add(Math.max(o.start, from)).add(Math.min(o.end, to));
  const points = [...cuts].filter((c) => c >= from && c <= to).sort((a, b) => a - b);
  const cursors = perLayer.map(() => 0);
  const out: Shift[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let pick: Shift | undefined;
    for (let j = overrides.length - 1; j >= 0; j--) {
      const o = overrides[j]!;
      if (o.start <= a && o.end >= b) {
        pick = { userId: o.userId, start: a, end: b, overrideId: o.id };
        break;
      }
    }
    if (!pick) {
      for (let li = 0; li < perLayer.length; li++) {
        const shifts = perLayer[li]!;
        while (cursors[li]! < shifts.length && shifts[cursors[li]!]!.end <= a) cursors[li]!++;
        const s = shifts[cursors[li]!];
        if (s && s.start <= a && s.end >= b) {
          pick = { userId: s.userId, start: a, end: b, layerId: s.layerId };
          break;
        }
      }
    }
    if (!pick) continue;
    const prev = out.at(-1);
    if (
      prev &&
      prev.end === a &&
      prev.userId === pick.userId &&
      prev.layerId === pick.layerId &&
      prev.overrideId === pick.overrideId
    ) {
      prev.end = b;
    } else {
      out.push(pick);
    }
  }
  return out;
}

/** Who is on call at `at` (undefined when nobody is). */
export function whoIsOnCall(def: ScheduleDefinition, at: number): string | undefined {
  return finalShifts(def, at, at + 1)[0]?.userId;
}

/** A user's next shifts from `from`, looking ahead at most `horizonMs`. Merges layer/override boundaries. */
export function nextShiftsOf(
  def: ScheduleDefinition,
  userId: string,
  from: number,
  horizonMs: number,
  limit = 10,
): Shift[] {
  const mine = finalShifts(def, from, from + horizonMs).filter((s) => s.userId === userId);
  const merged: Shift[] = [];
  for (const s of mine) {
    const prev = merged.at(-1);
    if (prev && prev.end === s.start) prev.end = s.end;
    else merged.push({ userId, start: s.start, end: s.end });
  }
  return merged.slice(0, limit);
}
