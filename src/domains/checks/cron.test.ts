import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron, type CronSchedule } from './cron.js';

const parse = (e: string): CronSchedule => {
  const r = parseCron(e);
  if (!r.ok) throw new Error(r.message);
  return r.schedule;
};
const next = (e: string, after: string, tz = 'UTC') => {
  const t = nextCronTime(parse(e), Date.parse(after), tz);
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron: parsing', () => {
  it('reads lists, ranges, steps, names and macros', () => {
    const s = parse('*/15 9-17 * jan,JUL mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parse('10/20 * * * *').minutes]).toEqual([10, 30, 50]);
    expect([...parse('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(parse('@daily')).toEqual(parse('0 0 * * *'));
    expect(parse('@hourly')).toEqual(parse('0 * * * *'));
  });

  it('refuses what is not cron, naming the field', () => {
    expect(parseCron('* * * *')).toMatchObject({ ok: false, message: /5 fields/ });
    expect(parseCron('60 * * * *')).toMatchObject({ ok: false, message: /minute/ });
    expect(parseCron('* 5-2 * * *')).toMatchObject({ ok: false, message: /hour/ });
    expect(parseCron('*/0 * * * *')).toMatchObject({ ok: false, message: /step/ });
    expect(parseCron('* * * foo *')).toMatchObject({ ok: false, message: /month/ });
    expect(parseCron('@fortnightly')).toMatchObject({ ok: false, message: /macro/ });
  });
});

describe('cron: next time', () => {
  it('finds the next minute, hour, day and month that match', () => {
    expect(next('0 3 * * *', '2026-03-01T02:59:00Z')).toBe('2026-03-01T03:00:00.000Z');
    expect(next('0 3 * * *', '2026-03-01T03:00:00Z')).toBe('2026-03-02T03:00:00.000Z');
    expect(next('*/5 * * * *', '2026-03-01T10:07:30Z')).toBe('2026-03-01T10:10:00.000Z');
    expect(next('0 0 1 * *', '2026-03-15T00:00:00Z')).toBe('2026-04-01T00:00:00.000Z');
    expect(next('30 12 29 2 *', '2026-01-01T00:00:00Z')).toBe('2028-02-29T12:30:00.000Z');
  });

  it('matches day of month OR day of week when both are restricted (Vixie cron)', () => {
    // 2026-03-02 is a Monday; the 13th is a Friday.
    expect(next('0 0 13 * 1', '2026-03-01T00:00:00Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(next('0 0 13 * 1', '2026-03-12T00:00:00Z')).toBe('2026-03-13T00:00:00.000Z');
    expect(next('0 0 * * 1', '2026-03-03T00:00:00Z')).toBe('2026-03-09T00:00:00.000Z');
  });

  it('reads wall-clock times in the zone, across DST', () => {
    expect(next('0 9 * * *', '2026-03-01T00:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-01T08:00:00.000Z',
    );
    // Berlin springs forward on 2026-03-29 at 02:00: 02:30 does not exist and moves an hour on.
    expect(next('30 2 * * *', '2026-03-29T00:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // …and falls back on 2026-10-25: 02:30 happens twice and fires once.
    const first = next('30 2 * * *', '2026-10-24T23:00:00Z', 'Europe/Berlin');
    expect(first).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 2 * * *', first!, 'Europe/Berlin')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('gives up on a date that never comes', () => {
    expect(next('0 0 31 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });
});
