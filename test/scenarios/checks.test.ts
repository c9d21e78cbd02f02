import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import type { Check } from '../../src/domains/checks/index.js';
import { SwitchableHttpServer, SwitchableTcpServer } from '../doubles/check-targets.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// The stories the checks issue asks for. A shop's health page is probed every 30 seconds; it
// goes down at 02:10:00, is paged for after three failed probes, comes back at 02:15:00 and is
// resolved after two good ones; uptime says it was down exactly five minutes. The same with a
// TCP port. A nightly job that stops calling in is paged for when its grace runs out.

const system = systemActor('scenario');
const second = 1000;
const minute = 60 * second;

describeEachStore('scenario: a check goes down and comes back', (kind) => {
  let app: TestApp;
  let http: SwitchableHttpServer | undefined;
  let tcp: SwitchableTcpServer | undefined;

  beforeEach(async () => {
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T02:00:00Z'),
      config: { checkLookaheadMs: 0 },
    });
  });
  afterEach(async () => {
    await app.close();
    await http?.stop();
    await tcp?.stop();
  });

  /** A team, a person on call for the service through a one-level policy, and the service. */
  async function serviceWithOnCall() {
    const team = await app.services.teams.create(system, { name: 'Shop', description: '' });
    const u = await app.services.users.create(system, {
      email: 'oncall@x.test',
      name: 'On Call',
      password: 'a long enough password',
      isOrgAdmin: false,
    });
    await app.services.teams.setMember(system, team.id, u.id, 'responder');
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Shop policy',
      repeatCount: 0,
      levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: u.id }] }],
    });
    const service = await app.services.services.create(system, {
      teamId: team.id,
      name: 'Storefront',
      description: '',
    });
    await app.services.services.update(system, service.id, { escalationPolicyId: policy.id });
    return { service, userId: u.id };
  }

  /** Everything due now runs: probes, their recording, the pipeline, escalation. */
  async function runDue(): Promise<void> {
    await app.engine!.runUntilIdle();
    await app.services.checkRunner.settle();
    await app.engine!.runUntilIdle();
  }

  /** Moves the clock to the check's next run and runs it. */
  async function nextRun(id: string): Promise<Check> {
    const before = await app.services.checks.get(system, id);
    app.clock.set(before.nextRunAt!);
    await runDue();
    return app.services.checks.get(system, id);
  }

  const alertOf = (checkId: string) =>
    app.db
      .selectFrom('alerts')
      .selectAll()
      .where('dedup_key', '=', `check:${checkId}`)
      .executeTakeFirst();
  const pages = (incidentId: string) =>
    app.db
      .selectFrom('notification_intents')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .execute();

  it('HTTP: pages after three failures, resolves after two successes, uptime down by exactly 5 minutes', async () => {
    http = await new SwitchableHttpServer().start();
    const { service, userId } = await serviceWithOnCall();
    const { check: created } = await app.services.checks.create(system, {
      serviceId: service.id,
      name: 'Storefront health',
      kind: 'http',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      failuresToAlert: 3,
      successesToResolve: 2,
      config: { url: `${http.url}/health`, keyword: 'ok' },
    });
    // The first run lands within the first interval, on the check's own phase.
    expect(created.nextRunAt! - app.clock.now()).toBeGreaterThan(0);
    expect(created.nextRunAt! - app.clock.now()).toBeLessThanOrEqual(30 * second);

    let c = await nextRun(created.id);
    expect(c).toMatchObject({ state: 'up', lastResult: { ok: true } });
    // Up for a while.
    for (let i = 0; i < 10; i++) c = await nextRun(c.id);
    expect(c.state).toBe('up');

    // The server goes down exactly at a run's slot.
    const downAt = c.nextRunAt!;
    app.clock.set(downAt);
    await http.switchOff();
    await runDue();
    c = await app.services.checks.get(system, c.id);
    expect(c).toMatchObject({
      state: 'up',
      failures: 1,
      lastResult: { ok: false, error: 'connection refused' },
    });
    c = await nextRun(c.id);
    expect(c).toMatchObject({ state: 'up', failures: 2 });
    expect(await alertOf(c.id)).toBeUndefined();

    c = await nextRun(c.id); // third failure: confirmed
    expect(c).toMatchObject({ state: 'down', failures: 3, stateChangedAt: downAt });
    const alert = (await alertOf(c.id))!;
    expect(alert).toMatchObject({
      status: 'triggered',
      service_id: service.id,
      severity: 'critical',
      route: 'page',
      summary: 'Storefront health is down: connection refused',
      first_seen_at: downAt,
    });
    expect((await pages(alert.incident_id!)).map((p) => p.user_id)).toEqual([userId]);

    // Still down for a few more runs: no second alert, no second page.
    while (c.nextRunAt! < downAt + 5 * minute) c = await nextRun(c.id);
    expect(await app.db.selectFrom('alerts').selectAll().execute()).toHaveLength(1);

    // Back at 5 minutes to the millisecond: one good run is not enough, two are.
    const upAt = c.nextRunAt!;
    expect(upAt).toBe(downAt + 5 * minute);
    await http.start();
    c = await nextRun(c.id);
    expect(c).toMatchObject({ state: 'down', successes: 1 });
    expect((await alertOf(c.id))!.status).toBe('triggered');
    c = await nextRun(c.id);
    expect(c).toMatchObject({ state: 'up', stateChangedAt: upAt });
    expect((await alertOf(c.id))!.status).toBe('resolved');
    const incident = await app.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', alert.incident_id!)
      .executeTakeFirstOrThrow();
    expect(incident.status).toBe('resolved');
    expect(await pages(alert.incident_id!)).toHaveLength(1);

    // Uptime: exactly the injected five minutes down, over every window and a custom range.
    const now = app.clock.now();
    const u = await app.services.checks.uptime(system, c.id, { from: created.createdAt, to: now });
    const monitored = now - created.createdAt;
    expect(u.range).toMatchObject({ monitoredMs: monitored, downMs: 5 * minute, downtimes: 1 });
    expect(Math.round(u.range!.downMs / second)).toBe(300);
    expect(u.range!.uptimePercent).toBeCloseTo((100 * (monitored - 5 * minute)) / monitored, 10);
    expect(u.windows.map((w) => [w.window, w.downMs])).toEqual([
      ['24h', 300_000],
      ['7d', 300_000],
      ['30d', 300_000],
      ['90d', 300_000],
      ['365d', 300_000],
    ]);
    const downtimes = await app.services.checks.downtimes(system, c.id);
    expect(downtimes.items).toEqual([
      {
        startedAt: downAt,
        endedAt: upAt,
        durationMs: 5 * minute,
        ongoing: false,
        cause: 'connection refused',
      },
    ]);
  });

  it('TCP: the same with a port switched off for 90 seconds (2 failures to alert, 1 to resolve)', async () => {
    tcp = await new SwitchableTcpServer().start();
    const { service } = await serviceWithOnCall();
    const { check: created } = await app.services.checks.create(system, {
      serviceId: service.id,
      name: 'Postgres port',
      kind: 'tcp',
      intervalSeconds: 10,
      timeoutSeconds: 2,
      failuresToAlert: 2,
      successesToResolve: 1,
      severity: 'error',
      config: { host: '127.0.0.1', port: tcp.port },
    });
    let c = await nextRun(created.id);
    c = await nextRun(c.id);
    expect(c.state).toBe('up');
    const downAt = c.nextRunAt!;
    app.clock.set(downAt);
    await tcp.switchOff();
    await runDue();
    expect((await app.services.checks.get(system, c.id)).state).toBe('up');
    c = await nextRun(c.id);
    expect(c.state).toBe('down');
    expect(await alertOf(c.id)).toMatchObject({
      status: 'triggered',
      severity: 'error',
      route: 'notify',
    });
    while (c.nextRunAt! < downAt + 90 * second) c = await nextRun(c.id);
    await tcp.start();
    c = await nextRun(c.id);
    expect(c.state).toBe('up');
    expect((await alertOf(c.id))!.status).toBe('resolved');
    const u = await app.services.checks.uptime(system, c.id);
    expect(u.windows[0]).toMatchObject({ window: '24h', downMs: 90_000, downtimes: 1 });
    expect(u.windows[0]!.uptimePercent).toBeCloseTo(
      (100 * (app.clock.now() - created.createdAt - 90_000)) /
        (app.clock.now() - created.createdAt),
      10,
    );
  });
});

