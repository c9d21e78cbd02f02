import { Temporal } from 'temporal-polyfill';

/*
 * Local wall-clock time → instant, with the rules docs/oncall.md promises:
 * - a time that exists once maps to it;
 * - a time in a repeated hour (autumn) maps to its FIRST occurrence;
 * - a time in a skipped hour (spring) maps to the first valid instant after it, which is the
 *   transition itself (a 02:30 handoff on the night clocks jump 02:00 → 03:00 happens at 03:00).
 * Temporal's own 'compatible' mode would give 03:30 for the skipped case, hence this function.
 */

const zoneCache = new Map<string, boolean>();

/** True for an IANA zone name Temporal knows. */
export function isValidTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      Temporal.Now.zonedDateTimeISO(tz);
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

/** Epoch milliseconds of `date` at wall time `time` (HH:MM) in `tz`, by the rules above. */
export function localToInstant(date: Temporal.PlainDate, time: string, tz: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const pdt = date.toPlainDateTime({ hour: h, minute: m });
  const earlier = pdt.toZonedDateTime(tz, { disambiguation: 'earlier' });
  const later = pdt.toZonedDateTime(tz, { disambiguation: 'later' });
  if (
    earlier.epochMilliseconds === later.epochMilliseconds ||
    earlier.toPlainDateTime().equals(pdt)
  ) {
    // Exists (once, or twice: `earlier` is then the first occurrence).
    return earlier.epochMilliseconds;
  }
  // Skipped: `earlier` lies before the gap; the next transition is the first valid instant.
  const transition = earlier.getTimeZoneTransition('next');
  return transition ? transition.epochMilliseconds : later.epochMilliseconds;
}

/** The local calendar date of an instant in `tz`. */
export function localDate(epochMs: number, tz: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(tz).toPlainDate();
}

/** True for `YYYY-MM-DD` naming a real calendar date (not `2026-02-31`, not `0000-13-45`). */
export function isValidPlainDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    Temporal.PlainDate.from({ year: y, month: m, day: d }, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** Parses `YYYY-MM-DD`. */
export function plainDate(text: string): Temporal.PlainDate {
  return Temporal.PlainDate.from(text);
}

/** Local ISO string of an instant (for docs, tests and iCal). */
export function localIso(epochMs: number, tz: string): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs)
    .toZonedDateTimeISO(tz)
    .toString({ timeZoneName: 'never', offset: 'never' });
}
