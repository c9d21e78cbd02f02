import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { addMember, createTeam, loginAdmin, testPassword } from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  type Session,
  type TestApp,
} from '../harness.js';

// Service reviews and the weekly digest: a burn-in review six weeks after a service is added,
// reminders to the team's admins while it is overdue, ticking and closing it, the periodic review
// after it; and the Monday digest to team leads once switched on.

const system = systemActor('test');
const day = 86_400_000;

describeEachStore('service reviews and the weekly digest', (kind) => {
  let app: TestApp;
  let teamId: string;
  let serviceId: string;
  const sent: Array<{ channel: string; address: string | null; text: string; at: string }> = [];

  beforeEach(async () => {
    sent.length = 0;
    // A Wednesday.
    const clock = new FakeClock('2026-03-04T10:00:00Z');
    app = await createTestApp(kind, {
      clock,
      deliver: async (m) =>
        void sent.push({ ...m, at: new Date(clock.now()).toISOString().slice(0, 16) }),
    });
    teamId = (await createTeam(app)).id;
    await addMember(app, teamId, 'Lead', 'admin');
    await addMember(app, teamId, 'Ada', 'responder');
    await addMember(app, teamId, 'Vic', 'viewer');
    serviceId = (
      await app.services.services.create(system, { teamId, name: 'Payments', description: '' })
    ).id;
  });
  afterEach(async () => {
    await app.close();
  });

  const as = async (name: string): Promise<Session> => login(app, `${name}@x.test`, testPassword);
  const call = async (
    who: Session,
    method: 'GET' | 'PATCH' | 'PUT',
    url: string,
    payload?: unknown,
  ) =>
    app.http!.inject({
      method,
      url,
      headers: asSession(who),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('creates the burn-in review after six weeks, reminds the team admins, and the periodic one follows', async () => {
    await app.engine!.runUntilIdle();
    app.clock.fastForward(41 * day);
    await app.engine!.runUntilIdle();
    expect(await app.db.selectFrom('service_reviews').selectAll().execute()).toEqual([]);

    app.clock.fastForward(day + 3_600_000);
    await app.engine!.runUntilIdle();
    const ada = await as('ada');
    const open = (await call(ada, 'GET', '/api/service-reviews?status=open')).json().items;
    expect(open).toEqual([
      expect.objectContaining({
        serviceName: 'Payments',
        kind: 'burn_in',
        status: 'open',
        dueAt: Date.parse('2026-04-15T10:00:00Z'),
        checklist: [
          { item: 'Alert thresholds are right (no noise, nothing missed)', done: false },
          { item: 'Metrics and logs are complete', done: false },
          { item: 'Runbook is linked', done: false },
          { item: 'On-call and escalation are set', done: false },
        ],
      }),
    ]);
    // The team's admin (only) is reminded, by email, and again a week later.
    expect(sent.map((m) => [m.channel, m.address])).toEqual([['email', 'lead@x.test']]);
    expect(sent[0]!.text).toContain('burn-in review of Payments is due (2026-04-15)');
    app.clock.fastForward(3 * day);
    await app.engine!.runUntilIdle();
    expect(sent).toHaveLength(1);
    app.clock.fastForward(4 * day);
    await app.engine!.runUntilIdle();
    expect(sent).toHaveLength(2);

    // Viewers read but do not complete it; bad input names the field; a responder closes it.
    const id = open[0].id as string;
    const vic = await as('vic');
    expect(
      (await call(vic, 'PATCH', `/api/service-reviews/${id}`, { status: 'done' })).statusCode,
    ).toBe(403);
    const adaNow = await as('ada');
    const short = await call(adaNow, 'PATCH', `/api/service-reviews/${id}`, { checklist: [true] });
    expect([short.statusCode, short.json().error.field]).toEqual([400, 'checklist']);
    const extra = await call(adaNow, 'PATCH', `/api/service-reviews/${id}`, { owner: 'x' });
    expect(extra.statusCode).toBe(400);
    const closed = await call(adaNow, 'PATCH', `/api/service-reviews/${id}`, {
      checklist: [true, true, false, true],
      notes: 'Runbook link pending in the wiki.',
      status: 'done',
    });
    expect(closed.json()).toMatchObject({ status: 'done', doneBy: 'Ada', overdue: false });
    expect(closed.json().checklist.map((c: { done: boolean }) => c.done)).toEqual([
      true,
      true,
      false,
      true,
    ]);
    app.clock.fastForward(7 * day);
    await app.engine!.runUntilIdle();
    expect(sent).toHaveLength(2);
    // Outsiders see none of it.
    const other = await createTeam(app, 'Billing');
    await addMember(app, other.id, 'Olga', 'admin');
    expect((await call(await as('olga'), 'GET', '/api/service-reviews')).json().items).toEqual([]);
    expect(
      (await call(await as('olga'), 'PATCH', `/api/service-reviews/${id}`, { status: 'open' }))
        .statusCode,
    ).toBe(404);

    // 90 days after the burn-in date: the periodic review.
    app.clock.set('2026-07-14T11:00:00Z');
    await app.engine!.runUntilIdle();
    const reviews = (await call(await as('ada'), 'GET', '/api/service-reviews')).json().items;
    expect(
      reviews.map((r: { kind: string; status: string; dueAt: number }) => [
        r.kind,
        r.status,
        new Date(r.dueAt).toISOString(),
      ]),
    ).toEqual([
      ['burn_in', 'done', '2026-04-15T10:00:00.000Z'],
      ['periodic', 'open', '2026-07-14T10:00:00.000Z'],
    ]);
  });

  it('mails the weekly digest to team leads on Monday 08:00 UTC once switched on', async () => {
    const admin = await loginAdmin(app);
    const ada = await as('ada');
    const denied = await call(ada, 'PUT', '/api/settings/postmortems', { weeklyDigest: true });
    expect(denied.statusCode).toBe(403);
    expect(
      (await call(admin, 'PUT', '/api/settings/postmortems', { weeklyDigest: true })).statusCode,
    ).toBe(200);
    await app.engine!.runUntilIdle(); // schedules the first digest: Monday 9 March 08:00
    const declared = await app.http!.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: asSession(ada),
      payload: { title: 'Payments slow', severity: 'SEV2', serviceIds: [serviceId] },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    app.clock.set('2026-03-09T07:59:00Z');
    await app.engine!.runUntilIdle();
    expect(sent).toEqual([]);
    app.clock.set('2026-03-09T08:00:00Z');
    await app.engine!.runUntilIdle();
    expect(sent.map((m) => [m.channel, m.address, m.at])).toEqual([
      ['email', 'lead@x.test', '2026-03-09T08:00'],
    ]);
    expect(sent[0]!.text).toContain('Tocsin weekly digest for Platform: 2026-03-02 to 2026-03-08');
    expect(sent[0]!.text).toContain('Incidents: 1 (SEV2 1)');
    // Once a week, not more.
    app.clock.set('2026-03-15T08:00:00Z');
    await app.engine!.runUntilIdle();
    expect(sent).toHaveLength(1);
    app.clock.set('2026-03-16T08:00:00Z');
    await app.engine!.runUntilIdle();
    expect(sent).toHaveLength(2);
  });
});
