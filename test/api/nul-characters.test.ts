import { afterEach, beforeEach, expect, it } from 'vitest';
import { createIngestTarget, loginAdmin } from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  type Session,
  type TestApp,
} from '../harness.js';

// A NUL character (U+0000) is valid in JSON (`\u0000`) and in a URL (`%00`) but Postgres text
// cannot hold one: every way in answers 400 naming where it was, stores nothing, and the server
// keeps serving. (On Postgres each of these was a 500 and a lost event.)

describeEachStore('NUL characters in input', (kind) => {
  let app: TestApp;
  let admin: Session;
  let key: string;
  let serviceId: string;

  beforeEach(async () => {
    app = await createTestApp(kind);
    admin = await loginAdmin(app);
    ({ key, serviceId } = await createIngestTarget(app, 600));
  });
  afterEach(async () => {
    await app.close();
  });

  const send = (method: 'POST' | 'PATCH' | 'GET', url: string, body?: string) =>
    app.http!.inject({
      method,
      url,
      headers: { ...asSession(admin), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: body }),
    });

  it('is refused in API bodies, queries and paths, naming the field', async () => {
    for (const [method, url, body, field] of [
      ['POST', '/api/teams', '{"name":"T\\u0000x"}', 'name'],
      ['PATCH', `/api/services/${serviceId}`, '{"description":"x\\u0000y"}', 'description'],
      ['POST', '/api/teams', '{"name":"T","description":"ok","tags\\u0000":1}', 'tags\u0000'],
      ['GET', '/api/incidents?q=a%00b', undefined, 'q'],
    ] as const) {
      const res = await send(method, url, body);
      expect([res.statusCode, res.json().error.field], `${method} ${url}`).toEqual([400, field]);
      expect(res.json().error.message).toContain('NUL');
    }
    expect((await app.db.selectFrom('teams').select('name').execute()).map((t) => t.name)).toEqual([
      'Platform',
    ]);
    expect((await send('GET', '/api/teams')).statusCode).toBe(200);
  });

  it('is refused by the PagerDuty Events endpoint in its own error shape, and nothing is stored', async () => {
    for (const [payload, field] of [
      [{ summary: 'Disk\u0000full', source: 'db-1', severity: 'critical' }, 'payload.summary'],
      [
        { summary: 'ok', source: 'db-1', severity: 'critical', custom_details: { 'a\u0000': 1 } },
        'payload.custom_details.a\u0000',
      ],
    ] as const) {
      const res = await app.http!.inject({
        method: 'POST',
        url: '/v2/enqueue',
        payload: { routing_key: key, event_action: 'trigger', dedup_key: 'k', payload },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({
        status: 'invalid event',
        message: 'Event object is invalid',
      });
      expect(JSON.stringify(res.json().errors)).toContain(JSON.stringify(field).slice(1, -1));
    }
    const dedup = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'a\u0000b',
        payload: { summary: 's', source: 'x', severity: 'critical' },
      },
    });
    expect(dedup.statusCode, dedup.body).toBe(400);
    expect(await app.db.selectFrom('alerts').select('id').execute()).toEqual([]);
    // Form-encoded (the generic webhook takes forms): %00 too.
    const form = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'routing_key=x%00',
    });
    expect(form.statusCode).toBeGreaterThanOrEqual(400);
    expect(form.statusCode).toBeLessThan(500);
  });
});
