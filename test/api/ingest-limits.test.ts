import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

/*
 * Limits at the real HTTP edge: a key's rate limit counts the events of a request, not the
 * request; a request carries at most 1,000 alerts; inbound fields have size and count limits.
 * Each refusal is a 4xx in the source's own shape that names the field, and stores nothing.
 */

const system = systemActor('test');

describeEachStore('inbound limits', (kind) => {
  let app: TestApp;
  let serviceId: string;
  const keyOf = async (
    type: 'pagerduty-v2' | 'alertmanager' | 'grafana' | 'generic',
    rateLimitPerMinute = 10_000,
  ) =>
    (
      await app.services.integrations.create(system, serviceId, {
        type,
        config: {},
        rateLimitPerMinute,
      })
    ).key;

  beforeEach(async () => {
    app = await createTestApp(kind);
    const team = await app.services.teams.create(system, { name: 'T', description: '' });
    serviceId = (
      await app.services.services.create(system, { teamId: team.id, name: 'S', description: '' })
    ).id;
  });
  afterEach(async () => {
    await app.close();
  });

  const post = (url: string, body: unknown) =>
    app.http!.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const stored = async () => (await app.db.selectFrom('alerts').select('id').execute()).length;
  const alertsOf = (n: number, prefix = 'a', over: Record<string, unknown> = {}) =>
    Array.from({ length: n }, (_, i) => ({
      labels: { alertname: 'Load', instance: `${prefix}-${i}` },
      ...over,
    }));
  const firing = (labels: Record<string, string>, over: Record<string, unknown> = {}) => ({
    status: 'firing',
    labels,
    annotations: {},
    startsAt: '2026-01-01T00:00:00Z',
    ...over,
  });

  it('charges the rate limit with the alerts of a request, refusing one that would pass it whole', async () => {
    const key = await keyOf('alertmanager', 600);
    const url = `/api/integrations/alertmanager/${key}/api/v2/alerts`;
    expect((await post(url, alertsOf(500))).statusCode).toBe(200);
    expect(await stored()).toBe(500);
    // Counted per request this would be the second of 600: it is 200 more alerts than fit.
    const refused = await post(url, alertsOf(200, 'b'));
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toEqual({
      code: 429,
      message: 'This key is limited to 600 events a minute',
    });
    expect(await stored()).toBe(500);
    // What still fits is taken.
    expect((await post(url, alertsOf(100, 'c'))).statusCode).toBe(200);
    expect(await stored()).toBe(600);

    // The webhook answers in Tocsin's shape.
    const hook = await keyOf('alertmanager', 3);
    const notification = {
      version: '4',
      alerts: [1, 2, 3, 4].map((i) => firing({ alertname: 'Hook', instance: `h${i}` })),
    };
    expect(
      (
        await post(`/api/integrations/alertmanager/${hook}`, {
          ...notification,
          alerts: notification.alerts.slice(0, 1),
        })
      ).statusCode,
    ).toBe(200);
    const limited = await post(`/api/integrations/alertmanager/${hook}`, notification);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toMatchObject({ error: { code: 'INTEGRATION_RATE_LIMITED' } });
    expect(await stored()).toBe(601);
  });

  it('gives batch sources (Alertmanager, Grafana) a default limit of 6,000 events a minute, others 600', async () => {
    for (const [type, limit] of [
      ['alertmanager', 6000],
      ['grafana', 6000],
      ['pagerduty-v2', 600],
      ['generic', 600],
    ] as const) {
      const { integration } = await app.services.integrations.create(system, serviceId, {
        type,
        config: {},
      });
      expect([type, integration.rateLimitPerMinute]).toEqual([type, limit]);
    }
  });

  it('refuses more than 1,000 alerts in one request, naming the field', async () => {
    const am = await keyOf('alertmanager');
    const api = await post(`/api/integrations/alertmanager/${am}/api/v2/alerts`, alertsOf(1001));
    expect(api.statusCode).toBe(400);
    expect(api.json()).toEqual({
      code: 400,
      message: expect.stringMatching(/more than 1000 alerts/),
    });

    const webhook = await post(`/api/integrations/alertmanager/${am}`, {
      version: '4',
      alerts: Array.from({ length: 1001 }, (_, i) => firing({ alertname: 'X', i: String(i) })),
    });
    expect(webhook.statusCode).toBe(400);
    expect(webhook.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        field: 'alerts',
        message: expect.stringMatching(/max_alerts/),
      },
    });

    const grafana = await keyOf('grafana');
    const g = await post(`/api/integrations/grafana/${grafana}`, {
      alerts: Array.from({ length: 1001 }, (_, i) => firing({ alertname: 'X', i: String(i) })),
    });
    expect(g.statusCode).toBe(400);
    expect(g.json()).toMatchObject({ error: { field: 'alerts' } });
    expect(await stored()).toBe(0);
  });

  it('refuses oversized PagerDuty fields with "invalid event", naming each', async () => {
    const routing_key = await keyOf('pagerduty-v2');
    const event = (payload: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
      routing_key,
      event_action: 'trigger',
      payload: { summary: 'Disk full', source: 'db-1', severity: 'critical', ...payload },
      ...over,
    });
    const long = 'x'.repeat(1025);
    const res = await post(
      '/v2/enqueue',
      event({ source: 'y'.repeat(500 * 1024 - 200), component: long, group: long, class: long }),
    );
    expect(res.statusCode).toBe(400);
    const body = res.json() as { status: string; errors: string[] };
    expect(body.status).toBe('invalid event');
    for (const field of ['source', 'component', 'group', 'class'])
      expect(body.errors).toContain(`'payload.${field}' is too long (maximum is 1024 characters)`);

    const links = Array.from({ length: 51 }, (_, i) => ({ href: `https://x.test/${i}` }));
    const images = Array.from({ length: 51 }, (_, i) => ({ src: `https://x.test/${i}.png` }));
    const many = await post('/v2/enqueue', event({}, { links, images }));
    expect(many.statusCode).toBe(400);
    expect((many.json() as { errors: string[] }).errors).toEqual([
      "'links' has more than 50 items (the maximum is 50)",
      "'images' has more than 50 items (the maximum is 50)",
    ]);
    expect(await stored()).toBe(0);

    // custom_details are kept whole, but only the first 50 short strings become labels.
    const details = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [`k${i}`, `v${i}`]),
    );
    const ok = await post(
      '/v2/enqueue',
      event({ custom_details: { huge: 'z'.repeat(5000), ...details } }),
    );
    expect(ok.statusCode).toBe(202);
    const [alert] = await app.db.selectFrom('alerts').selectAll().execute();
    const labels = JSON.parse(alert!.labels_json) as Record<string, string>;
    expect(Object.keys(labels).filter((k) => /^k\d+$/.test(k))).toHaveLength(50);
    expect(labels.huge).toBeUndefined();
    expect(Object.keys(JSON.parse(alert!.details_json!) as object)).toHaveLength(10_001);
  });

  it('refuses label sets over their limits (Alertmanager, Prometheus, Grafana), naming the field', async () => {
    const am = await keyOf('alertmanager');
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, 'v']));
    const webhook = await post(`/api/integrations/alertmanager/${am}`, {
      version: '4',
      alerts: [firing({ alertname: 'X', ...many })],
    });
    expect(webhook.statusCode).toBe(400);
    expect(webhook.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        field: 'alerts.0.labels',
        message: expect.stringMatching(/10001 labels; at most 128/),
      },
    });

    const bigValue = await post(`/api/integrations/alertmanager/${am}/api/v2/alerts`, [
      { labels: { alertname: 'X', blob: 'v'.repeat(4 * 1024 * 1024) } },
    ]);
    expect(bigValue.statusCode).toBe(400);
    expect(bigValue.json()).toEqual({
      code: 400,
      message: expect.stringContaining('0.labels.blob: is longer than 4096 characters'),
    });

    const longName = await post(`/api/integrations/alertmanager/${am}/api/v2/alerts`, [
      { labels: { alertname: 'X', ['n'.repeat(100_000)]: 'v' } },
    ]);
    expect(longName.statusCode).toBe(400);
    // The name is cut in the answer, not echoed back whole.
    expect(longName.body.length).toBeLessThan(400);

    const grafana = await keyOf('grafana');
    const g = await post(`/api/integrations/grafana/${grafana}`, {
      alerts: [firing({ alertname: 'X', ...many })],
    });
    expect(g.statusCode).toBe(400);
    expect(g.json()).toMatchObject({ error: { field: 'alerts.0.labels' } });
    expect(await stored()).toBe(0);

    // At the limits, a rule is taken.
    const atLimit = Object.fromEntries(
      Array.from({ length: 127 }, (_, i) => [`l${i}`.padEnd(256, '_'), 'v'.repeat(4096)]),
    );
    expect(
      (
        await post(`/api/integrations/alertmanager/${am}/api/v2/alerts`, [
          { labels: { alertname: 'X', ...atLimit } },
        ])
      ).statusCode,
    ).toBe(200);
    expect(await stored()).toBe(1);
  });

  it('bounds what the generic webhook takes: a long source is refused, labels are few', async () => {
    const key = await keyOf('generic');
    const url = `/api/integrations/generic/${key}`;
    const longSource = await post(url, { summary: 'x', source: 's'.repeat(1025) });
    expect(longSource.statusCode).toBe(400);
    expect(longSource.json()).toMatchObject({ error: { field: 'source' } });
    const fields = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, 'v']));
    const ok = await post(url, { summary: 'x', ...fields });
    expect(ok.statusCode).toBe(202);
    const [alert] = await app.db.selectFrom('alerts').selectAll().execute();
    expect(Object.keys(JSON.parse(alert!.labels_json) as object).length).toBeLessThanOrEqual(52);
  });
});
