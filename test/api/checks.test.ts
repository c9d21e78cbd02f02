import { afterEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import type { Config } from '../../src/config/config.js';
import { SwitchableHttpServer } from '../doubles/check-targets.js';
import { requestAs, type ApiMethod } from '../fixtures.js';
import {
  createTestApp,
  describeEachStore,
  login,
  testAdmin,
  type Session,
  type TestApp,
} from '../harness.js';

// The checks API: who may do what, validation, "test now", the SSRF guard and allowPrivate,
// heartbeat endpoints, results / downtimes / uptime / latency, pausing and deleting a check
// that is down, and rollups with retention.

const system = systemActor('test');
const pw = 'a long enough password';
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

describeEachStore('checks API', (kind) => {
  let app: TestApp;
  let target: SwitchableHttpServer;
  let admin: Session;
  let ada: Session; // responder
  let vic: Session; // viewer
  let eve: Session; // another team
  let serviceId: string;
  let teamId: string;

  async function setup(config: Partial<Config> = {}) {
    target = await new SwitchableHttpServer().start();
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T12:00:00Z'),
      config: { checkLookaheadMs: 0, ...config },
    });
    admin = await login(app, testAdmin.email, testAdmin.password);
    const team = await app.services.teams.create(system, { name: 'Web', description: '' });
    const other = await app.services.teams.create(system, { name: 'Other', description: '' });
    teamId = team.id;
    const person = async (name: string, t: string, role: 'responder' | 'viewer') => {
      const u = await app.services.users.create(system, {
        email: `${name}@x.test`,
        name,
        password: pw,
        isOrgAdmin: false,
      });
      await app.services.teams.setMember(system, t, u.id, role);
      return login(app, `${name}@x.test`, pw);
    };
    ada = await person('ada', team.id, 'responder');
    vic = await person('vic', team.id, 'viewer');
    eve = await person('eve', other.id, 'responder');
    serviceId = (
      await app.services.services.create(system, { teamId: team.id, name: 'Web', description: '' })
    ).id;
  }
  afterEach(async () => {
    await app?.close();
    await target?.stop();
  });

  const req = (s: Session, method: ApiMethod, url: string, payload?: object) =>
    requestAs(app, s, method, url, payload);
  const httpCheck = (over: object = {}) => ({
    serviceId,
    name: 'Home page',
    kind: 'http',
    intervalSeconds: 30,
    timeoutSeconds: 5,
    config: { url: `${target.url}/`, keyword: 'ok' },
    ...over,
  });
  async function runDue(): Promise<void> {
    await app.engine!.runUntilIdle();
    await app.services.checkRunner.settle();
    await app.engine!.runUntilIdle();
  }
  async function runNext(id: string): Promise<void> {
    const c = await app.services.checks.get(system, id);
    app.clock.set(c.nextRunAt!);
    await runDue();
  }

  it('responders create and edit, viewers read, other teams see nothing', async () => {
    await setup();
    const created = await req(ada, 'POST', '/api/checks', httpCheck());
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body.heartbeat).toBeNull();
    expect(body.check).toMatchObject({
      teamId,
      serviceId,
      kind: 'http',
      enabled: true,
      intervalSeconds: 30,
      timeoutSeconds: 5,
      failuresToAlert: 2,
      successesToResolve: 1,
      severity: 'critical',
      allowPrivate: false,
      state: 'unknown',
      lastResult: null,
      config: {
        url: `${target.url}/`,
        method: 'GET',
        expectStatus: ['200-399'],
        keyword: 'ok',
        certExpiryDays: 14,
      },
    });
    const id = body.check.id as string;

    const list = await req(vic, 'GET', '/api/checks');
    expect(list.json().items).toEqual([expect.objectContaining({ id, uptime24h: null })]);
    expect(
      (await req(vic, 'GET', `/api/checks?serviceId=${serviceId}&kind=http`)).json().items,
    ).toHaveLength(1);
    expect((await req(vic, 'GET', '/api/checks?kind=tcp')).json().items).toHaveLength(0);
    expect((await req(eve, 'GET', '/api/checks')).json().items).toHaveLength(0);
    expect((await req(eve, 'GET', `/api/checks/${id}`)).statusCode).toBe(404);

    const viewerCreate = await req(vic, 'POST', '/api/checks', httpCheck());
    expect(viewerCreate.statusCode).toBe(403);
    expect(viewerCreate.json().error.code).toBe('CHECK_FORBIDDEN');
    expect((await req(vic, 'PATCH', `/api/checks/${id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await req(vic, 'POST', `/api/checks/${id}/run`)).statusCode).toBe(403);
    expect((await req(eve, 'POST', '/api/checks', httpCheck())).json().error.code).toBe(
      'SERVICE_NOT_FOUND',
    );

    const patched = await req(ada, 'PATCH', `/api/checks/${id}`, {
      name: 'Home',
      failuresToAlert: 3,
      config: { keyword: 'status' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Home',
      failuresToAlert: 3,
      config: { keyword: 'status', url: `${target.url}/` },
    });

    const audit = await req(admin, 'GET', '/api/audit?limit=10');
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['check.created', 'check.updated']),
    );
    expect((await req(ada, 'DELETE', `/api/checks/${id}`)).statusCode).toBe(204);
    expect((await req(vic, 'GET', `/api/checks/${id}`)).statusCode).toBe(404);
  });

  it('validates intervals, timeouts, configs, cron and time zones with stable codes', async () => {
    await setup();
    const bad = async (payload: object) => {
      const r = await req(ada, 'POST', '/api/checks', payload);
      expect(r.statusCode, r.body).toBe(400);
      return r.json().error as { code: string; field?: string };
    };
    expect(await bad(httpCheck({ intervalSeconds: 5 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await bad(httpCheck({ intervalSeconds: 90_000 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await bad(httpCheck({ intervalSeconds: 10, timeoutSeconds: 20 }))).toMatchObject({
      code: 'CHECK_TIMEOUT_TOO_LONG',
      field: 'timeoutSeconds',
    });
    expect(await bad(httpCheck({ config: { url: 'ftp://x.test/' } }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      await bad(
        httpCheck({ config: { url: 'https://x.test/', jsonPath: { path: '$..x', op: 'exists' } } }),
      ),
    ).toMatchObject({ code: 'CHECK_CONFIG_INVALID', field: 'config.jsonPath.path' });
    expect(
      await bad({
        serviceId,
        name: 'd',
        kind: 'dns',
        config: { name: 'x.test', nameserver: 'dns.google' },
      }),
    ).toMatchObject({ code: 'CHECK_CONFIG_INVALID', field: 'config.nameserver' });
    expect(
      await bad({ serviceId, name: 'h', kind: 'heartbeat', cron: '0 25 * * *' }),
    ).toMatchObject({
      code: 'CHECK_CRON_INVALID',
      field: 'cron',
    });
    expect(
      await bad({ serviceId, name: 'h', kind: 'heartbeat', timeZone: 'Mars/Olympus' }),
    ).toMatchObject({
      code: 'CHECK_TIME_ZONE_INVALID',
    });
    // A probe has no schedule of its own: an edit giving one is refused, not stored.
    const probe = (await req(ada, 'POST', '/api/checks', httpCheck())).json().check;
    for (const [field, value] of [
      ['cron', 'garbage'],
      ['timeZone', 'Not/AZone'],
    ] as const) {
      const r = await req(ada, 'PATCH', `/api/checks/${probe.id}`, { [field]: value });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({ field });
    }
    expect((await req(ada, 'GET', `/api/checks/${probe.id}`)).json()).toMatchObject({
      cron: null,
      timeZone: 'UTC',
    });
    const kinds = await req(vic, 'GET', '/api/checks/kinds');
    expect(kinds.json().items.map((k: { kind: string }) => k.kind)).toEqual([
      'http',
      'tcp',
      'dns',
      'tls',
      'ping',
      'heartbeat',
    ]);
  });

  it('a resumed heartbeat that had pinged gets a deadline from the resume, and can be missed', async () => {
    await setup();
    const { check, heartbeat } = (
      await req(ada, 'POST', '/api/checks', {
        serviceId,
        name: 'Backup job',
        kind: 'heartbeat',
        intervalSeconds: 3600,
        graceSeconds: 300,
      })
    ).json();
    await app.http!.inject({ method: 'GET', url: `/api/heartbeats/${heartbeat.token}` });
    await req(ada, 'PATCH', `/api/checks/${check.id}`, { enabled: false });
    app.clock.fastForward(10 * 3600 * second);
    const resumed = await req(ada, 'PATCH', `/api/checks/${check.id}`, { enabled: true });
    expect(resumed.json().nextRunAt).toBe(app.clock.now() + (3600 + 300) * second);
  });

  it('"test now" returns the result and records nothing', async () => {
    await setup();
    const id = (await req(ada, 'POST', '/api/checks', httpCheck())).json().check.id as string;
    const run = await req(ada, 'POST', `/api/checks/${id}/run`);
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({
      ok: true,
      error: null,
      at: app.clock.now(),
      details: { status: 200 },
    });
    target.mode = 'error';
    expect((await req(ada, 'POST', `/api/checks/${id}/run`)).json()).toMatchObject({
      ok: false,
      error: 'HTTP 503, expected 200-399',
    });
    expect((await req(vic, 'GET', `/api/checks/${id}`)).json()).toMatchObject({
      state: 'unknown',
      lastResult: null,
    });
    expect((await req(vic, 'GET', `/api/checks/${id}/results`)).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(target.requests).toHaveLength(2);

    // The create form's "test now": the draft is probed once and nothing is stored.
    const draft = await req(ada, 'POST', '/api/checks/test', httpCheck({ name: 'Draft' }));
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ ok: false, error: 'HTTP 503, expected 200-399' });
    target.mode = 'up';
    expect((await req(ada, 'POST', '/api/checks/test', httpCheck())).json()).toMatchObject({
      ok: true,
    });
    expect(target.requests).toHaveLength(4);
    expect((await req(ada, 'GET', '/api/checks')).json().items).toHaveLength(1);
    const bad = await req(
      ada,
      'POST',
      '/api/checks/test',
      httpCheck({ config: { url: 'ftp://x' } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('url');
    expect((await req(vic, 'POST', '/api/checks/test', httpCheck())).statusCode).toBe(403);
    expect((await req(eve, 'POST', '/api/checks/test', httpCheck())).statusCode).toBe(404);
    expect(
      (await req(ada, 'POST', '/api/checks/test', httpCheck({ allowPrivate: true }))).statusCode,
    ).toBe(403);
    expect(target.requests).toHaveLength(4);
  });

  it('checks reach private addresses only with the allow-list or allowPrivate, which only org admins set', async () => {
    await setup({ outboundAllow: [] });
    const id = (await req(ada, 'POST', '/api/checks', httpCheck())).json().check.id as string;
    const blocked = (await req(ada, 'POST', `/api/checks/${id}/run`)).json();
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toMatch(/blocked: 127\.0\.0\.1 is a loopback/);
    expect(target.requests).toHaveLength(0);

    const denied = await req(ada, 'PATCH', `/api/checks/${id}`, { allowPrivate: true });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({
      code: 'CHECK_ALLOW_PRIVATE_ADMIN_ONLY',
      field: 'allowPrivate',
    });
    expect(
      (await req(ada, 'POST', '/api/checks', httpCheck({ allowPrivate: true }))).statusCode,
    ).toBe(403);

    const allowed = await req(admin, 'PATCH', `/api/checks/${id}`, { allowPrivate: true });
    expect(allowed.json().allowPrivate).toBe(true);
    expect((await req(ada, 'POST', `/api/checks/${id}/run`)).json().ok).toBe(true);
    // Pointing it elsewhere is the admin's call too; other edits are the team's.
    const retarget = await req(ada, 'PATCH', `/api/checks/${id}`, {
      config: { url: 'http://169.254.169.254/' },
    });
    expect(retarget.json().error.code).toBe('CHECK_ALLOW_PRIVATE_ADMIN_ONLY');
    expect((await req(ada, 'PATCH', `/api/checks/${id}`, { name: 'Renamed' })).statusCode).toBe(
      200,
    );
  });

  it('heartbeats: token shown once and stored hashed, any method and body, unknown 404, too many 429', async () => {
    await setup();
    const created = await req(ada, 'POST', '/api/checks', {
      serviceId,
      name: 'Cron job',
      kind: 'heartbeat',
      intervalSeconds: 3600,
      graceSeconds: 300,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { check, heartbeat } = created.json();
    expect(heartbeat.url).toBe(`http://localhost:80/api/heartbeats/${heartbeat.token}`);
    expect(check).toMatchObject({
      kind: 'heartbeat',
      graceSeconds: 300,
      failuresToAlert: 1,
      nextRunAt: null,
    });
    expect(check.heartbeat.tokenPrefix).toBe(heartbeat.token.slice(0, 6));
    const row = await app.db
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(heartbeat.token);
    expect((await req(vic, 'GET', `/api/checks/${check.id}`)).body).not.toContain(heartbeat.token);

    const url = `/api/heartbeats/${heartbeat.token}`;
    expect((await app.http!.inject({ method: 'GET', url })).json()).toEqual({
      ok: true,
      recorded: true,
    });
    app.clock.fastForward(second);
    const form = await app.http!.inject({
      method: 'POST',
      url: `${url}/fail`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'exit code 2',
    });
    expect(form.statusCode).toBe(200);
    const results = (await req(vic, 'GET', `/api/checks/${check.id}/results`)).json().items;
    expect(results.map((r: { ok: boolean; error: string | null }) => [r.ok, r.error])).toEqual([
      [false, 'exit code 2'],
      [true, null],
    ]);
    const unknown = await app.http!.inject({
      method: 'POST',
      url: '/api/heartbeats/nope-nope-nope-nope-nope',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('HEARTBEAT_NOT_FOUND');

    const rotated = await req(ada, 'POST', `/api/checks/${check.id}/heartbeat-token`);
    expect((await app.http!.inject({ method: 'POST', url })).statusCode).toBe(404);
    const fresh = `/api/heartbeats/${rotated.json().token}`;
    let last = 200;
    for (let i = 0; i < 61 && last === 200; i++)
      last = (await app.http!.inject({ method: 'POST', url: fresh })).statusCode;
    expect(last).toBe(429);
    expect((await req(ada, 'POST', `/api/checks/${check.id}/run`)).json().error.code).toBe(
      'CHECK_NOT_PROBED',
    );
  });

  it('results, downtimes, uptime and latency for a check that went down and came back', async () => {
    await setup();
    const created = (
      await req(ada, 'POST', '/api/checks', httpCheck({ failuresToAlert: 1 }))
    ).json().check;
    const id = created.id as string;
    for (let i = 0; i < 4; i++) await runNext(id);
    target.mode = 'error';
    const downAt = (await app.services.checks.get(system, id)).nextRunAt!;
    await runNext(id);
    await runNext(id);
    target.mode = 'up';
    const upAt = (await app.services.checks.get(system, id)).nextRunAt!;
    await runNext(id);

    const page1 = (await req(vic, 'GET', `/api/checks/${id}/results?limit=3`)).json();
    expect(page1.items).toHaveLength(3);
    expect(page1.items[0]).toMatchObject({
      at: upAt,
      scheduledAt: upAt,
      ok: true,
      error: null,
      details: { status: 200 },
    });
    expect(page1.items[0].latencyMs).toBeGreaterThan(0);
    const page2 = (
      await req(vic, 'GET', `/api/checks/${id}/results?limit=10&before=${page1.nextCursor}`)
    ).json();
    expect(page2.items).toHaveLength(4);
    expect(page2.nextCursor).toBeNull();
    expect(
      (await req(vic, 'GET', `/api/checks/${id}/results?failed=true`)).json().items,
    ).toHaveLength(2);

    expect((await req(vic, 'GET', `/api/checks/${id}/downtimes`)).json().items).toEqual([
      {
        startedAt: downAt,
        endedAt: upAt,
        durationMs: upAt - downAt,
        ongoing: false,
        cause: 'HTTP 503, expected 200-399',
      },
    ]);
    // Two runs 30 s apart failed: down for exactly the minute from the first failure to the
    // first success; `to` beyond now is clipped to now.
    expect(upAt - downAt).toBe(minute);
    const uptime = (
      await req(vic, 'GET', `/api/checks/${id}/uptime?from=${downAt - minute}&to=${upAt + hour}`)
    ).json();
    expect(uptime.windows).toHaveLength(5);
    expect(uptime.range).toMatchObject({ monitoredMs: 2 * minute, downMs: minute, downtimes: 1 });
    expect(uptime.range.uptimePercent).toBe(50);
    const bad = await req(vic, 'GET', `/api/checks/${id}/uptime?from=10&to=5`);
    expect(bad.json().error.code).toBe('CHECK_RANGE_INVALID');

    const latency = (
      await req(
        vic,
        'GET',
        `/api/checks/${id}/latency?from=${created.createdAt}&to=${app.clock.now() + 1}`,
      )
    ).json();
    expect(latency.resolution).toBe('raw');
    expect(latency.stepMs).toBe(60_000);
    const points = latency.items as Array<{
      count: number;
      failures: number;
      p50Ms: number | null;
    }>;
    expect(points.reduce((n, p) => n + p.count, 0)).toBe(7);
    expect(points.reduce((n, p) => n + p.failures, 0)).toBe(2);
    const list = (await req(vic, 'GET', '/api/checks')).json().items[0];
    expect(list.uptime24h).toBeCloseTo(
      100 * (1 - 60_000 / (app.clock.now() - created.createdAt)),
      10,
    );
  });

  it('pausing or deleting a check that is down resolves its alert and ends the outage', async () => {
    await setup();
    const id = (await req(ada, 'POST', '/api/checks', httpCheck({ failuresToAlert: 1 }))).json()
      .check.id as string;
    target.mode = 'error';
    await runNext(id);
    const alert = () =>
      app.db
        .selectFrom('alerts')
        .selectAll()
        .where('dedup_key', '=', `check:${id}`)
        .executeTakeFirstOrThrow();
    expect((await alert()).status).toBe('triggered');
    app.clock.fastForward(10 * second);
    const paused = await req(ada, 'PATCH', `/api/checks/${id}`, { enabled: false });
    expect(paused.json()).toMatchObject({ enabled: false, state: 'unknown', nextRunAt: null });
    expect((await alert()).status).toBe('resolved');
    const pausedAt = app.clock.now();
    app.clock.fastForward(hour);
    await runDue();
    expect((await req(vic, 'GET', `/api/checks/${id}/results`)).json().items).toHaveLength(1);
    // An hour paused: not monitored, not down.
    const resumed = await req(ada, 'PATCH', `/api/checks/${id}`, { enabled: true });
    expect(resumed.json().nextRunAt).toBeGreaterThan(app.clock.now());
    const u = (await req(vic, 'GET', `/api/checks/${id}/uptime`)).json().windows[0];
    expect(u.downMs).toBe(
      pausedAt - (await req(vic, 'GET', `/api/checks/${id}/downtimes`)).json().items[0].startedAt,
    );
    expect(u.monitoredMs).toBe(
      app.clock.now() - hour - (await app.services.checks.get(system, id)).createdAt,
    );

    await runNext(id); // still failing: down again
    expect(
      await app.db
        .selectFrom('alerts')
        .select('status')
        .where('dedup_key', '=', `check:${id}`)
        .orderBy('first_seen_at')
        .execute(),
    ).toEqual([{ status: 'resolved' }, { status: 'triggered' }]);
    expect((await req(ada, 'DELETE', `/api/checks/${id}`)).statusCode).toBe(204);
    expect(
      await app.db
        .selectFrom('alerts')
        .select('status')
        .where('dedup_key', '=', `check:${id}`)
        .execute(),
    ).toEqual([{ status: 'resolved' }, { status: 'resolved' }]);
    expect(
      await app.db.selectFrom('check_results').selectAll().where('check_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('rolls raw results up into minutes and hours and keeps each for its retention only', async () => {
    await setup({
      checkRawRetentionMs: 2 * hour,
      checkMinuteRetentionMs: 6 * hour,
      checkHourRetentionMs: 48 * hour,
    });
    const id = (
      await req(ada, 'POST', '/api/checks', httpCheck({ intervalSeconds: 60, timeoutSeconds: 5 }))
    ).json().check.id as string;
    // Three hours of a check every minute.
    const until = app.clock.now() + 3 * hour;
    while ((await app.services.checks.get(system, id)).nextRunAt! < until) await runNext(id);
    app.clock.fastForward(5 * minute);
    await runDue();
    const count = async (table: 'check_results') =>
      Number(
        (
          await app.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const rollups = async (res: number) =>
      app.db
        .selectFrom('check_rollups')
        .selectAll()
        .where('resolution_ms', '=', res)
        .orderBy('bucket_at')
        .execute();
    // Raw results older than two hours are gone, but only once rolled up.
    const oldestRaw = Math.min(
      ...(await app.db.selectFrom('check_results').select('at').execute()).map((r) => r.at),
    );
    expect(oldestRaw).toBeGreaterThanOrEqual(app.clock.now() - 2 * hour);
    expect(oldestRaw).toBeLessThan(app.clock.now() - 2 * hour + 2 * minute);
    expect(await count('check_results')).toBeGreaterThan(100);
    const minutes = await rollups(minute);
    expect(minutes.reduce((n, r) => n + r.count, 0)).toBeGreaterThanOrEqual(175);
    const hours = await rollups(hour);
    expect(hours.length).toBeGreaterThanOrEqual(2);
    expect(hours[0]!.count).toBeGreaterThan(0);

    // Five hours: minute rollups (raw results go back two hours only), plus the raw tail not
    // rolled up yet.
    const day = (
      await req(vic, 'GET', `/api/checks/${id}/latency?from=${app.clock.now() - 5 * hour}`)
    ).json();
    expect(day.resolution).toBe('1m');
    // Every run counted once: minutes up to the rollup mark, raw results after it.
    const mark = Number(
      (
        await app.db
          .selectFrom('check_rollup_marks')
          .select('done_until')
          .where('resolution_ms', '=', minute)
          .executeTakeFirstOrThrow()
      ).done_until,
    );
    const tail = (
      await app.db.selectFrom('check_results').select('at').where('at', '>=', mark).execute()
    ).length;
    expect(day.items.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(
      minutes.reduce((n, r) => n + r.count, 0) + tail,
    );
    expect(day.items[0].p50Ms).toBeGreaterThan(0);

    // Two days later: minutes past 6 h are gone, hours stay until 48 h.
    app.clock.fastForward(40 * hour);
    await runDue();
    expect(await rollups(minute)).toEqual([]);
    expect((await rollups(hour)).length).toBeGreaterThanOrEqual(hours.length);
    // (The sessions expired over those two days: ask the service directly.)
    const month = await app.services.checks.latency(system, id, {
      from: app.clock.now() - 30 * 24 * hour,
    });
    expect(month.resolution).toBe('1h');
    expect(month.items.length).toBeGreaterThan(0);
  }, 60_000);
});
