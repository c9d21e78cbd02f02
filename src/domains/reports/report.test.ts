import { describe, expect, it } from 'vitest';
import {
  alertNameOf,
  availability,
  bucketStart,
  bucketsBetween,
  downtimeMinutesPerYear,
  pageHours,
  toCsv,
  trendOf,
  unionLength,
} from './report.js';

const t = (s: string) => Date.parse(s);

describe('report arithmetic', () => {
  it('buckets by UTC day and ISO week (Monday)', () => {
    expect(bucketStart(t('2026-03-11T17:30:00Z'), 'day')).toBe(t('2026-03-11T00:00:00Z'));
    expect(bucketStart(t('2026-03-11T17:30:00Z'), 'week')).toBe(t('2026-03-09T00:00:00Z'));
    expect(bucketStart(t('2026-03-15T23:59:00Z'), 'week')).toBe(t('2026-03-09T00:00:00Z'));
    expect(bucketsBetween(t('2026-03-10T12:00:00Z'), t('2026-03-24T00:00:00Z'), 'week')).toEqual([
      t('2026-03-09T00:00:00Z'),
      t('2026-03-16T00:00:00Z'),
      t('2026-03-23T00:00:00Z'),
    ]);
  });

  it('counts overlapping downtime once, clipped to the window', () => {
    expect(
      unionLength(
        [
          [0, 10],
          [5, 15],
          [20, 30],
          [-5, 2],
        ],
        0,
        25,
      ),
    ).toBe(20);
    expect(unionLength([], 0, 10)).toBe(0);
  });

  it('turns downtime into availability and a percentage into minutes a year', () => {
    expect(downtimeMinutesPerYear(99.998)).toBe(10.5);
    expect(downtimeMinutesPerYear(99.9)).toBe(525.6);
    expect(availability(30 * 60_000, 30 * 86_400_000)).toEqual({
      availabilityPct: 99.931,
      downtimeMinutes: 30,
      yearlyDowntimeMinutes: 365,
    });
    // An empty window (a service created after it ended): no data, not 100 %.
    expect(availability(0, 0)).toEqual({
      availabilityPct: null,
      downtimeMinutes: 0,
      yearlyDowntimeMinutes: null,
    });
  });

  it('classifies pages as working, off or sleep hours in the person’s time zone', () => {
    expect(pageHours(t('2026-03-10T10:00:00Z'), 'UTC')).toBe('work'); // Tuesday
    expect(pageHours(t('2026-03-10T19:00:00Z'), 'UTC')).toBe('off');
    expect(pageHours(t('2026-03-10T02:00:00Z'), 'UTC')).toBe('sleep');
    expect(pageHours(t('2026-03-14T12:00:00Z'), 'UTC')).toBe('off'); // Saturday
    // 10:00 UTC is 21:00 in Sydney (UTC+11): off hours there.
    expect(pageHours(t('2026-03-10T10:00:00Z'), 'Australia/Sydney')).toBe('off');
  });

  it('tells a rising trend from a falling or flat one', () => {
    expect(trendOf([1, 2, 3, 5, 8])).toBe('rising');
    expect(trendOf([8, 5, 3, 2, 1])).toBe('falling');
    expect(trendOf([4, 4, 5, 4, 4])).toBe('flat');
    expect(trendOf([0, 0, 0])).toBe('flat');
  });

  it('names alerts by alertname, else summary', () => {
    expect(alertNameOf('{"alertname":"DiskFull"}', 'Disk full on db-1')).toBe('DiskFull');
    expect(alertNameOf('{}', 'Disk full on db-1')).toBe('Disk full on db-1');
  });

  it('writes CSV with quoting and no formula injection', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          { a: 'x,y', b: 'say "hi"', c: 1.5 },
          { a: '=cmd()', b: null, c: -3 },
        ],
      ),
    ).toBe('a,b,c\r\n"x,y","say ""hi""",1.5\r\n\'=cmd(),,-3\r\n');
  });
});
