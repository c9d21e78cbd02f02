import { beforeEach, describe, expect, it } from 'vitest';
import {
  fakeIngestPort,
  fakeSourceContext,
  malformedBodies,
  sourceRequest,
  type FakeIngestPort,
} from '../../../../test/fakes/fake-ingest-port.js';
import { grafanaSource } from './grafana.source.js';

const key = 'gr0000000000000000000000000000key';
const params = { key };
const route = grafanaSource.routes[0];
if (!route) throw new Error('no route');

const unified = {
  receiver: 'tocsin',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'High memory usage', severity: 'critical' },
      annotations: { summary: 'Memory above 90%' },
      startsAt: '2026-01-01T11:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://grafana.example/alerting/abc/edit',
      fingerprint: 'c6eadffa33fcdf37',
      values: { B: 93.2 },
    },
  ],
  version: '1',
  title: '[FIRING:1] High memory usage',
  state: 'alerting',
};
const legacy = { ruleId: 7, ruleName: 'CPU', state: 'alerting', title: '[Alerting] CPU' };

let port: FakeIngestPort;
beforeEach(() => {
  port = fakeIngestPort({ [key]: { type: 'grafana' } });
});

describe('POST/PUT /api/integrations/grafana/:key', () => {
  it('mounts POST and PUT on the documented path', () => {
    expect(grafanaSource.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/integrations/grafana/:key',
      'PUT /api/integrations/grafana/:key',
    ]);
  });

  it('ingests a unified notification and answers {"status":"success"}', async () => {
    const res = await route.handle(sourceRequest(unified, { params }), fakeSourceContext(port));
    expect(res).toEqual({ status: 200, body: { status: 'success' } });
    expect(port.calls.ingest[0]?.events[0]).toMatchObject({
      action: 'trigger',
      dedupKey: 'c6eadffa33fcdf37',
      severity: 'critical',
    });
  });

  it('ingests a legacy notification', async () => {
    const res = await route.handle(sourceRequest(legacy, { params }), fakeSourceContext(port));
    expect(res.status).toBe(200);
    expect(port.calls.ingest[0]?.events[0]).toMatchObject({ dedupKey: 'grafana-rule:7' });
  });

  it('answers a paused rule 200 without an event, after checking the key', async () => {
    const res = await route.handle(
      sourceRequest({ ...legacy, state: 'paused' }, { params }),
      fakeSourceContext(port),
    );
    expect(res).toEqual({ status: 200, body: { status: 'success' } });
    expect(port.calls.authenticate).toHaveLength(1);
    expect(port.calls.ingest).toHaveLength(0);
    const unknown = await route.handle(
      sourceRequest({ ...legacy, state: 'paused' }, { params: { key: 'nope' } }),
      fakeSourceContext(port),
    );
    expect(unknown.status).toBe(404);
  });

  it('maps the rate limit to 429 with Retry-After', async () => {
    port.rateLimited = 5;
    const res = await route.handle(sourceRequest(unified, { params }), fakeSourceContext(port));
    expect(res).toMatchObject({
      status: 429,
      headers: { 'retry-after': '5' },
      body: { error: { code: 'INTEGRATION_RATE_LIMITED' } },
    });
  });

  describe('bad input: Tocsin 4xx shape, port untouched', () => {
    const cases: [string, ReturnType<typeof sourceRequest>, number, string, string?][] = [
      ['malformed JSON', sourceRequest(malformedBodies.json, { params }), 400, 'INVALID_JSON'],
      [
        'wrong content type',
        sourceRequest(JSON.stringify(unified), {
          params,
          contentType: 'application/x-www-form-urlencoded',
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'neither format',
        sourceRequest({ hello: 1 }, { params }),
        400,
        'VALIDATION_FAILED',
        'alerts',
      ],
      [
        'missing field',
        sourceRequest({ ...unified, alerts: [{ status: 'firing' }] }, { params }),
        400,
        'VALIDATION_FAILED',
        'alerts.0.labels',
      ],
      [
        'wrong-typed field',
        sourceRequest({ ...unified, alerts: 'many' }, { params }),
        400,
        'VALIDATION_FAILED',
        'alerts',
      ],
      [
        'bad legacy state',
        sourceRequest({ ...legacy, state: 'exploded' }, { params }),
        400,
        'VALIDATION_FAILED',
        'state',
      ],
      [
        '1,000-deep nesting',
        sourceRequest(malformedBodies.deep, { params }),
        400,
        'NESTING_TOO_DEEP',
      ],
      [
        'invalid UTF-8',
        sourceRequest(malformedBodies.invalidUtf8, { params }),
        400,
        'INVALID_UTF8',
      ],
    ];
    for (const [name, request, status, code, field] of cases) {
      it(name, async () => {
        const res = await route.handle(request, fakeSourceContext(port));
        expect(res.status).toBe(status);
        const body = res.body as { error: { code: string; field?: string } };
        expect(body.error.code).toBe(code);
        if (field) expect(body.error.field).toBe(field);
        expect(port.callCount()).toBe(0);
      });
    }
  });
});
