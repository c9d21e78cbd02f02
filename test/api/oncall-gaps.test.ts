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

// Coverage gaps of schedules (next 14 days) and who is on call next, through the API.

const system = systemActor('test');
const pw = 'a long enough password';
const hour = 3_600_000;
const day = 24 * hour;
const at = (iso: string) => Date.parse(iso);

/** Monday to Friday, 09:00–17:00 each. */
const weekdays = [1, 2, 3, 4, 5].map((d) => ({
  kind: 'weekly' as const,
  startDay: d,
  start: '09:00',
  endDay: d,
  end: '17:00',
}));

describeEachStore('on-call coverage gaps and who is next', (kind) => {
  let app: TestApp;
  let clock: FakeClock;
  let lead: Session;
  let teamId: string;
  let ids: Record<string, string>;
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.http!.inject({ method, url, headers: asSession(lead), ...(payload ? { payload } : {}) });

  beforeEach(async () => {
    // Tuesday 2026-03-10 12:00 in London (GMT).
    clock = new FakeClock('2026-03-10T12:00:00Z');
    app = await createTestApp(kind, { clock });
    teamId = (await app.services.teams.create(system, { name: 'Platform', description: '' })).id;
    ids = {};
    for (const [name, role] of [
      ['lead', 'admin'],
      ['Ada', 'responder'],
      ['Bo', 'responder'],
    ] as const) {
      const u = await app.services.users.create(system, {
        email: `${name.toLowerCase()}@x.test`,
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

  async function schedule(name: string, layers: object[]): Promise<string> {
    // The API refuses a schedule without layers; one stored with none still happens (the service).
    if (layers.length === 0)
      return (
        await app.services.schedules.create(system, {
          teamId,
          name,
          timeZone: 'Europe/London',
          layers: [],
        })
      ).id;
    const res = await call('POST', '/api/schedules', {
      teamId,
      name,
      timeZone: 'Europe/London',
      layers,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  const weekdayLayer = () => ({
    name: 'Office hours',
    participants: [ids.Ada, ids.Bo],
    rotation: { kind: 'daily', handoffTime: '09:00' },
    startDate: '2026-03-02',
    restrictions: weekdays,
  });

  it('lists the gaps of a weekday-only schedule over the next 14 days; an override closes one', async () => {
    const id = await schedule('Office', [weekdayLayer()]);
    const gaps = async () => {
      const res = await call('GET', `/api/schedules/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().gaps as Array<{ start: number; end: number }>;
    };
    const before = await gaps();
    // Nights and weekends from Tuesday 12:00 to the Tuesday after next, 12:00.
    expect(before[0]).toEqual({
      start: at('2026-03-10T17:00:00Z'),
      end: at('2026-03-11T09:00:00Z'),
    });
    expect(before).toContainEqual({
      start: at('2026-03-13T17:00:00Z'),
      end: at('2026-03-16T09:00:00Z'),
    });
    expect(before.at(-1)).toEqual({
      start: at('2026-03-23T17:00:00Z'),
      end: at('2026-03-24T09:00:00Z'),
    });
    expect(before).toHaveLength(10);

    const override = await call('POST', `/api/schedules/${id}/overrides`, {
      userId: ids.Bo,
      start: at('2026-03-10T17:00:00Z'),
      end: at('2026-03-11T09:00:00Z'),
    });
    expect(override.statusCode, override.body).toBe(201);
    const after = await gaps();
    expect(after).toHaveLength(9);
    expect(after[0]).toEqual({
      start: at('2026-03-11T17:00:00Z'),
      end: at('2026-03-12T09:00:00Z'),
    });

    // The list says the same, and the shifts endpoint has the gaps of its own window.
    const list = await call('GET', '/api/schedules');
    expect(list.json().items[0].gaps).toEqual(after);
    const from = at('2026-03-16T00:00:00Z');
    const shifts = await call('GET', `/api/schedules/${id}/shifts?from=${from}&to=${from + day}`);
    expect(shifts.json().gaps).toEqual([
      { start: from, end: at('2026-03-16T09:00:00Z') },
      { start: at('2026-03-16T17:00:00Z'), end: from + day },
    ]);
  });

  it('an empty schedule is one gap: the next 14 days', async () => {
    const id = await schedule('Empty', []);
    const now = clock.now();
    expect((await call('GET', `/api/schedules/${id}`)).json().gaps).toEqual([
      { start: now, end: now + 14 * day },
    ]);
  });

  it('says who is on call next and from when, as the clock moves', async () => {
    await schedule('Primary', [
      {
        name: 'Weekly',
        participants: [ids.Ada, ids.Bo],
        rotation: { kind: 'weekly', handoffTime: '09:00' },
        startDate: '2026-03-09',
      },
    ]);
    await schedule('Empty', []);
    const items = async () => {
      const res = await call('GET', '/api/oncall');
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as Array<{ scheduleName: string; userId: string; next: unknown }>;
    };
    const byName = async (name: string) => (await items()).find((i) => i.scheduleName === name)!;
    expect(await byName('Primary')).toMatchObject({
      userId: ids.Ada,
      next: { userId: ids.Bo, name: 'Bo', start: at('2026-03-16T09:00:00Z') },
    });
    expect(await byName('Empty')).toMatchObject({ userId: null, next: null });

    clock.set('2026-03-16T10:00:00Z');
    lead = await login(app, 'lead@x.test', pw); // sessions lapse when idle
    expect(await byName('Primary')).toMatchObject({
      userId: ids.Bo,
      next: { userId: ids.Ada, name: 'Ada', start: at('2026-03-23T09:00:00Z') },
    });
  });

  it('names who comes on after a gap when nobody is on call now', async () => {
    await schedule('Office', [weekdayLayer()]);
    clock.set('2026-03-13T20:00:00Z'); // Friday evening
    lead = await login(app, 'lead@x.test', pw); // sessions lapse when idle
    const res = await call('GET', '/api/oncall');
    expect(res.statusCode, res.body).toBe(200);
    const [item] = res.json().items;
    // Daily rotation from Monday 2026-03-02 (Ada): Monday 2026-03-16 is Ada's (14 days on).
    expect(item).toMatchObject({
      userId: null,
      next: { userId: ids.Ada, name: 'Ada', start: at('2026-03-16T09:00:00Z') },
    });
  });
});
