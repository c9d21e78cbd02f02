import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// Bad input at the real HTTP edge: each answer is a 4xx in the source's own shape, nothing is
// stored, and the server keeps serving.

const system = systemActor('test');

describeEachStore('inbound bad input', (kind) => {
  let app: TestApp;
  let pdKey: string;
  let amKey: string;
  beforeAll(async () => {
    app = await createTestApp(kind);
    const team = await app.services.teams.create(system, { name: 'T', description: '' });
    const service = await app.services.services.create(system, {
      teamId: team.id,
      name: 'S',
      description: '',
    });
    pdKey = (
      await app.services.integrations.create(system, service.id, {
        type: 'pagerduty-v2',
        config: {},
        rateLimitPerMinute: 10_000,
      })
    ).key;
    amKey = (
      await app.services.integrations.create(system, service.id, {
        type: 'alertmanager',
        config: {},
        rateLimitPerMinute: 10_000,
      })
    ).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const send = (url: string, body: string | Buffer, contentType = 'application/json') =>
    app.http!.inject({
      method: 'POST',
      url,
      headers: { 'content-type': contentType },
      payload: body,
    });
  const stored = async () => (await app.db.selectFrom('alerts').selectAll().execute()).length;

  const deep = '['.repeat(1000) + ']'.repeat(1000);
  const invalidUtf8 = Buffer.concat([
    Buffer.from('{"routing_key":"'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}'),
  ]);
  const cases: Array<[string, string | Buffer, string?]> = [
    ['malformed JSON', '{"routing_key":'],
    ['1,000-deep nesting', deep],
    ['invalid UTF-8', invalidUtf8],
    ['wrong content type', 'routing_key=x', 'text/plain'],
    ['missing fields', JSON.stringify({ event_action: 'trigger' })],
    [
      'wrong-typed field',
      JSON.stringify({
        routing_key: 'k',
        event_action: 'trigger',
        payload: { summary: 42, source: 's', severity: 'critical' },
      }),
    ],
    [
      'over 512 KB',
      JSON.stringify({
        routing_key: 'k',
        event_action: 'trigger',
        payload: {
          summary: 's',
          source: 's',
          severity: 'critical',
          custom_details: { x: 'y'.repeat(600 * 1024) },
        },
      }),
    ],
  ];

  for (const [name, body, type] of cases) {
    it(`PagerDuty v2: ${name} → 4xx in PagerDuty's shape, nothing stored`, async () => {
      const res = await send('/v2/enqueue', body, type);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json()).toMatchObject({ status: expect.any(String), message: expect.any(String) });
      expect(await stored()).toBe(0);
    });
    it(`Alertmanager webhook: ${name} → 4xx, nothing stored`, async () => {
      const res = await send(`/api/integrations/alertmanager/${amKey}`, body, type);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(await stored()).toBe(0);
    });
  }

  it('names each bad PagerDuty field', async () => {
    const res = await send(
      '/v2/enqueue',
      JSON.stringify({
        routing_key: pdKey,
        event_action: 'trigger',
        payload: { source: 's', severity: 'loud' },
      }),
    );
    expect(res.statusCode).toBe(400);
    const errors = (res.json() as { errors: string[] }).errors.join(' | ');
    expect(errors).toMatch(/summary/);
    expect(errors).toMatch(/severity/);
  });

  it('rejects an unknown key and still serves good events afterwards', async () => {
    const unknown = await send(
      '/v2/enqueue',
      JSON.stringify({
        routing_key: 'x'.repeat(32),
        event_action: 'trigger',
        payload: { summary: 's', source: 's', severity: 'critical' },
      }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.join(' ')).toMatch(/routing key/);
    // A key in the path is named as such.
    const inPath = await send(
      `/api/integrations/alertmanager/${'x'.repeat(32)}`,
      JSON.stringify({ version: '4', status: 'firing', alerts: [] }),
    );
    expect(inPath.statusCode).toBeGreaterThanOrEqual(400);
    expect(inPath.json().error.field).toBe('key');
    expect(await stored()).toBe(0);
    const ok = await send(
      '/v2/enqueue',
      JSON.stringify({
        routing_key: pdKey,
        event_action: 'trigger',
        payload: { summary: 'Disk full', source: 'db-1', severity: 'critical' },
      }),
    );
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: expect.any(String),
    });
    expect(await stored()).toBe(1);
    expect((await app.http!.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
