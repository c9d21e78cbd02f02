import { describe, expect, it } from 'vitest';
import {
  componentStatus,
  contrastRatio,
  ipAllowed,
  overallStatus,
  statusOfChecks,
  statusOfIncident,
  uptimeBar,
  worstStatus,
} from './statuspage.js';
import { PublicCache } from './public-cache.js';
import { maintenanceMovedTo, nextMaintenanceStep } from './statuspages.service.js';
import type { EventRow } from './statuspages.store.js';

const hour = 3_600_000;
const day = 24 * hour;

describe('component status', () => {
  const none = {
    manualStatus: null,
    inMaintenance: false,
    incidents: [],
    checkStates: [],
    publicImpacts: [],
  };

  it('maps incident severity to a status', () => {
    expect(statusOfIncident({ status: 'triggered', severity: 'SEV1' })).toBe('major_outage');
    expect(statusOfIncident({ status: 'acknowledged', severity: 'SEV2' })).toBe('partial_outage');
    expect(statusOfIncident({ status: 'triggered', severity: 'SEV3' })).toBe(
      'degraded_performance',
    );
    expect(statusOfIncident({ status: 'triggered', severity: null })).toBe('degraded_performance');
    expect(statusOfIncident({ status: 'mitigated', severity: 'SEV1' })).toBe(
      'degraded_performance',
    );
    expect(statusOfIncident({ status: 'resolved', severity: 'SEV1' })).toBe('operational');
  });

  it('counts down checks: all down is major, some partial', () => {
    expect(statusOfChecks([])).toBe('operational');
    expect(statusOfChecks(['up', 'down'])).toBe('partial_outage');
    expect(statusOfChecks(['down', 'down'])).toBe('major_outage');
    expect(statusOfChecks(['unknown'])).toBe('operational');
  });

  it('takes the worst signal; maintenance and a hand-set status override', () => {
    expect(componentStatus(none)).toBe('operational');
    expect(
      componentStatus({
        ...none,
        incidents: [{ status: 'triggered', severity: 'SEV3' }],
        checkStates: ['down'],
      }),
    ).toBe('major_outage');
    expect(componentStatus({ ...none, publicImpacts: ['major'] })).toBe('partial_outage');
    expect(componentStatus({ ...none, checkStates: ['down'], inMaintenance: true })).toBe(
      'under_maintenance',
    );
    expect(
      componentStatus({ ...none, checkStates: ['down'], manualStatus: 'degraded_performance' }),
    ).toBe('degraded_performance');
    expect(worstStatus(['under_maintenance', 'operational'])).toBe('under_maintenance');
  });

  it('words the overall status like Statuspage', () => {
    expect(overallStatus([])).toEqual({
      indicator: 'none',
      description: 'All Systems Operational',
    });
    expect(overallStatus(['operational', 'degraded_performance']).indicator).toBe('minor');
    expect(overallStatus(['operational', 'partial_outage']).indicator).toBe('minor');
    expect(overallStatus(['operational', 'major_outage']).indicator).toBe('major');
    expect(overallStatus(['major_outage', 'major_outage'])).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
    expect(overallStatus(['operational'], ['critical']).indicator).toBe('major');
    expect(overallStatus(['under_maintenance']).indicator).toBe('maintenance');
  });
});

describe('uptime bars', () => {
  const now = Date.parse('2026-03-29T12:00:00Z'); // Europe/Paris went to summer time at 02:00

  it('splits days in the page time zone, DST days included', () => {
    const bar = uptimeBar([], { now, timeZone: 'Europe/Paris', days: 3, since: 0 });
    expect(bar.days.map((d) => d.date)).toEqual(['2026-03-27', '2026-03-28', '2026-03-29']);
    // Today: from local midnight (23:00 UTC the day before, still winter time) to now.
    const observed = 2 * day + (now - Date.parse('2026-03-28T23:00:00Z'));
    expect(bar.percent).toBe(100);
    const down = uptimeBar([{ from: now - hour, to: null, status: 'major_outage' }], {
      now,
      timeZone: 'Europe/Paris',
      days: 3,
      since: 0,
    });
    expect(down.percent).toBe(Math.round(((observed - hour) / observed) * 10_000) / 100);
    expect(down.days.at(-1)).toEqual({
      date: '2026-03-29',
      status: 'major_outage',
      outageMs: hour,
    });
  });

  it('counts only partial and major outages as down, once when they overlap', () => {
    const bar = uptimeBar(
      [
        { from: now - 10 * hour, to: now - 8 * hour, status: 'major_outage' },
        { from: now - 9 * hour, to: now - 7 * hour, status: 'partial_outage' },
        { from: now - 5 * hour, to: now - 4 * hour, status: 'degraded_performance' },
      ],
      { now, timeZone: 'UTC', days: 1, since: now - 12 * hour },
    );
    expect(bar.days[0]).toEqual({ date: '2026-03-29', status: 'major_outage', outageMs: 3 * hour });
    expect(bar.percent).toBe(75);
  });

  it('leaves days before the component existed without data', () => {
    const bar = uptimeBar([], { now, timeZone: 'UTC', days: 3, since: now - hour });
    expect(bar.days.map((d) => d.status)).toEqual([null, null, 'operational']);
  });
});

