import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { createLogger } from '../../src/core/logger.js';
import type { IntegrationRef, NormalizedEvent } from '../../src/domains/alerts/index.js';
import { muteRejudgeModule } from '../../src/engine/index.js';
import { addIntegrationKey, addMember, createService, createTeam } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

/*
 * Muting re-judged when muting changes (ADR 0004, addendum 2026-11-22b): a silence created while
 * an incident pages mutes its alert and acknowledges the incident on the silence's behalf at the
 * next engine pass; the silence ending (expired, or its end passing) unmutes the alert and pages
 * again; inhibition no longer depends on arrival order.
 */

const system = systemActor('test');
const minute = 60_000;
const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });

const ev = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  action: 'trigger',
  dedupKey: 'f1-db-1',
  summary: 'F1 on db-1',
  severity: 'critical',
  labels: { alertname: 'F1', instance: 'db-1' },
  raw: {},
  ...over,
});

describeEachStore('muting re-judged when it changes', (kind) => {
  let app: TestApp;
  let teamId: string;
  let serviceId: string;
  let ref: IntegrationRef;
  let ada: string;
  let bob: string;
  const ingest = (...events: NormalizedEvent[]) => app.services.ingest.ingest(ref, events);
  const run = () => app.engine!.runUntilIdle();

  const alertRow = (id: string) =>
    app.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const incidentRow = (id: string) =>
    app.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const incidentsOf = async () =>
    app.db.selectFrom('incidents').selectAll().where('team_id', '=', teamId).execute();
  const pages = async (incidentId: string) =>
    (
      await app.db
        .selectFrom('notification_intents')
        .select('user_id')
        .where('incident_id', '=', incidentId)
        .orderBy('created_at')
        .execute()
    ).map((r) => (r.user_id === ada ? 'ada' : r.user_id === bob ? 'bob' : r.user_id));
  const timeline = async (incidentId: string) =>
    (
      await app.db
        .selectFrom('incident_timeline')
        .select(['kind', 'actor_name', 'message'])
        .where('incident_id', '=', incidentId)
        .orderBy('at')
        .orderBy('id')
        .execute()
    ).map((r) => `${r.kind} | ${r.actor_name}`);
  const history = async (alertId: string) =>
    (await app.services.alerts.get(system, alertId)).events.map((e) => `${e.action}: ${e.note}`);

  beforeEach(async () => {
    app = await createTestApp(kind);
    teamId = (await createTeam(app)).id;
    ada = (await addMember(app, teamId, 'Ada', 'responder')).id;
    bob = (await addMember(app, teamId, 'Bob', 'responder')).id;
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Default',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: ada }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: bob }] },
      ],
    });
    serviceId = (await createService(app, teamId, 'Database', policy.id)).id;
    ref = await app.services.ingest.authenticate(
      await addIntegrationKey(app, serviceId),
      'pagerduty-v2',
    );
  });
  afterEach(async () => {
    await app.close();
  });

  /** F1 fires and pages Ada: its alert and incident. */
  async function paging(): Promise<{ alertId: string; incidentId: string }> {
    const [o] = await ingest(ev());
    await run();
    expect(await pages(o!.incidentId!)).toEqual(['ada']);
    return { alertId: o!.alertId!, incidentId: o!.incidentId! };
  }

  const silenceF1 = (endsAt = app.clock.now() + 60 * minute) =>
    app.services.muting.createSilence(system, {
      teamId,
      matchers: [eq('alertname', 'F1')],
      endsAt,
      comment: 'known issue',
    });

  it('a silence created while an incident pages mutes its alert and acknowledges the incident at once', async () => {
    const { alertId, incidentId } = await paging();
    const silence = await silenceF1();
    const [cycle] = await run();
    // One pass is enough.
    expect(cycle!.modules.find((m) => m.name === 'mute-rejudge')!.processed).toBeGreaterThan(0);
    expect(await alertRow(alertId)).toMatchObject({ muted_kind: 'silence', muted_by: silence.id });
    expect(await history(alertId)).toContain('mute: muted by silence "known issue" by test');
    expect(await incidentRow(incidentId)).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'silence "known issue" by test',
    });
    expect(await timeline(incidentId)).toEqual(
      expect.arrayContaining([
        'incident.acknowledged | silence "known issue" by test',
        'incident.muted | silence "known issue" by test',
      ]),
    );
    // Escalation stopped: level 2 (Bob) is never paged.
    app.clock.fastForward(30 * minute);
    await run();
    expect(await pages(incidentId)).toEqual(['ada']);
  });

  it('a silence expired while the alert still fires unmutes it and pages again, once', async () => {
    const { alertId, incidentId } = await paging();
    const silence = await silenceF1();
    await run();
    expect((await incidentRow(incidentId)).status).toBe('acknowledged');
    app.clock.fastForward(10 * minute);
    await app.services.muting.expireSilence(system, silence.id);
    await run();
    expect(await alertRow(alertId)).toMatchObject({ muted_kind: null, muted_by: null });
    expect(await history(alertId)).toContain(
      'unmute: no longer muted: silence "known issue" by test ended',
    );
    expect((await incidentRow(incidentId)).status).toBe('triggered');
    expect(await timeline(incidentId)).toContain('incident.retriggered | tocsin');
    expect(await pages(incidentId)).toEqual(['ada', 'ada']);
    // Nothing more at once; the escalation goes on from level 1.
    await run();
    expect(await pages(incidentId)).toEqual(['ada', 'ada']);
    app.clock.fastForward(6 * minute);
    await run();
    expect(await pages(incidentId)).toEqual(['ada', 'ada', 'bob']);
  });

  it('a person who acknowledged after the muting keeps the incident acknowledged when the silence ends', async () => {
    const { incidentId } = await paging();
    const silence = await silenceF1();
    await run();
    // Ada re-triggers it by hand, then acknowledges it herself.
    const { retriggerIncidentIn } = await import('../../src/domains/oncall/index.js');
    const { lockIncidentIn, acknowledgeIncidentIn } =
      await import('../../src/domains/incidents/index.js');
    app.clock.fastForward(minute);
    await app.db.transaction().execute(async (trx) => {
      const inc = (await lockIncidentIn(trx, incidentId))!;
      await retriggerIncidentIn(trx, inc, { at: app.clock.now(), actorName: 'Ada', message: 'x' });
    });
    app.clock.fastForward(minute);
    await app.db
      .transaction()
      .execute((trx) => acknowledgeIncidentIn(trx, incidentId, app.clock.now(), 'Ada'));
    await run();
    const before = (await pages(incidentId)).length;
    app.clock.fastForward(minute);
    await app.services.muting.expireSilence(system, silence.id);
    await run();
    expect((await incidentRow(incidentId)).status).toBe('acknowledged');
    expect(await pages(incidentId)).toHaveLength(before);
  });

  it('a webhook-style alert (sent once) is unmuted and paged when its silence ends on its own', async () => {
    const silence = await silenceF1(app.clock.now() + 30 * minute);
    const [o] = await ingest(ev());
    expect(o).toMatchObject({ muted: { kind: 'silence', id: silence.id }, incidentId: null });
    await run();
    expect(await incidentsOf()).toHaveLength(0);
    app.clock.fastForward(31 * minute);
    await run();
    const alert = await alertRow(o!.alertId!);
    expect(alert).toMatchObject({ muted_kind: null, muted_by: null, route: 'page' });
    expect(alert.incident_id).not.toBeNull();
    expect(await history(o!.alertId!)).toContain(
      'unmute: no longer muted: silence "known issue" by test ended',
    );
    expect((await incidentRow(alert.incident_id!)).status).toBe('triggered');
    expect(await pages(alert.incident_id!)).toEqual(['ada']);
  });

  it('a maintenance window ending routes the alerts it held back', async () => {
    await app.services.muting.createMaintenance(
      system,
      {
        teamId,
        serviceIds: [serviceId],
        startsAt: app.clock.now() + 10 * minute,
        endsAt: app.clock.now() + 40 * minute,
        description: 'db upgrade',
      },
      () => teamId,
    );
    const { alertId, incidentId } = await paging();
    // The window starts on its own: the alert is muted, the incident acknowledged.
    app.clock.fastForward(11 * minute);
    await run();
    expect((await alertRow(alertId)).muted_kind).toBe('maintenance');
    expect(await incidentRow(incidentId)).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'maintenance "db upgrade" by test',
    });
    app.clock.fastForward(30 * minute);
    await run();
    expect((await alertRow(alertId)).muted_kind).toBeNull();
    expect((await incidentRow(incidentId)).status).toBe('triggered');
  });

  it('inhibition: a target that arrived before its source is muted and its incident acknowledged; the source resolving routes it again', async () => {
    const rule = await app.services.muting.createInhibitRule(system, {
      teamId,
      name: 'cluster down',
      sourceMatchers: [eq('alertname', 'ClusterDown')],
      targetMatchers: [eq('alertname', 'ServiceSlow')],
      equal: ['cluster'],
    });
    const [target] = await ingest(
      ev({
        dedupKey: 'slow-a',
        summary: 'slow',
        labels: { alertname: 'ServiceSlow', cluster: 'a' },
      }),
    );
    await run();
    expect(await pages(target!.incidentId!)).toEqual(['ada']);
    const [source] = await ingest(
      ev({
        dedupKey: 'down-a',
        summary: 'down',
        labels: { alertname: 'ClusterDown', cluster: 'a' },
      }),
    );
    await run();
    expect(await alertRow(target!.alertId!)).toMatchObject({
      muted_kind: 'inhibition',
      muted_by: rule.id,
    });
    expect(await incidentRow(target!.incidentId!)).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'inhibition rule cluster down',
    });
    // The source's own incident pages.
    expect((await incidentRow(source!.incidentId!)).status).toBe('triggered');

    app.clock.fastForward(minute);
    await ingest(ev({ action: 'resolve', dedupKey: 'down-a' }));
    await run();
    expect((await alertRow(target!.alertId!)).muted_kind).toBeNull();
    expect(await history(target!.alertId!)).toContain(
      'unmute: no longer muted: the source of inhibition rule cluster down resolved',
    );
    expect((await incidentRow(target!.incidentId!)).status).toBe('triggered');
    expect(await pages(target!.incidentId!)).toEqual(['ada', 'ada']);
  });

  it('inhibition: a target muted at its own event opens an incident when the source resolves', async () => {
    await app.services.muting.createInhibitRule(system, {
      teamId,
      name: 'cluster down',
      sourceMatchers: [eq('alertname', 'ClusterDown')],
      targetMatchers: [eq('alertname', 'ServiceSlow')],
      equal: ['cluster'],
    });
    // One batch: the source first, the target after it is muted at once.
    const [, target] = await ingest(
      ev({
        dedupKey: 'down-a',
        summary: 'down',
        labels: { alertname: 'ClusterDown', cluster: 'a' },
      }),
      ev({
        dedupKey: 'slow-a',
        summary: 'slow',
        labels: { alertname: 'ServiceSlow', cluster: 'a' },
      }),
    );
    expect(target).toMatchObject({ muted: { kind: 'inhibition' }, incidentId: null });
    await run();
    await ingest(ev({ action: 'resolve', dedupKey: 'down-a' }));
    await run();
    const alert = await alertRow(target!.alertId!);
    expect(alert.muted_kind).toBeNull();
    expect(alert.incident_id).not.toBeNull();
    expect(await pages(alert.incident_id!)).toEqual(['ada']);
  });

  it('leaves alone an incident that still has an unmuted open alert', async () => {
    const { alertId, incidentId } = await paging();
    // Same alertname (the default group-by): the second alert joins the incident.
    const [other] = await ingest(
      ev({ dedupKey: 'f1-db-2', labels: { alertname: 'F1', instance: 'db-2' } }),
    );
    expect(other!.incidentId).toBe(incidentId);
    await app.services.muting.createSilence(system, {
      teamId,
      matchers: [eq('instance', 'db-1')],
      endsAt: app.clock.now() + 60 * minute,
      comment: 'db-1 only',
    });
    await run();
    expect((await alertRow(alertId)).muted_kind).toBe('silence');
    expect((await alertRow(other!.alertId!)).muted_kind).toBeNull();
    expect((await incidentRow(incidentId)).status).toBe('triggered');
    app.clock.fastForward(6 * minute);
    await run();
    expect(await pages(incidentId)).toEqual(['ada', 'bob']);
  });

  it('an alert muted at its own event acknowledges its incident when all its alerts are muted', async () => {
    const { incidentId } = await paging();
    await silenceF1();
    // Its next event comes before any engine pass.
    await ingest(ev());
    expect(await incidentRow(incidentId)).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'silence "known issue" by test',
    });
    app.clock.fastForward(30 * minute);
    await run();
    expect(await pages(incidentId)).toEqual(['ada']);
  });

  it('is restart-safe: a scan continues where it stopped, and running again pages nobody twice', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const [o] = await ingest(
        ev({ dedupKey: `f1-db-${n}`, labels: { alertname: 'F1', instance: `db-${n}` } }),
      );
      ids.push(o!.alertId!);
    }
    await run();
    const incidentId = (await alertRow(ids[0]!)).incident_id!;
    expect(await pages(incidentId)).toEqual(['ada']);
    const silence = await silenceF1();
    const ctx = () => ({
      db: app.db,
      clock: app.clock,
      logger: createLogger({ level: 'silent' }),
      now: app.clock.now(),
    });
    // One alert a pass, each pass by a new module (a restarted node).
    await muteRejudgeModule(app.services.alerts, 1).runOnce(ctx());
    expect((await alertRow(ids[0]!)).muted_kind).toBe('silence');
    expect((await alertRow(ids[1]!)).muted_kind).toBeNull();
    expect((await incidentRow(incidentId)).status).toBe('triggered');
    await muteRejudgeModule(app.services.alerts, 1).runOnce(ctx());
    await muteRejudgeModule(app.services.alerts, 1).runOnce(ctx());
    await muteRejudgeModule(app.services.alerts, 1).runOnce(ctx());
    for (const id of ids) expect((await alertRow(id)).muted_kind).toBe('silence');
    expect((await incidentRow(incidentId)).status).toBe('acknowledged');
    await run();
    await run();

    app.clock.fastForward(minute);
    await app.services.muting.expireSilence(system, silence.id);
    await muteRejudgeModule(app.services.alerts).runOnce(ctx());
    await muteRejudgeModule(app.services.alerts).runOnce(ctx());
    await run();
    await run();
    expect(await pages(incidentId)).toEqual(['ada', 'ada']);
    const kinds = await timeline(incidentId);
    expect(kinds.filter((k) => k.startsWith('incident.retriggered'))).toHaveLength(1);
    expect(kinds.filter((k) => k.startsWith('incident.muted'))).toHaveLength(1);
  });

  it('an inhibition rule created later mutes its open targets; an error alert unmuted opens a low-urgency incident', async () => {
    const [source] = await ingest(
      ev({
        dedupKey: 'down-a',
        summary: 'down',
        labels: { alertname: 'ClusterDown', cluster: 'a' },
      }),
    );
    const [target] = await ingest(
      ev({
        dedupKey: 'err-a',
        summary: 'errors',
        severity: 'error',
        labels: { alertname: 'Errors', cluster: 'a' },
      }),
    );
    const notifyIncident = target!.incidentId!;
    expect((await incidentRow(notifyIncident)).urgency).toBe('low');
    const rule = await app.services.muting.createInhibitRule(system, {
      teamId,
      name: 'cluster down',
      sourceMatchers: [eq('alertname', 'ClusterDown')],
      targetMatchers: [eq('alertname', 'Errors')],
      equal: ['cluster'],
    });
    await run();
    expect((await alertRow(target!.alertId!)).muted_by).toBe(rule.id);
    expect((await incidentRow(notifyIncident)).status).toBe('acknowledged');
    // The source resolves and its incident with it; the target's incident re-triggers.
    await ingest(ev({ action: 'resolve', dedupKey: 'down-a' }));
    expect((await incidentRow(source!.incidentId!)).status).toBe('resolved');
    await run();
    expect((await alertRow(target!.alertId!)).muted_kind).toBeNull();
    expect(await incidentRow(notifyIncident)).toMatchObject({
      status: 'triggered',
      urgency: 'low',
    });
  });

  it('never reopens a resolved alert', async () => {
    const { alertId } = await paging();
    await silenceF1();
    await ingest(ev({ action: 'resolve' }));
    await run();
    expect(await alertRow(alertId)).toMatchObject({ status: 'resolved', muted_kind: null });
  });
});
