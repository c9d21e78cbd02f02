import { afterEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
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

// HTTP check headers are credentials: their values are stored encrypted, every reader (org
// admins too) sees only the mask, an edit sending the mask keeps the saved value, and the probe
// (scheduled runs, "test now") sends the real one.

const system = systemActor('test');
const pw = 'a long enough password';
const MASK = '••••••';
const TOKEN = 'Bearer s3cret-token-4242';
const API_KEY = 'k3y-0123456789abcdef';

describeEachStore('check header secrets', (kind) => {
  let app: TestApp;
  let target: SwitchableHttpServer;
  let admin: Session;
  let ada: Session; // responder
  let vic: Session; // viewer
  let serviceId: string;
  let teamId: string;

  async function setup() {
    target = await new SwitchableHttpServer().start();
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T12:00:00Z'),
      config: { checkLookaheadMs: 0 },
    });
    admin = await login(app, testAdmin.email, testAdmin.password);
    const team = await app.services.teams.create(system, { name: 'Web', description: '' });
    teamId = team.id;
    const person = async (name: string, role: 'responder' | 'viewer') => {
      const u = await app.services.users.create(system, {
        email: `${name}@x.test`,
        name,
        password: pw,
        isOrgAdmin: false,
      });
      await app.services.teams.setMember(system, team.id, u.id, role);
      return login(app, `${name}@x.test`, pw);
    };
    ada = await person('ada', 'responder');
    vic = await person('vic', 'viewer');
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
  const httpCheck = (config: object = {}) => ({
    serviceId,
    name: 'API',
    kind: 'http',
    intervalSeconds: 30,
    timeoutSeconds: 5,
    config: {
      url: `${target.url}/health`,
      headers: { Authorization: TOKEN, 'X-Api-Key': API_KEY },
      ...config,
    },
  });
  async function createCheck(): Promise<string> {
    const r = await req(ada, 'POST', '/api/checks', httpCheck());
    expect(r.statusCode, r.body).toBe(201);
    return r.json().check.id as string;
  }
  const storedConfig = async (id: string) =>
    (
      await app.db
        .selectFrom('checks')
        .select('config_json')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).config_json;
  /** Runs the check's next scheduled probe; the headers the target received. */
  async function runNext(id: string, server = target) {
    const c = await app.services.checks.get(system, id);
    app.clock.set(c.nextRunAt!);
    const before = server.requests.length;
    await app.engine!.runUntilIdle();
    await app.services.checkRunner.settle();
    await app.engine!.runUntilIdle();
    expect(server.requests.length).toBe(before + 1);
    return server.requests.at(-1)!.headers;
  }

  it('stores header values encrypted and shows every reader only the mask; the probe sends the values', async () => {
    await setup();
    const created = await req(ada, 'POST', '/api/checks', httpCheck());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().check.config.headers).toEqual({ Authorization: MASK, 'X-Api-Key': MASK });
    const id = created.json().check.id as string;

    const stored = await storedConfig(id);
    expect(stored).not.toContain('s3cret-token');
    expect(stored).not.toContain(API_KEY);
    const storedHeaders = (JSON.parse(stored) as { headers: Record<string, string> }).headers;
    expect(Object.keys(storedHeaders)).toEqual(['Authorization', 'X-Api-Key']);
    for (const v of Object.values(storedHeaders)) expect(v).toMatch(/^enc:v1:/);

    const { secret } = await app.services.teams.createApiKey(system, teamId, {
      name: 'ro',
      role: 'viewer',
    });
    const viewerKey = { authorization: `Bearer ${secret}` };
    const reads = [
      await req(admin, 'GET', `/api/checks/${id}`),
      await req(ada, 'GET', `/api/checks/${id}`),
      await req(vic, 'GET', `/api/checks/${id}`),
      await req(vic, 'GET', '/api/checks'),
      await app.http!.inject({ method: 'GET', url: `/api/checks/${id}`, headers: viewerKey }),
      await app.http!.inject({ method: 'GET', url: '/api/checks', headers: viewerKey }),
      await req(admin, 'GET', '/api/audit?limit=50'),
    ];
    for (const r of reads) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toContain('s3cret-token');
      expect(r.body).not.toContain(API_KEY);
    }
    expect(reads[2]!.json().config.headers).toEqual({ Authorization: MASK, 'X-Api-Key': MASK });
    expect(reads[4]!.json().config.headers).toEqual({ Authorization: MASK, 'X-Api-Key': MASK });

    // The scheduled probe and "test now" send the real values.
    const sent = await runNext(id);
    expect(sent).toMatchObject({ authorization: TOKEN, 'x-api-key': API_KEY });
    expect((await app.services.checks.get(system, id)).lastResult).toMatchObject({ ok: true });
    const run = await req(ada, 'POST', `/api/checks/${id}/run`);
    expect(run.json()).toMatchObject({ ok: true });
    expect(target.requests.at(-1)!.headers).toMatchObject({
      authorization: TOKEN,
      'x-api-key': API_KEY,
    });
  });

  it('an edit sending the mask keeps the saved value, a new value replaces it, a header left out is removed', async () => {
    await setup();
    const id = await createCheck();
    // The form sends the whole headers back, masked, with another change.
    const kept = await req(ada, 'PATCH', `/api/checks/${id}`, {
      config: { headers: { Authorization: MASK, 'X-Api-Key': MASK }, keyword: 'status' },
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().config).toMatchObject({
      keyword: 'status',
      headers: { Authorization: MASK, 'X-Api-Key': MASK },
    });
    expect(await storedConfig(id)).not.toContain('s3cret-token');
    expect(await runNext(id)).toMatchObject({ authorization: TOKEN, 'x-api-key': API_KEY });
    // An edit that does not touch the config keeps the headers as they are.
    expect((await req(ada, 'PATCH', `/api/checks/${id}`, { name: 'API v2' })).statusCode).toBe(200);
    expect(await runNext(id)).toMatchObject({ authorization: TOKEN, 'x-api-key': API_KEY });

    const replaced = await req(ada, 'PATCH', `/api/checks/${id}`, {
      config: { headers: { Authorization: 'Bearer rotated-9999' } },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().config.headers).toEqual({ Authorization: MASK });
    expect(replaced.body).not.toContain('rotated-9999');
    const stored = await storedConfig(id);
    expect(stored).not.toContain('rotated-9999');
    expect(stored).not.toContain('X-Api-Key');
    const sent = await runNext(id);
    expect(sent.authorization).toBe('Bearer rotated-9999');
    expect(sent['x-api-key']).toBeUndefined();

    // A mask with no saved value behind it is refused, on an edit and on a new check.
    const unknown = await req(ada, 'PATCH', `/api/checks/${id}`, {
      config: { headers: { Authorization: MASK, 'X-Other': MASK } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'CHECK_HEADER_MASKED',
      field: 'config.headers.X-Other',
    });
    const masked = await req(
      ada,
      'POST',
      '/api/checks',
      httpCheck({ headers: { Authorization: MASK } }),
    );
    expect(masked.statusCode).toBe(400);
    expect(masked.json().error.code).toBe('CHECK_HEADER_MASKED');
    expect(await runNext(id)).toMatchObject({ authorization: 'Bearer rotated-9999' });
  });

  it('"test now" of an edited check uses the saved values, only for the origin they were saved for', async () => {
    await setup();
    const id = await createCheck();
    const draft = httpCheck({ headers: { Authorization: MASK, 'X-Api-Key': MASK } });
    const tested = await req(ada, 'POST', '/api/checks/test', { ...draft, checkId: id });
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toMatchObject({ ok: true });
    expect(target.requests.at(-1)!.headers).toMatchObject({
      authorization: TOKEN,
      'x-api-key': API_KEY,
    });
    const requests = target.requests.length;

    // Without the saved check there is nothing to keep; a viewer may not test it.
    const noCheck = await req(ada, 'POST', '/api/checks/test', draft);
    expect(noCheck.statusCode).toBe(400);
    expect(noCheck.json().error.code).toBe('CHECK_HEADER_MASKED');
    expect((await req(vic, 'POST', '/api/checks/test', { ...draft, checkId: id })).statusCode).toBe(
      403,
    );

    // Saved values never go to another origin (here: another port): not by a test, not by an edit.
    const other = await new SwitchableHttpServer().start();
    const elsewhere = `${other.url}/health`;
    const moved = await req(ada, 'POST', '/api/checks/test', {
      ...httpCheck({ url: elsewhere, headers: { Authorization: MASK } }),
      checkId: id,
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error).toMatchObject({
      code: 'CHECK_HEADERS_REENTER',
      field: 'config.headers',
    });
    for (const config of [
      { url: elsewhere },
      { url: elsewhere, headers: { Authorization: MASK } },
    ]) {
      const r = await req(ada, 'PATCH', `/api/checks/${id}`, { config });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('CHECK_HEADERS_REENTER');
    }
    expect(target.requests.length).toBe(requests);
    expect(other.requests).toHaveLength(0);
    // Another path on the same origin keeps them; typed again, they go anywhere.
    const samePath = await req(ada, 'PATCH', `/api/checks/${id}`, {
      config: { url: `${target.url}/other` },
    });
    expect(samePath.statusCode, samePath.body).toBe(200);
    expect(await runNext(id)).toMatchObject({ authorization: TOKEN });
    const retyped = await req(ada, 'PATCH', `/api/checks/${id}`, {
      config: { url: elsewhere, headers: { Authorization: 'Bearer for-elsewhere' } },
    });
    expect(retyped.statusCode, retyped.body).toBe(200);
    expect(await runNext(id, other)).toMatchObject({ authorization: 'Bearer for-elsewhere' });
    expect(other.requests).toHaveLength(1);
    await other.stop();
  });

  it('headers stored in plain text before encryption still work, are masked, and are encrypted on the next save', async () => {
    await setup();
    const id = await createCheck();
    const config = JSON.parse(await storedConfig(id)) as Record<string, unknown>;
    await app.db
      .updateTable('checks')
      .set({
        config_json: JSON.stringify({
          ...config,
          headers: { Authorization: TOKEN, 'X-Api-Key': API_KEY },
        }),
      })
      .where('id', '=', id)
      .execute();
    const read = await req(vic, 'GET', `/api/checks/${id}`);
    expect(read.body).not.toContain('s3cret-token');
    expect(read.json().config.headers).toEqual({ Authorization: MASK, 'X-Api-Key': MASK });
    expect(await runNext(id)).toMatchObject({ authorization: TOKEN, 'x-api-key': API_KEY });

    expect((await req(ada, 'PATCH', `/api/checks/${id}`, { name: 'Renamed' })).statusCode).toBe(
      200,
    );
    const stored = await storedConfig(id);
    expect(stored).not.toContain('s3cret-token');
    expect(stored).not.toContain(API_KEY);
    expect(await runNext(id)).toMatchObject({ authorization: TOKEN, 'x-api-key': API_KEY });
  });
});
