/*
 * Wall-clock times in an IANA time zone (a schedule's), with Intl only: the browser already knows
 * every zone's rules, so no date library is loaded for this.
 */

const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock reading of `ms` in `timeZone`. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const out: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** How far `timeZone` is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`, by the server's rule (its
 * `localToInstant`): a repeated time at its first occurrence; a time skipped by a DST jump at the
 * jump itself (01:30 on London's spring-forward day is 02:00 BST).
 */
export function zonedToEpoch(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offsets a day either side: around a transition, the one before and the one after.
  const candidates = [
    asUtc - offsetAt(asUtc - dayMs, timeZone),
    asUtc - offsetAt(asUtc + dayMs, timeZone),
  ].sort((a, b) => a - b);
  const readsAsAsked = (ms: number) => {
    const w = wallTime(ms, timeZone);
    return (
      w.year === year &&
      w.month === month &&
      w.day === day &&
      w.hour === hour &&
      w.minute === minute
    );
  };
  const valid = candidates.find(readsAsAsked);
  if (valid !== undefined) return valid;
  // Skipped: the transition lies between the candidates; find the first instant after it.
  let [lo, hi] = candidates as [number, number];
  const before = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Midnight at the start of the day `ms` falls in, in `timeZone`. */
export function startOfDay(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return zonedToEpoch(w.year, w.month, w.day, 0, 0, timeZone);
}

/** The same wall-clock time `days` later in `timeZone` (23 or 25 hours across DST). */
export function addDays(ms: number, days: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return zonedToEpoch(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    w.hour,
    w.minute,
    timeZone,
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of today in `timeZone`. */
export function todayIn(timeZone: string, now = Date.now()): string {
  const w = wallTime(now, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The value of an `<input type="datetime-local">` showing `ms` in `timeZone`. */
export function toZonedInput(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Epoch ms of an `<input type="datetime-local">` value read in `timeZone`; null if invalid. */
export function fromZonedInput(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return zonedToEpoch(y, mo, d, h, mi, timeZone);
}

const displayFormats = new Map<string, Intl.DateTimeFormat>();

function displayFormat(timeZone: string, kind: 'dateTime' | 'day'): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let format = displayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      undefined,
      kind === 'dateTime'
        ? {
            timeZone,
            weekday: 'short',
            month: 'short',
            day: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
          }
        : { timeZone, weekday: 'short', day: 'numeric' },
    );
    displayFormats.set(key, format);
  }
  return format;
}

/** "Mon, Mar 2, 09:00" in `timeZone`. */
export function formatInZone(ms: number, timeZone: string): string {
  return displayFormat(timeZone, 'dateTime').format(new Date(ms));
}

/** "Mon 2": a day column's heading. */
export function formatDayInZone(ms: number, timeZone: string): string {
  return displayFormat(timeZone, 'day').format(new Date(ms));
}

/** "Mon, Mar 2, 09:00 – Mon, Mar 9, 09:00 (Europe/Berlin)" */
export function formatRangeInZone(start: number, end: number, timeZone: string): string {
  return `${formatInZone(start, timeZone)} – ${formatInZone(end, timeZone)} (${timeZone})`;
}

/** The browser's own time zone. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

let zoneList: string[] | null = null;

/** Every IANA zone the browser knows, UTC and the browser's own included. */
export function timeZoneNames(): string[] {
  if (!zoneList) {
    const names = new Set(Intl.supportedValuesOf('timeZone'));
    names.add('UTC');
    names.add(browserTimeZone());
    zoneList = [...names].sort();
  }
  return zoneList;
}
