import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  testAdmin,
  type Session,
  type TestApp,
} from '../harness.js';

describeEachStore('bad input and the error shape', (kind) => {
  let app: TestApp;
  let admin: Session;
  beforeAll(async () => {
    app = await createTestApp(kind);
    admin = await login(app, testAdmin.email, testAdmin.password);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.http!.inject({
      method: 'POST',
      url: '/api/teams',
      headers: { ...asSession(admin), 'content-type': 'application/json', ...headers },
      payload,
    });

  it('answers malformed JSON with 400 in the error shape, and keeps serving', async () => {
    const res = await post('{"name": "Payments",');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'INVALID_JSON', message: expect.any(String) } });
    expect((await app.http!.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers a 2 MB body with 413', async () => {
    const res = await post(JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('names the field that is missing or of the wrong type', async () => {
    const missing = await post(JSON.stringify({ description: 'no name' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
    const wrongType = await post(JSON.stringify({ name: 42 }));
    expect(wrongType.json().error.field).toBe('name');
    const badQuery = await app.http!.inject({
      method: 'GET',
      url: '/api/audit?limit=100000',
      headers: asSession(admin),
    });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.field).toBe('limit');
    expect(await app.db.selectFrom('teams').selectAll().execute()).toHaveLength(0);
  });

  it('answers a wrong content type with 415', async () => {
    const res = await post('name=x', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown API route with a 404 in the error shape', async () => {
    const res = await app.http!.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('conflicts with 409 naming the field on a duplicate name', async () => {
    expect((await post(JSON.stringify({ name: 'Dup' }))).statusCode).toBe(201);
    const dup = await post(JSON.stringify({ name: 'Dup' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'TEAM_NAME_TAKEN', field: 'name' });
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await app.http!.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    await app.engine!.runCycle();
    const ready = await app.http!.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toMatchObject({
      store: { ok: true },
      migrations: { ok: true },
      engine: { ok: true },
    });
    const metrics = await app.http!.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('tocsin_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('tocsin_engine_cycle_seconds');
    expect(metrics.body).toContain('tocsin_engine_module_due_rows{module="cleanup"}');
    const openapi = await app.http!.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = openapi.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined();
    expect((await app.http!.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });

  if (kind === 'postgres')
    it("is not ready while the engine's presence connection is down (it takes no leases then)", async () => {
      // Reconnects only after a minute, so the test sees it down.
      const node = await createTestApp(kind, { presence: { retryMs: 60_000 } });
      try {
        await node.engine!.runCycle();
        const ready = () => node.http!.inject({ method: 'GET', url: '/readyz' });
        expect((await ready()).statusCode).toBe(200);
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name like 'tocsin-engine %'`.execute(
          node.db,
        );
        await expect.poll(async () => (await ready()).statusCode, { timeout: 5000 }).toBe(503);
        expect((await ready()).json().checks.engine).toEqual({
          ok: false,
          detail: 'presence connection down: taking no module leases',
        });
      } finally {
        await node.close();
      }
    });
});
