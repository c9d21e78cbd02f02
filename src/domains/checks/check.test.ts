import { describe, expect, it } from 'vitest';
import {
  deadlineAfterMiss,
  deadlineAfterPing,
  decideOnResult,
  downEvent,
  hashHeartbeatToken,
  newHeartbeatToken,
  nextSlot,
  phaseOffset,
  upEvent,
  type Streak,
} from './check.js';

const fresh: Streak = {
  state: 'unknown',
  failures: 0,
  failingSince: null,
  successes: 0,
  passingSince: null,
};

/** Applies results in order; returns the final streak and the transitions seen. */
function run(results: Array<[number, boolean]>, t = { failuresToAlert: 3, successesToResolve: 2 }) {
  let s = fresh;
  const transitions: unknown[] = [];
  for (const [at, ok] of results) {
    const d = decideOnResult(s, t, { at, ok });
    s = d.next;
    if (d.transition) transitions.push(d.transition);
  }
  return { s, transitions };
}

describe('checks: scheduling', () => {
  it('spreads start times over the interval by id, the same every time', () => {
    const offsets = Array.from({ length: 2000 }, (_, i) => phaseOffset(`check-${i}`, 30_000));
    expect(phaseOffset('check-1', 30_000)).toBe(offsets[1]);
    // Ten 3-second bins each hold about a tenth of the checks.
    const bins = new Array(10).fill(0);
    for (const o of offsets) bins[Math.floor(o / 3000)]++;
    for (const b of bins) expect(b).toBeGreaterThan(140);
    for (const b of bins) expect(b).toBeLessThan(260);
  });

  it('finds the next slot on the grid and skips the missed ones', () => {
    expect(nextSlot(1000, 10_000, 3000)).toBe(3000);
    expect(nextSlot(3000, 10_000, 3000)).toBe(13_000);
    expect(nextSlot(12_999, 10_000, 3000)).toBe(13_000);
    // Fell 35 s behind: the next slot after now, not the three missed ones.
    expect(nextSlot(48_000, 10_000, 3000)).toBe(53_000);
  });
});

describe('checks: confirmation', () => {
  it('goes down after N consecutive failures, dated from the first of them', () => {
    const { s, transitions } = run([
      [0, true],
      [10, false],
      [20, false],
      [30, false],
    ]);
    expect(transitions).toEqual([{ to: 'first-up' }, { to: 'down', since: 10 }]);
    expect(s).toMatchObject({ state: 'down', failures: 3, failingSince: 10 });
  });

  it('ignores a blip shorter than the confirmation count', () => {
    const { s, transitions } = run([
      [0, true],
      [10, false],
      [20, false],
      [30, true],
      [40, false],
      [50, false],
    ]);
    expect(transitions).toEqual([{ to: 'first-up' }]);
    expect(s).toMatchObject({ state: 'up', failures: 2, failingSince: 40 });
  });

  it('comes back up after N successes, the outage ending at the first of them', () => {
    const { s, transitions } = run([
      [10, false],
      [20, false],
      [30, false],
      [40, true],
      [50, false], // the recovery did not hold: still down
      [60, true],
      [70, true],
    ]);
    expect(transitions).toEqual([
      { to: 'down', since: 10 },
      { to: 'up', since: 60 },
    ]);
    expect(s).toMatchObject({ state: 'up', successes: 2, passingSince: 60, failures: 0 });
  });

  it('with thresholds of 1, every change is immediate', () => {
    const { transitions } = run(
      [
        [0, false],
        [1, true],
        [2, false],
      ],
      { failuresToAlert: 1, successesToResolve: 1 },
    );
    expect(transitions).toEqual([
      { to: 'down', since: 0 },
      { to: 'up', since: 1 },
      { to: 'down', since: 2 },
    ]);
  });
});

describe('checks: heartbeats', () => {
  const every = { intervalMs: 60_000, graceMs: 30_000, cron: null, timeZone: 'UTC' };
  it('expects the next ping one interval plus the grace after the last', () => {
    expect(deadlineAfterPing(every, 1_000_000)).toBe(1_090_000);
    expect(deadlineAfterMiss(every, 1_090_000)).toBe(1_150_000);
  });

  it('with cron, expects a ping by each scheduled time plus the grace', () => {
    const nightly = { intervalMs: 0, graceMs: 600_000, cron: '0 3 * * *', timeZone: 'UTC' };
    const ping = Date.parse('2026-03-01T03:02:00Z');
    expect(new Date(deadlineAfterPing(nightly, ping)!).toISOString()).toBe(
      '2026-03-02T03:10:00.000Z',
    );
    const missed = Date.parse('2026-03-02T03:10:00Z');
    expect(new Date(deadlineAfterMiss(nightly, missed)!).toISOString()).toBe(
      '2026-03-03T03:10:00.000Z',
    );
  });

  it('stores only a hash of the token', () => {
    const t = newHeartbeatToken();
    expect(t.token.length).toBeGreaterThanOrEqual(32);
    expect(t.hash).toBe(hashHeartbeatToken(t.token));
    expect(t.hash).not.toContain(t.token);
    expect(t.prefix).toBe(t.token.slice(0, 6));
  });
});

describe('checks: pipeline events', () => {
  const c = {
    id: 'c1',
    name: 'Shop',
    kind: 'http' as const,
    severity: 'critical' as const,
    target: 'https://shop.test/',
  };
  it('triggers and resolves under one dedup key carrying the check', () => {
    const down = downEvent(c, { since: 5, failures: 3, error: 'HTTP 503' });
    expect(down).toMatchObject({
      action: 'trigger',
      dedupKey: 'check:c1',
      severity: 'critical',
      summary: 'Shop is down: HTTP 503',
      occurredAt: 5,
      labels: { alertname: 'CheckDown', check: 'Shop', check_id: 'c1', check_kind: 'http' },
    });
    expect(upEvent(c, 'is up again')).toMatchObject({ action: 'resolve', dedupKey: 'check:c1' });
  });
});
