import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import type { IntegrationRef, NormalizedEvent } from '../../src/domains/alerts/index.js';
import { createIngestTarget } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

/*
 * The ingest fast path: requests that arrive together commit in one group (their new alerts
 * inserted many to a statement, open alerts read together), and what ingesting reads and rarely
 * changes is cached until the configuration counter moves. These tests pin what must not change
 * with that: each request's own result, the order of events on one key within a group, and
 * configuration changes taking effect on the very next event.
 */

const system = systemActor('test');
const minute = 60_000;

const ev = (dedupKey: string, over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  action: 'trigger',
  dedupKey,
  summary: `Problem ${dedupKey}`,
  severity: 'warning',
  labels: { alertname: 'Problem', key: dedupKey },
  raw: { key: dedupKey },
  ...over,
});

describeEachStore('ingest batching and caches', (kind) => {
  let app: TestApp;
  let teamId: string;
  let serviceId: string;
  let key: string;
  let ref: IntegrationRef;
  const ingest = (...events: NormalizedEvent[]) => app.services.ingest.ingest(ref, events);
  const version = async () =>
    Number(
      (
        await sql<{ version: number }>`select version from config_version where id = 1`.execute(
          app.db,
        )
      ).rows[0]!.version,
    );

  beforeEach(async () => {
    app = await createTestApp(kind);
    ({ teamId, serviceId, key, ref } = await createIngestTarget(app, 10_000));
  });
  afterEach(async () => {
    await app.close();
  });

  it('answers each request of a group with its own result, and applies one key’s events in order', async () => {
    await ingest(ev('old'));
    // Started together, these join one group commit.
    const results = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => ingest(ev(`new-${i}`))),
      ingest(ev('twice')),
      ingest(ev('twice', { summary: 'Problem twice, again' })),
      ingest(ev('twice', { action: 'resolve' })),
      ingest(ev('old', { summary: 'Problem old, again' })),
      ingest(ev('never', { action: 'acknowledge' })),
      ingest(ev('generated', { dedupKey: undefined })),
      ingest(ev('a'), ev('b'), ev('a', { action: 'acknowledge' })),
    ]);
    const flat = results.map((r) => r.map((o) => o.result));
    expect(flat.slice(0, 40)).toEqual(Array.from({ length: 40 }, () => ['created']));
    expect(flat.slice(40)).toEqual([
      ['created'],
      ['updated'],
      ['resolved'],
      ['updated'],
      ['ignored'],
      ['created'],
      ['created', 'created', 'acknowledged'],
    ]);
    expect(results[41]![0]!.alertId).toBe(results[40]![0]!.alertId);
    expect(results[45]![0]!.dedupKey).toMatch(/^[0-9a-f-]{36}$/);

    const all = (await app.services.alerts.list(system, { limit: 500 }, [teamId])).items;
    // old, 40 new, twice, the generated one, a and b.
    expect(all).toHaveLength(45);
    const byKey = new Map(all.map((a) => [a.dedupKey, a]));
    expect(byKey.get('twice')).toMatchObject({
      status: 'resolved',
      eventCount: 2,
      summary: 'Problem twice, again',
    });
    expect(byKey.get('old')).toMatchObject({ status: 'triggered', eventCount: 2 });
    expect(byKey.get('a')!.status).toBe('acknowledged');
    expect(byKey.has('never')).toBe(false);
    const detail = await app.services.alerts.get(system, byKey.get('twice')!.id);
    expect(detail.events.map((e) => e.action)).toEqual(['trigger', 'repeat', 'resolve']);
    expect(detail.raw).toEqual({ key: 'twice' });
  });

  it('opens, joins, raises and reopens incidents within a group as one request at a time would', async () => {
    const [before] = await ingest(ev('before', { severity: 'critical' }));
    const first = await app.services.incidents.get(system, before!.incidentId!);
    const labels = (alertname: string, k: string) => ({ labels: { alertname, key: k } });
    const results = await Promise.all([
      // error: opens a low-urgency incident for Disk.
      ingest(ev('e1', { severity: 'error', ...labels('Disk', 'e1') })),
      // critical on the same group: joins it and raises it to high.
      ingest(ev('c1', { severity: 'critical', ...labels('Disk', 'c1') })),
      ingest(ev('c2', { severity: 'critical', ...labels('Cpu', 'c2') })),
      ingest(ev('c3', { severity: 'critical', ...labels('Cpu', 'c3') })),
      // Both Cpu alerts resolve: their incident resolves ...
      ingest(ev('c2', { action: 'resolve' }), ev('c3', { action: 'resolve' })),
      // ... and the next Cpu alert of the same group opens a new one.
      ingest(ev('c4', { severity: 'critical', ...labels('Cpu', 'c4') })),
    ]);
    const incidentOf = (i: number) => results[i]![0]!.incidentId!;
    expect(incidentOf(1)).toBe(incidentOf(0));
    expect(incidentOf(3)).toBe(incidentOf(2));
    expect(incidentOf(5)).not.toBe(incidentOf(2));
    expect(results[4]!.map((o) => o.result)).toEqual(['resolved', 'resolved']);

    const disk = await app.services.incidents.get(system, incidentOf(0));
    const cpu = await app.services.incidents.get(system, incidentOf(2));
    const cpuAgain = await app.services.incidents.get(system, incidentOf(5));
    expect(disk).toMatchObject({ urgency: 'high', responseDueAt: null, alertCount: 2 });
    expect(cpu).toMatchObject({ status: 'resolved', alertCount: 2, urgency: 'high' });
    expect(cpuAgain).toMatchObject({ status: 'triggered', alertCount: 1 });
    // Numbered in the order opened, after the incident before the group.
    expect([disk.number, cpu.number, cpuAgain.number]).toEqual([
      first.number + 1,
      first.number + 2,
      first.number + 3,
    ]);
    expect((await app.services.incidents.timeline(system, disk.id)).map((t) => t.kind)).toEqual([
      'incident.opened',
      'alert.attached',
      'alert.attached',
      'incident.urgency_raised',
      'escalation.none',
      // Opened as low urgency: with no policy and no distribution list, nobody was told.
      'notification.low_urgency',
    ]);
    const cpuKinds = (await app.services.incidents.timeline(system, cpu.id)).map((t) => t.kind);
    expect(cpuKinds.slice(0, 4)).toEqual([
      'incident.opened',
      'alert.attached',
      'escalation.none',
      'alert.attached',
    ]);
    expect(cpuKinds.filter((k) => k === 'alert.resolved')).toHaveLength(2);
    expect(cpuKinds).toContain('incident.resolved');
    // Each alert points at its incident.
    const all = (await app.services.alerts.list(system, { limit: 50 }, [teamId])).items;
    const incidentByKey = new Map(all.map((a) => [a.dedupKey, a.incidentId]));
    expect(incidentByKey.get('c1')).toBe(disk.id);
    expect(incidentByKey.get('c3')).toBe(cpu.id);
    expect(incidentByKey.get('c4')).toBe(cpuAgain.id);
  });

  it('applies a silence, an event rule, a service setting and a disabled key from the next event on', async () => {
    // Warm every cache.
    expect((await ingest(ev('w1')))[0]!.muted).toBeNull();

    const silence = await app.services.muting.createSilence(system, {
      teamId,
      matchers: [{ name: 'alertname', value: 'Problem', isRegex: false, isEqual: true }],
      endsAt: app.clock.now() + 30 * minute,
      comment: 'quiet',
    });
    expect((await ingest(ev('w2')))[0]!.muted).toEqual({ kind: 'silence', id: silence.id });
    await app.services.muting.expireSilence(system, silence.id);
    app.clock.fastForward(1);
    expect((await ingest(ev('w3')))[0]!.muted).toBeNull();

    await app.services.alerts.createEventRule(system, {
      teamId,
      name: 'drop noise',
      position: 100,
      enabled: true,
      matchers: [{ name: 'key', value: 'noise', isRegex: false, isEqual: true }],
      actions: { drop: true },
    });
    expect((await ingest(ev('noise')))[0]!.result).toBe('dropped');

    expect((await ingest(ev('w4', { severity: 'critical' })))[0]!.route).toBe('page');
    const svc = await app.services.services.get(system, serviceId);
    await app.services.services.update(system, serviceId, {
      settings: { ...svc.settings, routing: { ...svc.settings.routing, critical: 'record' } },
    });
    expect((await ingest(ev('w5', { severity: 'critical' })))[0]!.route).toBe('record');

    await app.services.integrations.disable(system, serviceId, ref.id);
    await expect(app.services.ingest.authenticate(key, 'pagerduty-v2')).rejects.toMatchObject({
      code: 'INTEGRATION_KEY_UNKNOWN',
    });
  });

  it('moves the configuration counter on writes to what ingesting caches, not on a key’s last-use stamp', async () => {
    const start = await version();
    await app.services.muting.createSilence(system, {
      teamId,
      matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }],
      endsAt: app.clock.now() + minute,
      comment: 'x',
    });
    const afterSilence = await version();
    expect(afterSilence).toBeGreaterThan(start);

    // authenticate stamps last_event_at (at most once a minute): not a configuration change.
    app.clock.fastForward(2 * minute);
    await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const stamped = await app.db
      .selectFrom('integrations')
      .select('last_event_at')
      .where('id', '=', ref.id)
      .executeTakeFirstOrThrow();
    expect(stamped.last_event_at).toBe(app.clock.now());
    expect(await version()).toBe(afterSilence);

    await app.db
      .updateTable('teams')
      .set({ name: 'Platform team' })
      .where('id', '=', teamId)
      .execute();
    expect(await version()).toBeGreaterThan(afterSilence);
  });
});
