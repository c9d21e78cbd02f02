import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  addMember,
  addNotificationRule,
  addVerifiedContact,
  createPagedService,
  createTeam,
  testPassword,
} from '../fixtures.js';
import { asSession, createTestApp, describeEachStore, login, type TestApp } from '../harness.js';

// The seed teams' night: a critical event at 02:00, the primary is on call and sleeps through it,
// the manager's phone gets the page at 02:05, the manager acknowledges, and that is the end of it.

const system = systemActor('scenario');
const minute = 60_000;

describeEachStore('scenario: a critical event at 02:00 that nobody acknowledges', (kind) => {
  let app: TestApp;
  const sent: Array<{ userId: string; channel: string; text: string; at: number }> = [];

  /** People of one team, by name (no team role unless given). */
  async function people(teamId: string, names: string[]) {
    const out: Record<string, { id: string }> = {};
    for (const name of names) out[name] = await addMember(app, teamId, name, 'responder');
    return out;
  }

  /** A service on `policyId` and one critical trigger into it; returns the incident id. */
  async function pageThrough(teamId: string, policyId: string): Promise<string> {
    const { key } = await createPagedService(app, teamId, 'API', policyId);
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const [o] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: 'x',
        summary: 'API down',
        severity: 'critical',
        labels: {},
        raw: {},
      },
    ]);
    await app.engine!.runUntilIdle();
    return o!.incidentId!;
  }

  beforeEach(async () => {
    sent.length = 0;
    const clock = new FakeClock('2026-03-10T01:55:00Z');
    app = await createTestApp(kind, {
      clock,
      deliver: async (m) => void sent.push({ ...m, at: clock.now() }),
    });
  });
  afterEach(async () => {
    await app.close();
  });

  it('pages the primary at 02:00, the manager at 02:05, and stops when the manager acknowledges', async () => {
    const team = await createTeam(app);
    const mk = (name: string, role: 'admin' | 'responder') => addMember(app, team.id, name, role);
    const primary = await mk('Priya', 'responder');
    const second = await mk('Sam', 'responder');
    const manager = await mk('Morgan', 'admin');
    const schedule = await app.services.schedules.create(system, {
      teamId: team.id,
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        {
          name: 'Weekly',
          position: 0,
          participants: [primary.id, second.id],
          rotation: { kind: 'weekly', handoffTime: '09:00' },
          startDate: '2026-03-09',
          restrictions: [],
        },
      ],
    });
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Default',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'schedule', id: schedule.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: manager.id }] },
      ],
    });
    const { key } = await createPagedService(app, team.id, 'Checkout', policy.id);

    // The primary's rule: SMS at once. The manager has no rules: the in-app page only.
    const priya = await login(app, 'priya@x.test', testPassword);
    const cm = await addVerifiedContact(
      app,
      priya,
      { type: 'sms', label: 'Phone', address: '+15550100' },
      () => sent.at(-1)!.text,
    );
    await addNotificationRule(app, priya, cm, 0);
    sent.length = 0;

    app.clock.set('2026-03-10T02:00:00Z');
    const res = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'checkout-5xx',
        payload: { summary: 'Checkout 5xx above 20%', source: 'lb-1', severity: 'critical' },
      },
    });
    expect(res.statusCode).toBe(202);
    await app.engine!.runUntilIdle();
    const pages = async () =>
      (await app.db.selectFrom('notification_intents').selectAll().orderBy('id').execute()).map(
        (p) => [p.user_id, new Date(p.created_at).toISOString().slice(11, 16), p.level],
      );
    expect(await pages()).toEqual([[primary.id, '02:00', 0]]);
    expect(sent.map((m) => [m.userId, m.channel])).toEqual([[primary.id, 'sms']]);

    app.clock.set('2026-03-10T02:04:59Z');
    await app.engine!.runUntilIdle();
    expect(await pages()).toHaveLength(1);

    app.clock.set('2026-03-10T02:05:00Z');
    await app.engine!.runUntilIdle();
    expect(await pages()).toEqual([
      [primary.id, '02:00', 0],
      [manager.id, '02:05', 1],
    ]);

    const morgan = await login(app, 'morgan@x.test', testPassword);
    const inbox = await app.http!.inject({
      method: 'GET',
      url: '/api/me/notifications',
      headers: asSession(morgan),
    });
    expect(inbox.json().items[0].message).toContain('Checkout 5xx above 20%');
    const incidentId = inbox.json().items[0].incidentId as string;
    app.clock.set('2026-03-10T02:07:00Z');
    const ack = await app.http!.inject({
      method: 'POST',
      url: `/api/incidents/${incidentId}/acknowledge`,
      headers: asSession(morgan),
    });
    expect(ack.json().status).toBe('acknowledged');

    // Nothing more, however long nobody resolves it.
    app.clock.set('2026-03-10T03:00:00Z');
    await app.engine!.runUntilIdle();
    expect(await pages()).toHaveLength(2);

    const timeline = await app.http!.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}`,
      headers: asSession(morgan),
    });
    const steps = (
      timeline.json().timeline as Array<{ at: number; kind: string; message: string }>
    ).map((e) => `${new Date(e.at).toISOString().slice(11, 16)} ${e.kind}: ${e.message}`);
    expect(steps).toEqual([
      '02:00 incident.opened: Opened by a paging alert',
      '02:00 alert.attached: Alert: Checkout 5xx above 20%',
      '02:00 escalation.level: Escalation level 1: paged Priya',
      '02:00 notification.sent: Notified Priya by SMS',
      '02:05 escalation.level: Escalation level 2: paged Morgan',
      // Morgan set up no notification rule: the page reached the app only, and says so.
      '02:05 notification.app_only: Morgan has no high-urgency notification rules: reached in the app only',
      '02:07 incident.acknowledged: Acknowledged by Morgan',
    ]);
    const esc = await app.db.selectFrom('escalations').selectAll().executeTakeFirstOrThrow();
    expect(esc.status).toBe('stopped');
  });

  it('repeats the policy, pages helpers on request, and escalates now on demand', async () => {
    const team = await createTeam(app);
    const { A: a, B: b } = await people(team.id, ['A', 'B']);
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Repeat once',
      repeatCount: 1,
      levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: a!.id }] }],
    });
    const incidentId = await pageThrough(team.id, policy.id);
    await app.services.escalation.addResponders(system, incidentId, [b!.id], 'need a DB expert');
    // Escalate now: the next step (round 2) happens at once instead of in 10 minutes.
    await app.services.escalation.escalateNow(system, incidentId);
    app.clock.fastForward(60 * minute);
    await app.engine!.runUntilIdle();
    const intents = await app.db
      .selectFrom('notification_intents')
      .select(['user_id', 'reason', 'level', 'round'])
      .orderBy('id')
      .execute();
    expect(intents).toEqual([
      { user_id: a!.id, reason: 'escalation', level: 0, round: 0 },
      { user_id: b!.id, reason: 'responder', level: null, round: null },
      { user_id: a!.id, reason: 'escalation', level: 0, round: 1 },
    ]);
    expect(
      (await app.db.selectFrom('escalations').selectAll().executeTakeFirstOrThrow()).status,
    ).toBe('exhausted');
  });

  it('reassigns to people (the policy stops) or to another policy (it restarts at level 1)', async () => {
    const team = await createTeam(app);
    const { A: a, B: b, C: c } = await people(team.id, ['A', 'B', 'C']);
    const policyA = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'A',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: a!.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: a!.id }] },
      ],
    });
    const policyC = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'C',
      repeatCount: 0,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: c!.id }] }],
    });
    const incidentId = await pageThrough(team.id, policyA.id);

    const toPeople = await app.services.escalation.reassign(system, incidentId, {
      userIds: [b!.id],
    });
    expect(toPeople!.status).toBe('reassigned');
    app.clock.fastForward(30 * minute);
    await app.engine!.runUntilIdle();
    const paged = async () =>
      (
        await app.db
          .selectFrom('notification_intents')
          .select(['user_id', 'reason'])
          .orderBy('id')
          .execute()
      ).map((i) => [i.user_id, i.reason]);
    expect(await paged()).toEqual([
      [a!.id, 'escalation'],
      [b!.id, 'reassigned'],
    ]);

    const toPolicy = await app.services.escalation.reassign(system, incidentId, {
      policyId: policyC.id,
    });
    expect(toPolicy).toMatchObject({ policyId: policyC.id, status: 'active', level: 1 });
    expect((await paged()).at(-1)).toEqual([c!.id, 'escalation']);
    // Back to the first policy: its first level pages again (a new run, new page keys).
    await app.services.escalation.reassign(system, incidentId, { policyId: policyA.id });
    expect((await paged()).at(-1)).toEqual([a!.id, 'escalation']);
    expect((await paged()).filter(([u]) => u === a!.id)).toHaveLength(2);
  });
});
