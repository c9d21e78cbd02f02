import { describe, expect, it } from 'vitest';
import { uptimeOver, type CheckPeriod } from './uptime.js';

const hour = 3_600_000;
const day = 24 * hour;

describe('uptime from periods', () => {
  const down = (startedAt: number, endedAt: number | null): CheckPeriod => ({
    kind: 'down',
    startedAt,
    endedAt,
  });

  it('is the share of monitored time not inside an outage, to the millisecond', () => {
    const u = uptimeOver([down(10 * hour, 10 * hour + 123_456)], { from: 0, to: day }, 0, day);
    expect(u.monitoredMs).toBe(day);
    expect(u.downMs).toBe(123_456);
    expect(u.uptimePercent).toBeCloseTo((100 * (day - 123_456)) / day, 12);
    expect(u.downtimes).toBe(1);
  });

  it('clips outages to the range and counts an ongoing one until now', () => {
    const periods = [down(-hour, hour), down(20 * hour, null)];
    const u = uptimeOver(periods, { from: 0, to: day }, -day, 22 * hour);
    expect(u.monitoredMs).toBe(22 * hour); // not beyond now
    expect(u.downMs).toBe(hour + 2 * hour);
    expect(u.downtimes).toBe(2);
  });

  it('does not count time before the check existed or while paused', () => {
    const periods: CheckPeriod[] = [
      { kind: 'paused', startedAt: 12 * hour, endedAt: 18 * hour },
      down(20 * hour, 21 * hour),
    ];
    const u = uptimeOver(periods, { from: 0, to: day }, 6 * hour, day);
    expect(u.monitoredMs).toBe(18 * hour - 6 * hour);
    expect(u.downMs).toBe(hour);
    expect(u.uptimePercent).toBeCloseTo((100 * 11) / 12, 12);
  });

  it('merges overlapping outages instead of counting them twice', () => {
    const u = uptimeOver([down(0, 2 * hour), down(hour, 3 * hour)], { from: 0, to: day }, 0, day);
    expect(u.downMs).toBe(3 * hour);
  });

  it('has no figure when nothing was monitored', () => {
    expect(uptimeOver([], { from: 0, to: hour }, 2 * hour, 3 * hour).uptimePercent).toBeNull();
  });
});
