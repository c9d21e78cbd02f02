import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { localToInstant } from '../../src/domains/oncall/time-zone.js';
import { addDays, startOfDay, zonedToEpoch } from '../../web/src/ui/zoned-time.js';

// The web UI turns a wall-clock time typed in a schedule's zone (an override's start) into an
// instant with Intl alone; it must agree with the server's rule (Temporal) at every DST edge.
const cases: Array<[string, string, string, string]> = [
  // zone, date, time, what it is
  ['Europe/London', '2026-10-25', '01:30', 'repeated (first occurrence)'],
  ['Europe/London', '2026-03-29', '01:30', 'skipped (the jump)'],
  ['America/New_York', '2026-11-01', '01:30', 'repeated'],
  ['America/New_York', '2026-03-08', '02:30', 'skipped'],
  ['Australia/Sydney', '2026-04-05', '02:30', 'repeated'],
  ['Australia/Sydney', '2026-10-04', '02:30', 'skipped'],
  ['Pacific/Chatham', '2026-04-05', '02:50', 'repeated, 45-minute offset'],
  ['Pacific/Chatham', '2026-09-27', '03:00', 'skipped, 45-minute offset'],
  ['Australia/Lord_Howe', '2026-04-05', '01:45', 'repeated, half-hour DST'],
  ['America/Sao_Paulo', '2018-11-04', '00:30', 'skipped midnight'],
  ['Asia/Kolkata', '2026-06-01', '09:00', 'no DST'],
  ['Europe/London', '2026-07-01', '09:00', 'ordinary summer day'],
];

describe('zonedToEpoch (web) agrees with localToInstant (server)', () => {
  for (const [tz, date, time, what] of cases) {
    it(`${tz} ${date} ${time}: ${what}`, () => {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const [h, min] = time.split(':').map(Number) as [number, number];
      expect(new Date(zonedToEpoch(y, m, d, h, min, tz)).toISOString()).toBe(
        new Date(localToInstant(Temporal.PlainDate.from(date), time, tz)).toISOString(),
      );
    });
  }

  it('keeps days 23 and 25 hours long across DST', () => {
    const tz = 'Europe/London';
    const sat = zonedToEpoch(2026, 3, 28, 9, 0, tz);
    expect(addDays(sat, 1, tz) - sat).toBe(23 * 3_600_000);
    const autumn = zonedToEpoch(2026, 10, 24, 9, 0, tz);
    expect(addDays(autumn, 1, tz) - autumn).toBe(25 * 3_600_000);
    expect(startOfDay(sat + 3_600_000, tz)).toBe(Date.UTC(2026, 2, 28, 0, 0));
  });
});
