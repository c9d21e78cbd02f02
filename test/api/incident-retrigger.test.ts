import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { retriggerIncidentsModule } from '../../src/engine/index.js';
import {
  addIntegrationKey,
  addSignedInMember,
  createTeam,
  requestAs,
  type Member,
} from '../fixtures.js';
import { createTestApp, describeEachStore, type Session, type TestApp } from '../harness.js';

// Acknowledged incidents come back: the service's acknowledgement timeout and snooze re-trigger
// them (escalation restarts at level 1, which pages again), through a timer row the engine's
// `retrigger-incidents` module acts on once.

const system = systemActor('test');
const minute = 60_000;

describeEachStore('acknowledgement timeout and snooze', (kind) => {
  let app: TestApp;
  let teamId: string;
  let lead: Member;
  let ada: Member;
  let bo: Member;
  let serviceId: string;
  let incidentId: string;
  let t0: number;

  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
    s: Session = ada.session,
  ) => requestAs(app, s, method, url, payload);

  const incident = async () => (await call('GET', `/api/incidents/${incidentId}`)).json();
  const at = (minutes: number) => app.clock.set(new Date(t0 + minutes * minute).toISOString());
  const run = () => app.engine!.runUntilIdle();
  /** Pages of the incident: who, at which level, in which epoch of its escalation (by key). */
  const pages = async () =>
    (
      await app.db
        .selectFrom('notification_intents')
        .select(['user_id', 'level', 'idempotency_key', 'created_at'])
        .where('incident_id', '=', incidentId)
        .where('reason', '=', 'escalation')
        .orderBy('created_at')
        .orderBy('idempotency_key')
        .execute()
    ).map((r) => ({
      who: r.user_id === ada.id ? 'Ada' : r.user_id === bo.id ? 'Bo' : r.user_id,
      level: r.level,
      epoch: Number(r.idempotency_key.split(':')[2]),
      minute: (r.created_at - t0) / minute,
    }));
  const timeline = async (kinds: string[]) =>
    (
      await app.db
        .selectFrom('incident_timeline')
        .select(['kind', 'message'])
        .where('incident_id', '=', incidentId)
        .where('kind', 'in', kinds)
        .orderBy('at')
        .orderBy('id')
        .execute()
    ).map((r) => r.message);
  const retriggers = () => timeline(['incident.retriggered']);
  const setAckTimeout = async (minutes: number | null) => {
    const res = await call(
      'PATCH',
      `/api/services/${serviceId}`,
      { settings: { ackTimeoutMinutes: minutes } },
      lead.session,
    );
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T12:00:00Z') });
    t0 = app.clock.now();
    teamId = (await createTeam(app)).id;
    lead = await addSignedInMember(app, teamId, 'Lead', 'admin');
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    const policy = await call(
      'POST',
      '/api/escalation-policies',
      {
        teamId,
        name: 'Default',
        levels: [
          { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
          { delayMinutes: 5, targets: [{ type: 'user', id: bo.id }] },
        ],
      },
      lead.session,
    );
    expect(policy.statusCode, policy.body).toBe(201);
    serviceId = (
      await app.services.services.create(system, { teamId, name: 'API', description: '' })
    ).id;
    await app.services.services.update(system, serviceId, {
      escalationPolicyId: policy.json().id as string,
    });
    const ref = await app.services.ingest.authenticate(
      await addIntegrationKey(app, serviceId),
      'pagerduty-v2',
    );
    const [o] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: 'api-down',
        summary: 'API is down',
        severity: 'critical',
        labels: {},
        raw: {},
      },
    ]);
    incidentId = o!.incidentId!;
    await run();
  });
  afterEach(async () => {
    await app.close();
  });

  // ---- the setting

  it('keeps the acknowledgement timeout off by default and validates it, naming the field', async () => {
    const svc = await call('GET', `/api/services/${serviceId}`);
    expect(svc.json().settings.ackTimeoutMinutes).toBeNull();
    for (const bad of [0, 1441, 2.5, '30']) {
      const res = await call(
        'PATCH',
        `/api/services/${serviceId}`,
        { settings: { ackTimeoutMinutes: bad } },
        lead.session,
      );
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json().error.field).toBe('settings.ackTimeoutMinutes');
    }
    const responder = await call('PATCH', `/api/services/${serviceId}`, {
      settings: { ackTimeoutMinutes: 30 },
    });
    expect(responder.statusCode).toBe(403);
    expect(
      (await call('GET', `/api/services/${serviceId}`)).json().settings.ackTimeoutMinutes,
    ).toBe(null);
    await setAckTimeout(30);
    const after = (await call('GET', `/api/services/${serviceId}`)).json().settings;
    expect(after).toMatchObject({ ackTimeoutMinutes: 30, autoResolve: true });

    // Off: an acknowledged incident stays acknowledged.
    await setAckTimeout(null);
    at(1);
    await call('POST', `/api/incidents/${incidentId}/acknowledge`);
    expect((await incident()).retriggerAt).toBeNull();
    at(600);
    await run();
    expect((await incident()).status).toBe('acknowledged');
    expect(await retriggers()).toEqual([]);
  });

  // ---- acknowledgement timeout

  it('re-triggers an incident still acknowledged when the timeout passes, paging level 1 again once', async () => {
    await setAckTimeout(30);
    at(1);
    const acked = await call('POST', `/api/incidents/${incidentId}/acknowledge`);
    expect(acked.json()).toMatchObject({
      status: 'acknowledged',
      retriggerAt: t0 + 31 * minute,
      retriggerReason: 'ack_timeout',
      snoozedUntil: null,
    });
    at(10);
    await run(); // the escalation sees the acknowledgement: Bo is not paged
    at(30);
    await run();
    expect((await incident()).status).toBe('acknowledged');
    at(31);
    await run();
    expect(await incident()).toMatchObject({
      status: 'triggered',
      retriggerAt: null,
      retriggerReason: null,
      // The first acknowledgement stays (MTTA counts to it).
      acknowledgedAt: t0 + minute,
    });
    expect(await retriggers()).toEqual(['Acknowledgement timed out after 30 min: re-triggered']);
    expect(await pages()).toEqual([
      { who: 'Ada', level: 0, epoch: 0, minute: 0 },
      { who: 'Ada', level: 0, epoch: 1, minute: 31 },
    ]);
    at(36);
    await run();
    // Not acknowledged again: escalation goes on to level 2; no second re-trigger.
    expect((await pages()).map((p) => `${p.who}@${p.minute}`)).toEqual([
      'Ada@0',
      'Ada@31',
      'Bo@36',
    ]);
    expect(await retriggers()).toHaveLength(1);
  });

  it('starts the timer again with each acknowledgement, from any channel', async () => {
    await setAckTimeout(30);
    // Acknowledging the incident's alert acknowledges the incident, and starts the timer.
    const alertId = (await incident()).alerts[0].id as string;
    at(1);
    const ackAlert = await call('POST', `/api/alerts/${alertId}/acknowledge`);
    expect(ackAlert.statusCode, ackAlert.body).toBe(200);
    expect(await incident()).toMatchObject({
      status: 'acknowledged',
      retriggerAt: t0 + 31 * minute,
    });
    at(31);
    await run();
    expect((await incident()).status).toBe('triggered');

    // Bo acknowledges the re-triggered incident at minute 40: the timer runs from then.
    at(40);
    await call('POST', `/api/incidents/${incidentId}/acknowledge`, undefined, bo.session);
    expect((await incident()).retriggerAt).toBe(t0 + 70 * minute);
    at(69);
    await run();
    expect((await incident()).status).toBe('acknowledged');
    at(70);
    await run();
    expect((await incident()).status).toBe('triggered');
    expect(await retriggers()).toHaveLength(2);
    expect((await pages()).filter((p) => p.level === 0).map((p) => p.epoch)).toEqual([0, 1, 2]);
  });

  it('clears the timer when the incident is resolved or mitigated', async () => {
    await setAckTimeout(30);
    at(1);
    await call('POST', `/api/incidents/${incidentId}/acknowledge`);
    const resolved = await call('POST', `/api/incidents/${incidentId}/resolve`);
    expect(resolved.json()).toMatchObject({ status: 'resolved', retriggerAt: null });
    at(31);
    await run();
    expect((await incident()).status).toBe('resolved');
    expect(await retriggers()).toEqual([]);
    expect(await pages()).toHaveLength(1);

    // Mitigated likewise.
    const ref = await app.services.ingest.authenticate(
      await addIntegrationKey(app, serviceId, { type: 'alertmanager' }),
      'alertmanager',
    );
    const [o] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: 'x',
        summary: 'Again',
        severity: 'critical',
        labels: {},
        raw: {},
      },
    ]);
    incidentId = o!.incidentId!;
    await call('POST', `/api/incidents/${incidentId}/acknowledge`);
    expect((await incident()).retriggerAt).toBe(t0 + 61 * minute);
    const mitigated = await call('POST', `/api/incidents/${incidentId}/mitigate`);
    expect(mitigated.json()).toMatchObject({ status: 'mitigated', retriggerAt: null });
    at(90);
    await run();
    expect((await incident()).status).toBe('mitigated');
    expect(await retriggers()).toEqual([]);
  });

  it('re-triggers once when the module runs twice, at once or after a restart', async () => {
    await setAckTimeout(30);
    at(1);
    await call('POST', `/api/incidents/${incidentId}/acknowledge`);
    at(31);
    // Two nodes' passes at once (their leases overlapping), then a restarted node's pass.
    const ctx = { db: app.db, clock: app.clock, logger: app.logger, now: app.clock.now() };
    const a = retriggerIncidentsModule(app.services.incidents);
    const b = retriggerIncidentsModule(app.services.incidents);
    expect(await a.countDue!(ctx)).toBe(1);
    expect(await a.nextDueAt!(ctx)).toBe(t0 + 31 * minute);
    await Promise.all([a.runOnce(ctx), b.runOnce(ctx)]);
    await retriggerIncidentsModule(app.services.incidents).runOnce(ctx);
    expect(await a.countDue!(ctx)).toBe(0);
    expect(await a.nextDueAt!(ctx)).toBeUndefined();
    await run();
    expect(await retriggers()).toHaveLength(1);
    const esc = await app.db
      .selectFrom('escalations')
      .select('epoch')
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
    expect(esc.epoch).toBe(1);
    expect((await pages()).filter((p) => p.epoch === 1)).toHaveLength(1);
  });

  // ---- snooze

  it('snoozes a triggered incident (acknowledging it) and re-triggers it when the snooze ends', async () => {
    at(2);
    const res = await call('POST', `/api/incidents/${incidentId}/snooze`, { minutes: 60 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'Ada',
      snoozedUntil: t0 + 62 * minute,
      retriggerAt: t0 + 62 * minute,
      retriggerReason: 'snooze',
    });
    expect(await timeline(['incident.acknowledged', 'incident.snoozed'])).toEqual([
      'Acknowledged by Ada',
      'Ada snoozed for 1 h (until 13:02 UTC)',
    ]);
    at(61);
    await run();
    expect((await incident()).status).toBe('acknowledged');
    expect(await pages()).toHaveLength(1); // Bo was not paged while it was snoozed
    at(62);
    await run();
    expect(await incident()).toMatchObject({ status: 'triggered', snoozedUntil: null });
    expect(await retriggers()).toEqual(['Snooze of 1 h ended: re-triggered']);
    expect(await pages()).toEqual([
      { who: 'Ada', level: 0, epoch: 0, minute: 0 },
      { who: 'Ada', level: 0, epoch: 1, minute: 62 },
    ]);
  });

  it('snoozes an acknowledged incident, and a snooze outlasts the acknowledgement timeout', async () => {
    await setAckTimeout(30);
    at(1);
    await call('POST', `/api/incidents/${incidentId}/acknowledge`);
    at(5);
    const res = await call('POST', `/api/incidents/${incidentId}/snooze`, { minutes: 240 });
    expect(res.json()).toMatchObject({ status: 'acknowledged', snoozedUntil: t0 + 245 * minute });
    at(31);
    await run();
    expect((await incident()).status).toBe('acknowledged');
    // Snoozing again sets a new end.
    at(60);
    await call('POST', `/api/incidents/${incidentId}/snooze`, { minutes: 90 }, bo.session);
    expect((await incident()).snoozedUntil).toBe(t0 + 150 * minute);
    expect(await timeline(['incident.snoozed'])).toEqual([
      'Ada snoozed for 4 h (until 16:05 UTC)',
      'Bo snoozed for 1 h 30 min (until 14:30 UTC)',
    ]);
    at(149);
    await run();
    expect((await incident()).status).toBe('acknowledged');
    at(150);
    await run();
    expect((await incident()).status).toBe('triggered');
    expect(await retriggers()).toEqual(['Snooze of 1 h 30 min ended: re-triggered']);
  });

  it('refuses a snooze of a resolved incident (409), bad minutes (400 naming minutes), and non-responders', async () => {
    for (const minutes of [0, 1441, 1.5, '60', null]) {
      const res = await call('POST', `/api/incidents/${incidentId}/snooze`, { minutes });
      expect(res.statusCode, String(minutes)).toBe(400);
      expect(res.json().error.field).toBe('minutes');
    }
    const none = await call('POST', `/api/incidents/${incidentId}/snooze`, {});
    expect(none.json().error.field).toBe('minutes');
    expect(await incident()).toMatchObject({ status: 'triggered', retriggerAt: null });

    const viewer = await addSignedInMember(app, teamId, 'Vic', 'viewer');
    const stranger = await addSignedInMember(
      app,
      (await createTeam(app, 'Other')).id,
      'Sam',
      'admin',
    );
    const body = { minutes: 60 };
    expect(
      (await call('POST', `/api/incidents/${incidentId}/snooze`, body, viewer.session)).statusCode,
    ).toBe(403);
    expect(
      (await call('POST', `/api/incidents/${incidentId}/snooze`, body, stranger.session))
        .statusCode,
    ).toBe(404);
    expect(await incident()).toMatchObject({ status: 'triggered', retriggerAt: null });

    await call('POST', `/api/incidents/${incidentId}/resolve`);
    const res = await call('POST', `/api/incidents/${incidentId}/snooze`, body);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INCIDENT_STATUS_CONFLICT');
    expect(await incident()).toMatchObject({ status: 'resolved', retriggerAt: null });
    expect(await timeline(['incident.snoozed'])).toEqual([]);
  });
});
