import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import type { IntegrationRef, NormalizedEvent } from '../../src/domains/alerts/index.js';
import { createIngestTarget } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

const system = systemActor('test');
const minute = 60_000;

const ev = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  action: 'trigger',
  dedupKey: 'disk-db1',
  summary: 'Disk full on db-1',
  severity: 'critical',
  source: 'db-1',
  labels: { alertname: 'DiskFull', cluster: 'eu1' },
  raw: { from: 'test' },
  ...over,
});

describeEachStore('alert pipeline', (kind) => {
  let app: TestApp;
  let teamId: string;
  let serviceId: string;
  let ref: IntegrationRef;
  const ingest = (...events: NormalizedEvent[]) => app.services.ingest.ingest(ref, events);
  const alerts = async () =>
    (await app.services.alerts.list(system, { limit: 500 }, [teamId])).items;
  const incidents = () => app.services.incidents.list(system, { teamIds: [teamId], limit: 100 });

  beforeEach(async () => {
    app = await createTestApp(kind);
    ({ teamId, serviceId, ref } = await createIngestTarget(app, 10_000));
  });
  afterEach(async () => {
    await app.close();
  });

  it('opens a high-urgency incident for a critical alert, and dedups its repeats into one alert', async () => {
    const [first] = await ingest(ev());
    expect(first).toMatchObject({ result: 'created', route: 'page', muted: null });
    app.clock.fastForward(minute);
    const [again] = await ingest(ev({ summary: 'Disk full on db-1 (98%)' }));
    expect(again).toMatchObject({
      result: 'updated',
      alertId: first!.alertId,
      incidentId: first!.incidentId,
    });
    const [alert] = await alerts();
    expect(alert).toMatchObject({
      eventCount: 2,
      summary: 'Disk full on db-1 (98%)',
      status: 'triggered',
    });
    const [incident] = await incidents();
    expect(incident).toMatchObject({
      urgency: 'high',
      status: 'triggered',
      alertCount: 1,
      number: 1,
    });
    const detail = await app.services.alerts.get(system, first!.alertId!);
    expect(detail.raw).toEqual({ from: 'test' });
    expect(detail.events.map((e) => e.action)).toEqual(['trigger', 'repeat']);
  });

  it('routes error to a 24 h incident that wakes nobody, and records warning and info only', async () => {
    const [err] = await ingest(
      ev({ dedupKey: 'e', severity: 'error', labels: { alertname: 'Errors' } }),
    );
    const [warn] = await ingest(
      ev({ dedupKey: 'w', severity: 'warning', labels: { alertname: 'Warn' } }),
    );
    const [info] = await ingest(
      ev({ dedupKey: 'i', severity: 'info', labels: { alertname: 'Info' } }),
    );
    expect(err).toMatchObject({ route: 'notify' });
    expect(warn).toMatchObject({ route: 'record', incidentId: null });
    expect(info).toMatchObject({ route: 'record', incidentId: null });
    const [incident] = await incidents();
    expect(incident).toMatchObject({
      urgency: 'low',
      responseDueAt: app.clock.now() + 24 * 60 * minute,
    });
    expect(await incidents()).toHaveLength(1);
    // A critical alert of the same group raises the incident to high urgency.
    const [crit] = await ingest(
      ev({ dedupKey: 'e2', severity: 'critical', labels: { alertname: 'Errors' } }),
    );
    expect(crit!.incidentId).toBe(err!.incidentId);
    expect((await incidents())[0]).toMatchObject({ urgency: 'high', alertCount: 2 });
  });

  it('groups alerts sharing the group key into one open incident; another key opens another', async () => {
    const [a] = await ingest(ev({ dedupKey: 'db1' }));
    const [b] = await ingest(ev({ dedupKey: 'db2', summary: 'Disk full on db-2' }));
    const [c] = await ingest(ev({ dedupKey: 'cpu', labels: { alertname: 'HighCPU' } }));
    expect(b!.incidentId).toBe(a!.incidentId);
    expect(c!.incidentId).not.toBe(a!.incidentId);
    const list = await incidents();
    expect(list.find((i) => i.id === a!.incidentId)).toMatchObject({ alertCount: 2 });
  });

  it('acknowledges, resolves, auto-resolves the incident, and after that a trigger opens a new alert', async () => {
    const [t] = await ingest(ev());
    const [ack] = await ingest(ev({ action: 'acknowledge' }));
    expect(ack).toMatchObject({ result: 'acknowledged', alertId: t!.alertId });
    expect((await incidents())[0]!.status).toBe('acknowledged');
    const [res] = await ingest(ev({ action: 'resolve' }));
    expect(res).toMatchObject({ result: 'resolved' });
    expect((await incidents())[0]).toMatchObject({ status: 'resolved' });
    // PagerDuty: acknowledge/resolve of a resolved alert are dropped; a trigger starts afresh.
    expect((await ingest(ev({ action: 'resolve' })))[0]).toMatchObject({ result: 'ignored' });
    expect((await ingest(ev({ action: 'acknowledge', dedupKey: 'never-seen' })))[0]).toMatchObject({
      result: 'ignored',
      alertId: null,
    });
    const [fresh] = await ingest(ev());
    expect(fresh).toMatchObject({ result: 'created' });
    expect(fresh!.alertId).not.toBe(t!.alertId);
    expect(fresh!.incidentId).not.toBe(t!.incidentId);
    const timeline = await app.services.incidents.timeline(system, t!.incidentId!);
    expect(timeline.map((e) => e.kind)).toEqual([
      'incident.opened',
      'alert.attached',
      'escalation.none',
      'incident.acknowledged',
      'alert.resolved',
      'incident.resolved',
    ]);
  });

  it("moves last seen on each repeat, though the sender repeats the alert's start time", async () => {
    const startsAt = app.clock.now() - 60 * minute;
    await ingest(ev({ occurredAt: startsAt }));
    app.clock.fastForward(5 * minute);
    await ingest(ev({ occurredAt: startsAt }));
    const [alert] = await alerts();
    expect(alert).toMatchObject({
      eventCount: 2,
      firstSeenAt: startsAt,
      lastSeenAt: app.clock.now(),
    });
  });

  it('keeps a raw payload too long to store whole as valid JSON, marked truncated', async () => {
    const [r] = await ingest(ev({ raw: { log: 'x'.repeat(700_000) } }));
    const detail = await app.services.alerts.get(system, r!.alertId!);
    expect(detail.raw).toMatchObject({ truncated: true, chars: 700_010 });
    expect((detail.raw as { prefix: string }).prefix).toMatch(/^\{"log":"xxx/);
  });

  it('answers an unknown team with TEAM_NOT_FOUND, even to an org admin', async () => {
    const matchers = [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }];
    const notFound = { code: 'TEAM_NOT_FOUND', field: 'teamId' };
    await expect(
      app.services.muting.createSilence(system, {
        teamId: 'nope',
        matchers,
        endsAt: app.clock.now() + minute,
        comment: '',
      }),
    ).rejects.toMatchObject(notFound);
    await expect(
      app.services.muting.createInhibitRule(system, {
        teamId: 'nope',
        name: 'x',
        sourceMatchers: matchers,
        targetMatchers: matchers,
        equal: [],
      }),
    ).rejects.toMatchObject(notFound);
    await expect(
      app.services.alerts.createEventRule(system, {
        teamId: 'nope',
        name: 'x',
        position: 1,
        enabled: true,
        matchers,
        actions: { drop: true },
      }),
    ).rejects.toMatchObject(notFound);
  });

  it('generates a dedup key for a trigger without one', async () => {
    const [o] = await ingest(ev({ dedupKey: undefined }));
    expect(o!.dedupKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('mutes by silence: stored and shown as muted, pages nobody, resolve recorded; after expiry a repeat routes', async () => {
    const silence = await app.services.muting.createSilence(system, {
      teamId,
      matchers: [{ name: 'alertname', value: 'Disk.*', isRegex: true, isEqual: true }],
      endsAt: app.clock.now() + 30 * minute,
      comment: 'disk migration',
    });
    const [m] = await ingest(ev());
    expect(m).toMatchObject({ muted: { kind: 'silence', id: silence.id }, incidentId: null });
    expect((await alerts())[0]!.muted).toEqual({ kind: 'silence', id: silence.id });
    expect(await incidents()).toHaveLength(0);
    app.clock.fastForward(31 * minute);
    const [r] = await ingest(ev());
    expect(r).toMatchObject({ result: 'updated', muted: null });
    expect(r!.incidentId).not.toBeNull();
    expect(await incidents()).toHaveLength(1);
  });

  it('keeps the sender\'s labels: a silence copied from Alertmanager (severity="page") matches', async () => {
    await app.services.muting.createSilence(system, {
      teamId,
      matchers: [{ name: 'severity', value: 'page', isRegex: false, isEqual: true }],
      endsAt: app.clock.now() + 30 * minute,
      comment: 'as in Alertmanager',
    });
    const [m] = await ingest(
      ev({ severity: 'critical', labels: { alertname: 'DiskFull', severity: 'page' } }),
    );
    expect(m).toMatchObject({ muted: { kind: 'silence' }, incidentId: null });
    const [stored] = await alerts();
    expect(stored).toMatchObject({ severity: 'critical' });
    expect(stored!.labels).toMatchObject({ severity: 'page', summary: 'Disk full on db-1' });
  });

  it('records the resolve of a muted alert', async () => {
    await app.services.muting.createSilence(system, {
      teamId,
      matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
      endsAt: app.clock.now() + 30 * minute,
      comment: 'x',
    });
    await ingest(ev());
    expect((await ingest(ev({ action: 'resolve' })))[0]).toMatchObject({ result: 'resolved' });
    expect((await alerts())[0]!.status).toBe('resolved');
  });

  it('mutes a service in maintenance and no other', async () => {
    const other = (
      await app.services.services.create(system, { teamId, name: 'Web', description: '' })
    ).id;
    const w = await app.services.muting.createMaintenance(
      system,
      {
        teamId,
        serviceIds: [serviceId],
        endsAt: app.clock.now() + 60 * minute,
        description: 'upgrade',
      },
      () => teamId,
    );
    expect((await ingest(ev()))[0]!.muted).toEqual({ kind: 'maintenance', id: w.id });
    await app.services.muting.endMaintenance(system, w.id);
    app.clock.fastForward(1);
    expect((await ingest(ev({ dedupKey: 'x' })))[0]!.muted).toBeNull();
    expect(other).toBeTruthy();
  });

  it('inhibits warnings of a cluster while its ClusterDown alert is open', async () => {
    await app.services.muting.createInhibitRule(system, {
      teamId,
      name: 'cluster down mutes its warnings',
      sourceMatchers: [{ name: 'alertname', value: 'ClusterDown', isRegex: false, isEqual: true }],
      targetMatchers: [{ name: 'severity', value: 'warning', isRegex: false, isEqual: true }],
      equal: ['cluster'],
    });
    await ingest(ev({ dedupKey: 'down', labels: { alertname: 'ClusterDown', cluster: 'eu1' } }));
    const [eu] = await ingest(
      ev({
        dedupKey: 'slow-eu',
        severity: 'warning',
        labels: { alertname: 'Slow', cluster: 'eu1' },
      }),
    );
    const [us] = await ingest(
      ev({
        dedupKey: 'slow-us',
        severity: 'warning',
        labels: { alertname: 'Slow', cluster: 'us1' },
      }),
    );
    expect(eu!.muted).toMatchObject({ kind: 'inhibition' });
    expect(us!.muted).toBeNull();
  });

  it('a silenced source still inhibits, as in Alertmanager', async () => {
    await app.services.muting.createInhibitRule(system, {
      teamId,
      name: 'cluster down mutes its warnings',
      sourceMatchers: [{ name: 'alertname', value: 'ClusterDown', isRegex: false, isEqual: true }],
      targetMatchers: [{ name: 'severity', value: 'warning', isRegex: false, isEqual: true }],
      equal: ['cluster'],
    });
    // "We know the cluster is down": the source is silenced, and its warnings stay quiet.
    const silence = await app.services.muting.createSilence(system, {
      teamId,
      matchers: [{ name: 'alertname', value: 'ClusterDown', isRegex: false, isEqual: true }],
      endsAt: app.clock.now() + 60 * minute,
      comment: 'known',
    });
    const [down] = await ingest(
      ev({ dedupKey: 'down', labels: { alertname: 'ClusterDown', cluster: 'eu1' } }),
    );
    expect(down!.muted).toEqual({ kind: 'silence', id: silence.id });
    const [slow] = await ingest(
      ev({ dedupKey: 'slow', severity: 'warning', labels: { alertname: 'Slow', cluster: 'eu1' } }),
    );
    expect(slow!.muted).toMatchObject({ kind: 'inhibition' });
  });

  it('still inhibits during a storm of newer open alerts, and with odd label values stored', async () => {
    await app.services.muting.createInhibitRule(system, {
      teamId,
      name: 'cluster down mutes its crashing pods',
      sourceMatchers: [{ name: 'alertname', value: 'ClusterDown', isRegex: false, isEqual: true }],
      targetMatchers: [{ name: 'alertname', value: 'PodCrash', isRegex: false, isEqual: true }],
      equal: ['cluster'],
    });
    await ingest(ev({ dedupKey: 'down', labels: { alertname: 'ClusterDown', cluster: 'eu1' } }));
    // More open alerts than the candidate read's limit, all newer than the source; one with a
    // lone surrogate escape in a label (Postgres refuses such JSON).
    const storm = Array.from({ length: 5001 }, (_, i) =>
      ev({
        dedupKey: `storm-${i}`,
        severity: 'warning',
        labels: { alertname: 'Noise', cluster: 'eu1', i: i === 0 ? 'x\ud800' : String(i) },
      }),
    );
    // More than a request may carry (1,000), so as an internal batch (no key, no limit).
    await app.services.ingest.ingest({ ...ref, rateLimitPerMinute: undefined }, storm);
    const [pod] = await ingest(
      ev({ dedupKey: 'pod', labels: { alertname: 'PodCrash', cluster: 'eu1' } }),
    );
    expect(pod!.muted).toMatchObject({ kind: 'inhibition' });
    // Label values with quotes, backslashes and LIKE's wildcards are found literally.
    const odd = 'e"u\\1%_';
    await ingest(ev({ dedupKey: 'down-odd', labels: { alertname: 'ClusterDown', cluster: odd } }));
    const [oddPod] = await ingest(
      ev({ dedupKey: 'pod-odd', labels: { alertname: 'PodCrash', cluster: odd } }),
    );
    expect(oddPod!.muted).toMatchObject({ kind: 'inhibition' });
    const [otherPod] = await ingest(
      ev({ dedupKey: 'pod-other', labels: { alertname: 'PodCrash', cluster: 'e"u\\1xy' } }),
    );
    expect(otherPod!.muted).toBeNull();
  }, 60_000);

  it('applies event rules: drop stores nothing, suppress stores without routing, severity changes the route', async () => {
    const rule = (name: string, alertname: string, actions: object, position = 1) =>
      app.services.alerts.createEventRule(system, {
        teamId,
        name,
        position,
        enabled: true,
        matchers: [{ name: 'alertname', value: alertname, isRegex: false, isEqual: true }],
        actions,
      });
    await rule('drop heartbeat', 'Watchdog', { drop: true });
    await rule('suppress flappy', 'Flappy', { suppress: true });
    await rule('downgrade', 'DiskFull', { severity: 'warning' });
    expect(
      (await ingest(ev({ dedupKey: 'wd', labels: { alertname: 'Watchdog' } })))[0],
    ).toMatchObject({ result: 'dropped', alertId: null });
    expect(
      (await ingest(ev({ dedupKey: 'fl', labels: { alertname: 'Flappy' } })))[0],
    ).toMatchObject({ result: 'suppressed', route: null, incidentId: null });
    expect((await ingest(ev()))[0]).toMatchObject({ route: 'record', incidentId: null });
    const stored = await alerts();
    expect(stored.map((a) => a.labels.alertname).sort()).toEqual(['DiskFull', 'Flappy']);
    expect(stored.find((a) => a.labels.alertname === 'Flappy')!.suppressed).toBe(true);
  });

  it('acknowledges and resolves, with events that carry no labels, an alert an event rule moved to another service', async () => {
    const storage = await app.services.services.create(system, {
      teamId,
      name: 'Storage',
      description: '',
    });
    await app.services.alerts.createEventRule(system, {
      teamId,
      name: 'disks to storage',
      position: 1,
      enabled: true,
      matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
      actions: { routeToServiceId: storage.id },
    });
    const [trigger] = await ingest(ev());
    expect(trigger).toMatchObject({ result: 'created', route: 'page' });
    const moved = await app.services.alerts.get(system, trigger!.alertId!);
    expect(moved.serviceId).toBe(storage.id);
    // As PagerDuty's acknowledge and resolve: the dedup key and nothing else.
    const followUp = (action: 'acknowledge' | 'resolve') =>
      ev({ action, labels: {}, severity: 'info', summary: '', source: undefined });
    expect((await ingest(followUp('acknowledge')))[0]).toMatchObject({
      result: 'acknowledged',
      alertId: trigger!.alertId,
    });
    expect((await ingest(followUp('resolve')))[0]).toMatchObject({
      result: 'resolved',
      alertId: trigger!.alertId,
    });
    expect(await app.services.alerts.get(system, trigger!.alertId!)).toMatchObject({
      status: 'resolved',
    });
    const [incident] = await incidents();
    expect(incident).toMatchObject({ id: trigger!.incidentId, status: 'resolved' });
  });

  it('dedups and resolves by a key cut inside an emoji, or holding a lone surrogate escape', async () => {
    for (const dedupKey of ['🔥'.repeat(200), 'disk\ud800', '\udc00x']) {
      const [first] = await ingest(ev({ dedupKey }));
      expect(first).toMatchObject({ result: 'created' });
      expect((await ingest(ev({ dedupKey })))[0]).toMatchObject({
        result: 'updated',
        alertId: first!.alertId,
      });
      expect((await ingest(ev({ dedupKey, action: 'resolve' })))[0]).toMatchObject({
        result: 'resolved',
        alertId: first!.alertId,
      });
    }
  });

  it('rejects an unknown, disabled or wrong-type key, and rate-limits a key by its events per minute', async () => {
    await expect(app.services.ingest.authenticate('nope', 'pagerduty-v2')).rejects.toMatchObject({
      code: 'INTEGRATION_KEY_UNKNOWN',
    });
    const { key, integration } = await app.services.integrations.create(system, serviceId, {
      type: 'alertmanager',
      config: {},
      rateLimitPerMinute: 3,
    });
    await expect(app.services.ingest.authenticate(key, 'grafana')).rejects.toMatchObject({
      code: 'INTEGRATION_KEY_UNKNOWN',
    });
    // Authenticating is not charged: the events are, when they are ingested.
    for (let i = 0; i < 5; i++) await app.services.ingest.authenticate(key, 'alertmanager');
    const am = await app.services.ingest.authenticate(key, 'alertmanager');
    await app.services.ingest.ingest(am, [ev({ dedupKey: 'r1' }), ev({ dedupKey: 'r2' })]);
    // Two more would make four: refused whole, nothing stored.
    await expect(
      app.services.ingest.ingest(am, [ev({ dedupKey: 'r3' }), ev({ dedupKey: 'r4' })]),
    ).rejects.toMatchObject({
      code: 'INTEGRATION_RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    expect((await alerts()).map((a) => a.dedupKey).sort()).toEqual(['r1', 'r2']);
    await app.services.ingest.ingest(am, [ev({ dedupKey: 'r3' })]);
    await expect(app.services.ingest.ingest(am, [ev({ dedupKey: 'r4' })])).rejects.toMatchObject({
      code: 'INTEGRATION_RATE_LIMITED',
    });
    await expect(
      app.services.ingest.recordChange(am, { summary: 'Deployed', raw: {} }),
    ).rejects.toMatchObject({ code: 'INTEGRATION_RATE_LIMITED' });
    app.clock.fastForward(minute);
    await app.services.ingest.ingest(am, [ev({ dedupKey: 'r4' })]);
    await app.services.integrations.disable(system, serviceId, integration.id);
    await expect(app.services.ingest.authenticate(key, 'alertmanager')).rejects.toMatchObject({
      code: 'INTEGRATION_KEY_UNKNOWN',
    });
  });

  it('takes a batch larger than the whole limit only into an empty minute', async () => {
    const { key } = await app.services.integrations.create(system, serviceId, {
      type: 'alertmanager',
      config: {},
      rateLimitPerMinute: 3,
    });
    const am = await app.services.ingest.authenticate(key, 'alertmanager');
    const batch = (prefix: string) =>
      Array.from({ length: 5 }, (_, i) => ev({ dedupKey: `${prefix}${i}` }));
    await app.services.ingest.ingest(am, [ev({ dedupKey: 'first' })]);
    await expect(app.services.ingest.ingest(am, batch('a'))).rejects.toMatchObject({
      code: 'INTEGRATION_RATE_LIMITED',
    });
    app.clock.fastForward(minute);
    expect(await app.services.ingest.ingest(am, batch('b'))).toHaveLength(5);
    await expect(app.services.ingest.ingest(am, [ev({ dedupKey: 'c' })])).rejects.toMatchObject({
      code: 'INTEGRATION_RATE_LIMITED',
    });
  });

  it('resolves an alert whose endsAt passed without a fresh notice (engine module)', async () => {
    await ingest(ev({ endsAt: app.clock.now() + 5 * minute }));
    await app.engine!.runUntilIdle();
    expect((await alerts())[0]!.status).toBe('triggered');
    app.clock.fastForward(5 * minute);
    await app.engine!.runUntilIdle();
    expect((await alerts())[0]!.status).toBe('resolved');
    expect((await incidents())[0]!.status).toBe('resolved');
  });

  it('stores change events without paging', async () => {
    await app.services.ingest.recordChange(ref, {
      summary: 'Deployed api v1.2.3',
      source: 'ci',
      raw: {},
    });
    expect(await app.services.alerts.changes(system, { limit: 10 }, [teamId])).toMatchObject([
      { summary: 'Deployed api v1.2.3' },
    ]);
    expect(await alerts()).toHaveLength(0);
  });

  it('commits concurrent requests together, and a failing request does not fail the others of its group', async () => {
    const broken = { ...ref, serviceId: 'no-such-service' };
    const results = await Promise.allSettled([
      ingest(ev({ dedupKey: 'g1' })),
      app.services.ingest.ingest(broken, [ev({ dedupKey: 'g2' })]),
      ingest(ev({ dedupKey: 'g3' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
    });
    expect((await alerts()).map((a) => a.dedupKey).sort()).toEqual(['g1', 'g3']);
  });

  it('keeps one alert when many requests with the same dedup key arrive at once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => ingest(ev())));
    const ids = new Set(outcomes.map((o) => o[0]!.alertId));
    expect(ids.size).toBe(1);
    expect((await alerts())[0]!.eventCount).toBe(12);
    expect(await incidents()).toHaveLength(1);
  });
});