describeEachStore('scenario: a nightly job stops calling in', (kind) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T02:55:00Z'),
      config: { checkLookaheadMs: 0 },
    });
  });
  afterEach(() => app.close());

  async function runDue(): Promise<void> {
    await app.engine!.runUntilIdle();
    await app.services.checkRunner.settle();
    await app.engine!.runUntilIdle();
  }

  async function ping(token: string, path = ''): Promise<number> {
    const res = await app.http!.inject({ method: 'POST', url: `/api/heartbeats/${token}${path}` });
    return res.statusCode;
  }

  it('cron 0 3 * * * with 10 minutes grace: paged at 03:10 the night it did not run, resolved by the late run', async () => {
    const team = await app.services.teams.create(system, { name: 'Data', description: '' });
    const service = await app.services.services.create(system, {
      teamId: team.id,
      name: 'Nightly export',
      description: '',
    });
    const { check, heartbeat } = await app.services.checks.create(system, {
      serviceId: service.id,
      name: 'Nightly export job',
      kind: 'heartbeat',
      cron: '0 3 * * *',
      timeZone: 'UTC',
      graceSeconds: 600,
    });
    const get = () => app.services.checks.get(system, check.id);
    expect(await get()).toMatchObject({ state: 'unknown', nextRunAt: null });

    // Night 1: the job runs at 03:00 and calls in at 03:02.
    app.clock.set('2026-03-10T03:02:00Z');
    expect(await ping(heartbeat!.token)).toBe(200);
    expect(await get()).toMatchObject({
      state: 'up',
      nextRunAt: Date.parse('2026-03-11T03:10:00Z'),
      heartbeat: { lastPingAt: Date.parse('2026-03-10T03:02:00Z') },
    });

    // Night 2: nothing. Still fine at 03:09:59, down at 03:10.
    app.clock.set('2026-03-11T03:09:59Z');
    await runDue();
    expect((await get()).state).toBe('up');
    app.clock.set('2026-03-11T03:10:00Z');
    await runDue();
    expect(await get()).toMatchObject({
      state: 'down',
      stateChangedAt: Date.parse('2026-03-11T03:10:00Z'),
      lastResult: { ok: false, error: 'no ping since 2026-03-10T03:02:00.000Z' },
      nextRunAt: Date.parse('2026-03-12T03:10:00Z'),
    });
    const alert = await app.db
      .selectFrom('alerts')
      .selectAll()
      .where('dedup_key', '=', `check:${check.id}`)
      .executeTakeFirstOrThrow();
    expect(alert).toMatchObject({
      status: 'triggered',
      summary: expect.stringContaining('Nightly export job is down'),
    });
    expect(alert.incident_id).not.toBeNull();

    // Someone reruns it by hand at 04:30: it calls in, the alert resolves.
    app.clock.set('2026-03-11T04:30:00Z');
    expect(await ping(heartbeat!.token)).toBe(200);
    await runDue();
    expect((await get()).state).toBe('up');
    expect(
      (
        await app.db
          .selectFrom('alerts')
          .select('status')
          .where('id', '=', alert.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('resolved');
    const u = await app.services.checks.uptime(system, check.id);
    expect(u.windows[0]).toMatchObject({ downMs: 80 * minute, downtimes: 1 });
  });

  it('every 5 minutes with 1 minute grace: a ping to /fail is down at once, the next ping is up', async () => {
    const team = await app.services.teams.create(system, { name: 'Ops', description: '' });
    const service = await app.services.services.create(system, {
      teamId: team.id,
      name: 'Backups',
      description: '',
    });
    const { check, heartbeat } = await app.services.checks.create(system, {
      serviceId: service.id,
      name: 'Backup',
      kind: 'heartbeat',
      intervalSeconds: 300,
      graceSeconds: 60,
    });
    const token = heartbeat!.token;
    expect(await ping(token)).toBe(200);
    const t0 = app.clock.now();
    expect((await app.services.checks.get(system, check.id)).nextRunAt).toBe(t0 + 6 * minute);
    app.clock.fastForward(5 * minute);
    const fail = await app.http!.inject({
      method: 'POST',
      url: `/api/heartbeats/${token}/fail`,
      headers: { 'content-type': 'text/plain' },
      payload: 'tar: disk full',
    });
    expect(fail.statusCode).toBe(200);
    const down = await app.services.checks.get(system, check.id);
    expect(down).toMatchObject({
      state: 'down',
      lastResult: { ok: false, error: 'tar: disk full' },
    });
    app.clock.fastForward(5 * minute);
    expect(await ping(token)).toBe(200);
    expect((await app.services.checks.get(system, check.id)).state).toBe('up');
    // Missed twice in a row: each missed deadline is one more failure.
    app.clock.fastForward(6 * minute);
    await runDue();
    app.clock.fastForward(5 * minute);
    await runDue();
    const results = await app.services.checks.results(system, check.id);
    expect(results.items.map((r) => [r.ok, r.error])).toEqual([
      [false, expect.stringMatching(/^no ping since/)],
      [false, expect.stringMatching(/^no ping since/)],
      [true, null],
      [false, 'tar: disk full'],
      [true, null],
    ]);
  });
});
