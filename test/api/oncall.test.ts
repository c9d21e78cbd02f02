import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  type Session,
  type TestApp,
} from '../harness.js';

const system = systemActor('test');
const pw = 'a long enough password';
const day = 86_400_000;

describeEachStore('on-call API', (kind) => {
  let app: TestApp;
  let lead: Session;
  let teamId: string;
  let ids: Record<string, string>;
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    s: Session = lead,
  ) => app.http!.inject({ method, url, headers: asSession(s), ...(payload ? { payload } : {}) });

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T12:00:00Z') });
    teamId = (await app.services.teams.create(system, { name: 'Platform', description: '' })).id;
    ids = {};
    for (const [name, role] of [
      ['lead', 'admin'],
      ['ada', 'responder'],
      ['bo', 'responder'],
    ] as const) {
      const u = await app.services.users.create(system, {
        email: `${name}@x.test`,
        name,
        password: pw,
        isOrgAdmin: false,
      });
      await app.services.teams.setMember(system, teamId, u.id, role);
      ids[name] = u.id;
    }
    lead = await login(app, 'lead@x.test', pw);
  });
  afterEach(async () => {
    await app.close();
  });

  const schedule = () =>
    call('POST', '/api/schedules', {
      teamId,
      name: 'Primary',
      timeZone: 'Europe/London',
      layers: [
        {
          name: 'Weekly',
          participants: [ids.ada, ids.bo],
          rotation: { kind: 'weekly', handoffTime: '09:00' },
          startDate: '2026-03-09',
        },
      ],
    });

  it('creates a schedule, shows final shifts and who is on call, and lets a responder override', async () => {
    const created = await schedule();
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const from = Date.parse('2026-03-09T00:00:00Z');
    const shifts = await call(
      'GET',
      `/api/schedules/${id}/shifts?from=${from}&to=${from + 14 * day}`,
    );
    expect(shifts.json().final.map((s: { userId: string }) => s.userId)).toEqual([ids.ada, ids.bo]);
    expect((await call('GET', '/api/oncall')).json().items).toEqual([
      {
        scheduleId: id,
        scheduleName: 'Primary',
        teamId,
        userId: ids.ada,
        next: { userId: ids.bo, name: 'bo', start: Date.parse('2026-03-16T09:00:00Z') },
      },
    ]);

    const bo = await login(app, 'bo@x.test', pw);
    const override = await call(
      'POST',
      `/api/schedules/${id}/overrides`,
      { userId: ids.bo, start: app.clock.now(), end: app.clock.now() + 3_600_000 },
      bo,
    );
    expect(override.statusCode).toBe(201);
    expect((await call('GET', '/api/oncall')).json().items[0].userId).toBe(ids.bo);
    const mine = await call('GET', '/api/me/shifts?days=14', undefined, bo);
    expect(mine.json().items[0]).toMatchObject({ start: app.clock.now(), scheduleName: 'Primary' });
  });

  it('creates, updates and deletes escalation policies (team admins), naming bad fields', async () => {
    const created = await call('POST', '/api/escalation-policies', {
      teamId,
      name: 'Default',
      levels: [{ targets: [{ type: 'user', id: ids.ada }] }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ repeatCount: 0, levels: [{ delayMinutes: 5 }] });
    const id = created.json().id as string;
    const updated = await call('PUT', `/api/escalation-policies/${id}`, {
      name: 'Default',
      repeatCount: 2,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: ids.ada }] },
        { delayMinutes: 10, targets: [{ type: 'user', id: ids.lead }] },
      ],
    });
    expect(updated.json()).toMatchObject({ repeatCount: 2, levels: [{}, { delayMinutes: 10 }] });
    const bad = await call('PUT', `/api/escalation-policies/${id}`, {
      name: 'x',
      levels: [{ delayMinutes: 0, targets: [] }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toMatch(/^levels\.0\./);
    const bo = await login(app, 'bo@x.test', pw);
    expect((await call('DELETE', `/api/escalation-policies/${id}`, undefined, bo)).statusCode).toBe(
      403,
    );
    expect((await call('DELETE', `/api/escalation-policies/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/escalation-policies/${id}`)).statusCode).toBe(404);
  });

  it('names the bad field in a schedule', async () => {
    const bad = await call('POST', '/api/schedules', {
      teamId,
      name: 'X',
      timeZone: 'Mars/Olympus',
      layers: [
        {
          name: 'L',
          participants: [ids.ada],
          rotation: { kind: 'daily', handoffTime: '25:00' },
          startDate: '2026-03-09',
        },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('timeZone');
    const badTime = await call('POST', '/api/schedules', {
      teamId,
      name: 'X',
      timeZone: 'UTC',
      layers: [
        {
          name: 'L',
          participants: [ids.ada],
          rotation: { kind: 'daily', handoffTime: '25:00' },
          startDate: '2026-03-09',
        },
      ],
    });
    expect(badTime.json().error.field).toBe('layers.0.rotation.handoffTime');
  });

  it('serves an iCal feed behind a revocable token', async () => {
    const id = (await schedule()).json().id as string;
    const ada = await login(app, 'ada@x.test', pw);
    const feed = await call('POST', '/api/me/calendar-feeds', { kind: 'user' }, ada);
    expect(feed.statusCode).toBe(201);
    const ics = await app.http!.inject({ method: 'GET', url: feed.json().path });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('BEGIN:VCALENDAR');
    expect(ics.body).toContain('SUMMARY:On call: Primary');
    expect(ics.body).toContain('DTSTART:20260309T090000Z');
    const scheduleFeed = await call(
      'POST',
      '/api/me/calendar-feeds',
      { kind: 'schedule', scheduleId: id },
      ada,
    );
    expect(
      (await app.http!.inject({ method: 'GET', url: scheduleFeed.json().path })).body,
    ).toContain('SUMMARY:bo on call (Primary)');
    await call('DELETE', `/api/me/calendar-feeds/${feed.json().id}`, undefined, ada);
    expect((await app.http!.inject({ method: 'GET', url: feed.json().path })).statusCode).toBe(404);
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/calendar/' + 'x'.repeat(43) + '.ics' }))
        .statusCode,
    ).toBe(404);
  });

  it('verifies contact methods with a code before rules may use them', async () => {
    await app.close();
    const sent: string[] = [];
    app = await createTestApp(kind, { deliver: async (m) => void sent.push(m.text) });
    const admin = await login(app, 'admin@test.local', 'correct horse battery staple');
    const cm = await call(
      'POST',
      '/api/me/contact-methods',
      { type: 'sms', label: 'Phone', address: '+15550100' },
      admin,
    );
    expect(cm.json().verified).toBe(false);
    const early = await call(
      'POST',
      '/api/me/notification-rules',
      { contactMethodId: cm.json().id, urgency: 'high', delayMinutes: 0 },
      admin,
    );
    expect(early.json().error).toMatchObject({
      code: 'CONTACT_METHOD_UNVERIFIED',
      field: 'contactMethodId',
    });
    const wrong = await call(
      'POST',
      `/api/me/contact-methods/${cm.json().id}/verify`,
      { code: '000000' === /(\d{6})/.exec(sent[0]!)![1] ? '111111' : '000000' },
      admin,
    );
    expect(wrong.json().error).toMatchObject({ code: 'CONTACT_CODE_INVALID', field: 'code' });
    const code = /(\d{6})/.exec(sent[0]!)![1]!;
    expect(
      (await call('POST', `/api/me/contact-methods/${cm.json().id}/verify`, { code }, admin)).json()
        .verified,
    ).toBe(true);
    expect(
      (
        await call(
          'POST',
          '/api/me/notification-rules',
          { contactMethodId: cm.json().id, urgency: 'high', delayMinutes: 2 },
          admin,
        )
      ).statusCode,
    ).toBe(201);

    // A code allows five tries, even sent at once; then even the right one is refused.
    const other = await call(
      'POST',
      '/api/me/contact-methods',
      { type: 'sms', label: 'Other phone', address: '+15550199' },
      admin,
    );
    const otherCode = /(\d{6})/.exec(sent[1]!)![1]!;
    const wrongCode = otherCode === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(
          'POST',
          `/api/me/contact-methods/${other.json().id}/verify`,
          { code: wrongCode },
          admin,
        ),
      ),
    );
    expect(guesses.map((g) => g.json().error.code).sort()).toEqual([
      ...Array(5).fill('CONTACT_CODE_INVALID'),
      ...Array(3).fill('CONTACT_CODE_LOCKED'),
    ]);
    const late = await call(
      'POST',
      `/api/me/contact-methods/${other.json().id}/verify`,
      { code: otherCode },
      admin,
    );
    expect(late.json().error).toMatchObject({ code: 'CONTACT_CODE_LOCKED', field: 'code' });
  });
});