describe('access and colours', () => {
  it('matches addresses against CIDR ranges and single addresses', () => {
    expect(ipAllowed('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(ipAllowed('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipAllowed('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(ipAllowed('garbage', ['0.0.0.0/0'])).toBe(false);
  });

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1f5fbf', '#ffffff')).toBeGreaterThan(4.5);
    expect(contrastRatio('#ffff00', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('maintenance steps', () => {
  const base: EventRow = {
    id: 'm',
    page_id: 'p',
    kind: 'maintenance',
    incident_id: null,
    title: 't',
    status: 'scheduled',
    impact: 'maintenance',
    component_ids_json: '[]',
    scheduled_for: 10 * hour,
    scheduled_until: 12 * hour,
    auto_transition: 1,
    notify_before_ms: hour,
    notice_sent_at: null,
    next_at: null,
    started_at: null,
    resolved_at: null,
    created_by: null,
    created_at: 0,
    updated_at: 0,
  };

  it('goes notice → start → end, and stops when completed', () => {
    expect(nextMaintenanceStep(base)).toBe(9 * hour);
    expect(nextMaintenanceStep({ ...base, notice_sent_at: 9 * hour })).toBe(10 * hour);
    const started = maintenanceMovedTo(
      { ...base, notice_sent_at: 9 * hour },
      'in_progress',
      10 * hour,
    );
    expect(started.started_at).toBe(10 * hour);
    expect(started.next_at).toBe(12 * hour);
    const done = maintenanceMovedTo(started, 'completed', 12 * hour);
    expect(done.resolved_at).toBe(12 * hour);
    expect(done.next_at).toBeNull();
    expect(nextMaintenanceStep({ ...base, auto_transition: 0, notice_sent_at: 1 })).toBeNull();
  });
});

describe('public cache', () => {
  it('builds once for concurrent readers, serves stale while refreshing, and on errors', async () => {
    let now = 0;
    let builds = 0;
    let fail = false;
    let release: (() => void) | undefined;
    const cache = new PublicCache<string>({
      now: () => now,
      ttlMs: 1000,
      build: async (k) => {
        builds++;
        if (fail) throw new Error('store down');
        await new Promise<void>((r) => (release = r));
        return `${k}#${builds}`;
      },
    });
    const a = cache.get('x');
    const b = cache.get('x');
    release!();
    expect((await a).value).toBe('x#1');
    expect((await b).value).toBe('x#1');
    expect(builds).toBe(1);

    // Past the TTL: the old value at once, one rebuild in the background.
    now = 1500;
    const stale = await cache.get('x');
    expect(stale.value).toBe('x#1');
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect((await cache.get('x')).value).toBe('x#2');

    // Renderings are memoised per build.
    let renders = 0;
    const c = await cache.get('x');
    c.render('html', (v) => `${v}!${++renders}`);
    expect(c.render('html', (v) => `${v}!${++renders}`)).toBe('x#2!1');

    // Unread for over a minute: rebuilt before it is served, not served an hour old.
    now += 3_600_000;
    const quiet = cache.get('x');
    await new Promise((r) => setTimeout(r, 0));
    release!();
    expect((await quiet).value).toBe('x#3');

    // Invalidated and the store is down: the last value, marked stale.
    fail = true;
    cache.invalidate('x');
    const down = await cache.get('x');
    expect(down.value).toBe('x#3');
    expect(down.stale).toBe(true);
    // An hour on, still down: the last value at once, without waiting on the store.
    now += 3_600_000;
    const later = await cache.get('x');
    expect([later.value, later.stale]).toEqual(['x#3', true]);
    // Never built and the store is down: the error.
    await expect(cache.get('y')).rejects.toThrow('store down');
  });
});
