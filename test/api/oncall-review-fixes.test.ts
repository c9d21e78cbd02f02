import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { WebhookReceiver } from '../doubles/webhook-receiver.js';
import {
  addNotificationRule,
  addSignedInMember,
  addVerifiedContact,
  configureNotifier,
  createPagedService,
  createTeam,
  loginAdmin,
  requestAs,
  type Member,
} from '../fixtures.js';
import { createTestApp, describeEachStore, type Session, type TestApp } from '../harness.js';

// Paging fixes from the on-call review: fallbacks of helper and reassign pages, reassigning an
// acknowledged incident, who may be paged, people with no rules, escalating an exhausted policy.

const system = systemActor('test');
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const minute = 60_000;

describeEachStore('on-call review fixes', (kind) => {
  let app: TestApp;
  let hook: WebhookReceiver;
  let admin: Session;
  let teamId: string;
  let ada: Member;
  let bo: Member;

  beforeEach(async () => {
    hook = await new WebhookReceiver([secret]).start();
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T02:00:00Z'),
      random: () => 0,
    });
    admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'webhook', { secrets: [secret] });
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
  });
  afterEach(async () => {
    await app?.close();
    await hook?.stop();
  });

  /** A verified webhook of `who` at `path`, with an immediate high-urgency rule if `rule`. */
  async function webhook(who: Member, path: string, rule = true): Promise<string> {
    const id = await addVerifiedContact(
      app,
      who.session,
      { type: 'webhook', label: path, address: `${hook.url}${path}` },
      () => hook.requests.at(-1)!.body,
    );
    if (rule) await addNotificationRule(app, who.session, id, 0);
    return id;
  }

  const pagesTo = (path: string) =>
    hook.received.filter(
      (r) =>
        r.request.path === path && (r.payload as { type: string }).type.startsWith('incident.'),
    );

  /** A service paging `levels` (people per level, 30 min each); triggers one incident on it. */
  async function incident(
    levels: string[][] = [[ada.id]],
    opts: { repeatCount?: number } = {},
  ): Promise<string> {
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: `Policy ${Math.random()}`,
      repeatCount: opts.repeatCount ?? 0,
      levels: levels.map((ids) => ({
        delayMinutes: 30,
        targets: ids.map((id) => ({ type: 'user' as const, id })),
      })),
    });
    const { key } = await createPagedService(app, teamId, `Svc ${Math.random()}`, policy.id);
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const [o] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: `k-${Math.random()}`,
        summary: 'Checkout is failing',
        severity: 'critical',
        labels: {},
        raw: {},
      },
    ]);
    await app.engine!.runUntilIdle();
    return o!.incidentId!;
  }

  async function timeline(incidentId: string): Promise<string[]> {
    const res = await requestAs(app, admin, 'GET', `/api/incidents/${incidentId}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().timeline as Array<{ message: string }>).map((t) => t.message);
  }

  it('B1: a helper page on an acknowledged incident falls back to the next contact method', async () => {
    await webhook(bo, '/bo-hook');
    await webhook(bo, '/bo-spare', false);
    const id = await incident();
    await app.services.incidents.acknowledge(system, id);
    hook.respondNext({ status: 400 });
    const res = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/responders`, {
      userIds: [bo.id],
      message: 'need a hand',
    });
    expect(res.statusCode, res.body).toBe(200);
    await app.engine!.runUntilIdle();
    expect(pagesTo('/bo-hook')).toHaveLength(1);
    expect(pagesTo('/bo-spare')).toHaveLength(1);
    expect((await timeline(id)).join('\n')).toContain(
      'Could not notify Bo by webhook (webhook 400); trying webhook next',
    );
  });

  async function status(incidentId: string): Promise<string> {
    return (await requestAs(app, admin, 'GET', `/api/incidents/${incidentId}`)).json().status;
  }

  it('B2: reassigning an acknowledged incident to a policy re-triggers it and pages its first level', async () => {
    await webhook(bo, '/bo');
    const id = await incident();
    await app.services.incidents.acknowledge(system, id);
    await app.engine!.runUntilIdle();
    const other = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Bo first',
      repeatCount: 0,
      levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: bo.id }] }],
    });
    const res = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/reassign`, {
      policyId: other.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ policyId: other.id, status: 'active', level: 1 });
    await app.engine!.runUntilIdle();
    expect(await status(id)).toBe('triggered');
    expect(pagesTo('/bo')).toHaveLength(1);
    expect((await timeline(id)).join('\n')).toMatch(/re-triggered the incident by reassigning it/);
  });

  it('B2: reassigning an acknowledged incident to people re-triggers it and pages them', async () => {
    await webhook(bo, '/bo');
    const id = await incident();
    await app.services.incidents.acknowledge(system, id);
    const res = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/reassign`, {
      userIds: [bo.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    await app.engine!.runUntilIdle();
    expect(await status(id)).toBe('triggered');
    expect(pagesTo('/bo')).toHaveLength(1);
    expect(res.json()).toMatchObject({ status: 'reassigned' });
  });

  it('B3: responders and reassignment take only people who can see the incident', async () => {
    const id = await incident();
    const otherTeam = (await createTeam(app, 'Elsewhere')).id;
    const dana = await addSignedInMember(app, otherTeam, 'Dana', 'responder');
    for (const userIds of [['nonexistent-id'], [bo.id, dana.id]]) {
      const helpers = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/responders`, {
        userIds,
        message: 'help',
      });
      expect(helpers.statusCode, helpers.body).toBe(400);
      expect(helpers.json().error.field).toBe('userIds');
      const moved = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/reassign`, {
        userIds,
      });
      expect(moved.statusCode, moved.body).toBe(400);
      expect(moved.json().error.field).toBe('userIds');
    }
    const inbox = await requestAs(app, dana.session, 'GET', '/api/me/notifications');
    expect(inbox.json().items).toHaveLength(0);
    expect((await timeline(id)).join('\n')).not.toMatch(/nonexistent|Dana/);
    const ok = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/responders`, {
      userIds: [bo.id],
      message: 'help',
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('B4: a person with no rule for the urgency is said to be reached in the app only', async () => {
    const chen = await addSignedInMember(app, teamId, 'Chen', 'responder');
    await webhook(bo, '/bo');
    const id = await incident([[bo.id, chen.id]]);
    const lines = await timeline(id);
    expect(lines).toContain('Chen has no high-urgency notification rules: reached in the app only');
    expect(lines.join('\n')).not.toMatch(/Bo has no/);
    // The policy's API warns about Chen (and not Bo).
    const policies = await requestAs(
      app,
      admin,
      'GET',
      `/api/escalation-policies?teamId=${teamId}`,
    );
    expect(policies.json().items[0].noHighUrgencyRules).toEqual([
      { userId: chen.id, name: 'Chen' },
    ]);
    const schedule = await requestAs(app, admin, 'POST', '/api/schedules', {
      teamId,
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        {
          name: 'Weekly',
          participants: [bo.id, chen.id],
          rotation: { kind: 'weekly' },
          startDate: '2026-03-02',
        },
      ],
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const read = await requestAs(app, admin, 'GET', `/api/schedules/${schedule.json().id}`);
    expect(read.json().noHighUrgencyRules).toEqual([{ userId: chen.id, name: 'Chen' }]);
  });

  /** Triggers an `error` (low-urgency, route notify) alert on a service escalating through `policyId`. */
  async function lowUrgencyIncident(policyId: string | null): Promise<string> {
    const s = await app.services.services.create(system, {
      teamId,
      name: `Low ${Math.random()}`,
      description: '',
    });
    if (policyId)
      await app.services.services.update(system, s.id, { escalationPolicyId: policyId });
    const { key } = await app.services.integrations.create(system, s.id, {
      type: 'pagerduty-v2',
      config: {},
      rateLimitPerMinute: 600,
    });
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const [o] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: `low-${Math.random()}`,
        summary: 'Disk filling up',
        severity: 'error',
        labels: {},
        raw: {},
      },
    ]);
    await app.engine!.runUntilIdle();
    return o!.incidentId!;
  }

  it("B5: a low-urgency incident tells its policy's first level by their low-urgency rules", async () => {
    const adaHook = await webhook(ada, '/ada', false);
    await addNotificationRule(app, ada.session, adaHook, 0, 'low');
    await webhook(bo, '/bo');
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Ops',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: bo.id }] },
      ],
    });
    const id = await lowUrgencyIncident(policy.id);
    app.clock.fastForward(60 * minute);
    await app.engine!.runUntilIdle();
    expect(pagesTo('/ada')).toHaveLength(1);
    expect(pagesTo('/bo')).toHaveLength(0);
    const lines = await timeline(id);
    expect(lines.join('\n')).toContain('Low urgency: told Ada (on call at level 1 of Ops)');
    const pages = await requestAs(app, admin, 'GET', `/api/incidents/${id}/escalation`);
    expect(pages.json().pages).toEqual([
      expect.objectContaining({ userId: ada.id, reason: 'low-urgency' }),
    ]);
  });

  it('B5: a low-urgency incident with no policy and no distribution list says nobody was told', async () => {
    const id = await lowUrgencyIncident(null);
    expect((await timeline(id)).join('\n')).toContain(
      'Nobody was told of this low-urgency incident: the service has no escalation policy and no distribution list',
    );
  });

  it('B6: escalating an exhausted policy pages its last level again; a chosen level is validated', async () => {
    await webhook(ada, '/ada');
    await webhook(bo, '/bo');
    const id = await incident([[ada.id], [bo.id]]);
    app.clock.fastForward(30 * minute);
    await app.engine!.runUntilIdle();
    app.clock.fastForward(30 * minute);
    await app.engine!.runUntilIdle();
    const state = await requestAs(app, admin, 'GET', `/api/incidents/${id}/escalation`);
    expect(state.json().state.status).toBe('exhausted');
    expect(pagesTo('/bo')).toHaveLength(1);
    // No body: the next level, which for an exhausted policy is its last level, again.
    const again = await app.http!.inject({
      method: 'POST',
      url: `/api/incidents/${id}/escalate`,
      headers: { cookie: ada.session.cookie, 'x-csrf-token': ada.session.csrfToken },
    });
    expect(again.statusCode, again.body).toBe(200);
    await app.engine!.runUntilIdle();
    expect(pagesTo('/bo')).toHaveLength(2);
    expect(pagesTo('/ada')).toHaveLength(1);
    // A level the policy does not have: 400 naming it, nothing changed.
    for (const level of [3, 0, 'x']) {
      const bad = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/escalate`, {
        level,
      });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().error.field).toBe('level');
    }
    // Escalate to level 1: Ada is paged again.
    app.clock.fastForward(2 * minute);
    const first = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/escalate`, {
      level: 1,
    });
    expect(first.statusCode, first.body).toBe(200);
    await app.engine!.runUntilIdle();
    expect(pagesTo('/ada')).toHaveLength(2);
    expect((await timeline(id)).join('\n')).toContain('Ada escalated to level 1');
  });

  it('B7: the on-call load report counts pages for help and reassignment, by reason', async () => {
    const id = await incident();
    const helped = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/responders`, {
      userIds: [bo.id],
      message: 'help',
    });
    expect(helped.statusCode, helped.body).toBe(200);
    const moved = await requestAs(app, ada.session, 'POST', `/api/incidents/${id}/reassign`, {
      userIds: [bo.id],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const from = Date.parse('2026-03-10T00:00:00Z');
    const res = await requestAs(
      app,
      admin,
      'GET',
      `/api/reports/oncall-load?from=${from}&to=${from + 86_400_000}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const people = res.json().data.people as Array<{
      userId: string;
      pages: number;
      byReason: Record<string, number>;
    }>;
    expect(people.find((p) => p.userId === bo.id)).toMatchObject({
      pages: 2,
      byReason: { responder: 1, reassigned: 1 },
    });
    expect(people.find((p) => p.userId === ada.id)).toMatchObject({
      pages: 1,
      byReason: { escalation: 1 },
    });
  });

  it('B8: a level with nobody on call moves on at once; an all-empty policy still waits per round', async () => {
    await webhook(bo, '/bo');
    // Nobody is on call on this schedule before 2027.
    const empty = await requestAs(app, admin, 'POST', '/api/schedules', {
      teamId,
      name: 'Later',
      timeZone: 'UTC',
      layers: [
        {
          name: 'L',
          participants: [ada.id],
          rotation: { kind: 'weekly' },
          startDate: '2027-01-04',
        },
      ],
    });
    expect(empty.statusCode, empty.body).toBe(201);
    const nobody = { type: 'schedule' as const, id: empty.json().id as string };
    const policy = async (levels: Array<Array<{ type: 'user' | 'schedule'; id: string }>>) =>
      app.services.escalation.createPolicy(system, {
        teamId,
        name: `P ${Math.random()}`,
        repeatCount: 1,
        levels: levels.map((targets) => ({ delayMinutes: 30, targets })),
      });
    const trigger = async (policyId: string) => {
      const { key } = await createPagedService(app, teamId, `S ${Math.random()}`, policyId);
      const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
      const [o] = await app.services.ingest.ingest(ref, [
        {
          action: 'trigger',
          dedupKey: `${Math.random()}`,
          summary: 'Down',
          severity: 'critical',
          labels: {},
          raw: {},
        },
      ]);
      await app.engine!.runUntilIdle();
      return o!.incidentId!;
    };
    const id = await trigger((await policy([[nobody], [{ type: 'user', id: bo.id }]])).id);
    expect(pagesTo('/bo')).toHaveLength(1);
    expect(await timeline(id)).toContain('Escalation level 1: nobody on call to page');

    const allEmpty = await trigger((await policy([[nobody], [nobody]])).id);
    const state = async () =>
      (await requestAs(app, admin, 'GET', `/api/incidents/${allEmpty}/escalation`)).json().state;
    const empties = async () =>
      (await timeline(allEmpty)).filter((l) => l.includes('nobody on call')).length;
    expect(await empties()).toBe(2);
    expect(await state()).toMatchObject({ status: 'active', round: 1, level: 0 });
    app.clock.fastForward(30 * minute);
    await app.engine!.runUntilIdle();
    expect(await empties()).toBe(4);
    app.clock.fastForward(30 * minute);
    await app.engine!.runUntilIdle();
    expect(await state()).toMatchObject({ status: 'exhausted' });
  });

  it('B9: an override that is over already is refused, naming its end', async () => {
    const schedule = await requestAs(app, admin, 'POST', '/api/schedules', {
      teamId,
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        {
          name: 'L',
          participants: [ada.id],
          rotation: { kind: 'weekly' },
          startDate: '2026-03-02',
        },
      ],
    });
    const url = `/api/schedules/${schedule.json().id}/overrides`;
    const now = app.clock.now();
    const past = await requestAs(app, ada.session, 'POST', url, {
      userId: bo.id,
      start: now - 48 * 60 * minute,
      end: now - 24 * 60 * minute,
    });
    expect(past.statusCode, past.body).toBe(400);
    expect(past.json().error).toMatchObject({ code: 'OVERRIDE_IN_PAST', field: 'end' });
    const rows = await app.db.selectFrom('schedule_overrides').selectAll().execute();
    expect(rows).toHaveLength(0);
    const ongoing = await requestAs(app, ada.session, 'POST', url, {
      userId: bo.id,
      start: now - 60 * minute,
      end: now + 60 * minute,
    });
    expect(ongoing.statusCode, ongoing.body).toBe(201);
  });

  it('B10: my shifts show their real start and end, not the window edges', async () => {
    const schedule = await requestAs(app, admin, 'POST', '/api/schedules', {
      teamId,
      name: 'Weekly',
      timeZone: 'UTC',
      layers: [
        {
          name: 'L',
          participants: [ada.id, bo.id],
          rotation: { kind: 'weekly', handoffTime: '09:00' },
          startDate: '2026-03-02',
        },
      ],
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    // Now is Tuesday 10 March 02:00 UTC: Bo's week runs Monday 9 March 09:00 to 16 March 09:00.
    const mine = await requestAs(app, bo.session, 'GET', '/api/me/shifts?days=3');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items[0]).toMatchObject({
      start: Date.parse('2026-03-09T09:00:00Z'),
      end: Date.parse('2026-03-16T09:00:00Z'),
      scheduleName: 'Weekly',
    });
  });
});

describeEachStore('on-call review fixes: default notification rules', (kind) => {
  let app: TestApp;
  const sent: string[] = [];
  beforeEach(async () => {
    app = await createTestApp(kind, { deliver: async (m) => void sent.push(m.text) });
  });
  afterEach(() => app?.close());

  it("B4: verifying a person's first email or phone gives it a default immediate high-urgency rule", async () => {
    const teamId = (await createTeam(app)).id;
    const bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    const add = async (type: string, address: string) => {
      const res = await requestAs(app, bo.session, 'POST', '/api/me/contact-methods', {
        type,
        label: type,
        address,
      });
      expect(res.statusCode, res.body).toBe(201);
      const code = /(\d{6})/.exec(sent.at(-1)!)![1]!;
      const ok = await requestAs(
        app,
        bo.session,
        'POST',
        `/api/me/contact-methods/${res.json().id}/verify`,
        { code },
      );
      expect(ok.statusCode, ok.body).toBe(200);
      return res.json().id as string;
    };
    const rules = async () =>
      (await requestAs(app, bo.session, 'GET', '/api/me/notification-rules')).json().items;
    // A Slack identity makes no rule (it links Bo's Slack account); the first phone does.
    await add('slack', 'U0BOBOBO1');
    expect(await rules()).toEqual([]);
    const phone = await add('sms', '+15550100');
    expect(await rules()).toEqual([
      expect.objectContaining({
        contactMethodId: phone,
        urgency: 'high',
        delayMinutes: 0,
        isDefault: true,
      }),
    ]);
    // A second method adds none; Bo's own first high-urgency rule replaces the default.
    const email = await add('email', 'bo@x.test');
    expect(await rules()).toHaveLength(1);
    await addNotificationRule(app, bo.session, email, 5);
    expect(await rules()).toEqual([
      expect.objectContaining({ contactMethodId: email, delayMinutes: 5, isDefault: false }),
    ]);
  });
});
