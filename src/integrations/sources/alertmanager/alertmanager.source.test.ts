import { beforeEach, describe, expect, it } from 'vitest';
import {
  fakeIngestPort,
  fakeSourceContext,
  malformedBodies,
  sourceRequest,
  type FakeIngestPort,
} from '../../../../test/fakes/fake-ingest-port.js';
import type { SourceRoute } from '../source.js';
import { alertmanagerSource } from './alertmanager.source.js';

const key = 'am0000000000000000000000000000key';
const [webhookRoute, apiRoute] = alertmanagerSource.routes as [SourceRoute, SourceRoute];
const now = Date.parse('2026-01-01T12:00:00Z');
const params = { key };

const notification = {
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'tocsin',
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency', job: 'api' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', job: 'api', severity: 'page' },
      annotations: { summary: 'p99 latency above 2s' },
      startsAt: '2026-01-01T11:55:00.123456789Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
      fingerprint: '6f1c2bd4b9f8a2c1',
    },
  ],
};

let port: FakeIngestPort;
beforeEach(() => {
  port = fakeIngestPort({ [key]: { type: 'alertmanager' } });
});

describe('POST /api/integrations/alertmanager/:key (webhook)', () => {
  it('has the documented path', () => {
    expect(webhookRoute.path).toBe('/api/integrations/alertmanager/:key');
    expect(apiRoute.path).toBe('/api/integrations/alertmanager/:key/api/v2/alerts');
  });

  it('ingests one event per alert and answers {"status":"success"}', async () => {
    const res = await webhookRoute.handle(
      sourceRequest(notification, { params }),
      fakeSourceContext(port, now),
    );
    expect(res).toEqual({ status: 200, body: { status: 'success' } });
    expect(port.calls.authenticate).toEqual([{ key, type: 'alertmanager' }]);
    expect(port.calls.ingest[0]?.events).toHaveLength(1);
    expect(port.calls.ingest[0]?.events[0]).toMatchObject({
      action: 'trigger',
      dedupKey: '6f1c2bd4b9f8a2c1',
      severity: 'critical',
    });
  });

  it('answers an unknown key 404 and the rate limit 429 in Tocsin shape', async () => {
    const unknown = await webhookRoute.handle(
      sourceRequest(notification, { params: { key: 'nope' } }),
      fakeSourceContext(port, now),
    );
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: 'INTEGRATION_KEY_UNKNOWN', message: 'Integration not found' } },
    });
    port.rateLimited = 30;
    const limited = await webhookRoute.handle(
      sourceRequest(notification, { params }),
      fakeSourceContext(port, now),
    );
    expect(limited).toMatchObject({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { code: 'INTEGRATION_RATE_LIMITED' } },
    });
    expect(port.calls.ingest).toHaveLength(0);
  });

  describe('bad input: Tocsin 4xx shape, port untouched', () => {
    const cases: [string, ReturnType<typeof sourceRequest>, number, string, string?][] = [
      ['malformed JSON', sourceRequest(malformedBodies.json, { params }), 400, 'INVALID_JSON'],
      [
        'wrong content type',
        sourceRequest(JSON.stringify(notification), { params, contentType: 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'missing field',
        sourceRequest({ ...notification, alerts: undefined }, { params }),
        400,
        'VALIDATION_FAILED',
        'alerts',
      ],
      [
        'wrong-typed field',
        sourceRequest(
          { ...notification, alerts: [{ ...notification.alerts[0], labels: { job: 7 } }] },
          { params },
        ),
        400,
        'VALIDATION_FAILED',
        'alerts.0.labels.job',
      ],
      [
        'bad status',
        sourceRequest(
          { ...notification, alerts: [{ ...notification.alerts[0], status: 'pending' }] },
          { params },
        ),
        400,
        'VALIDATION_FAILED',
        'alerts.0.status',
      ],
      [
        'bad timestamp',
        sourceRequest(
          { ...notification, alerts: [{ ...notification.alerts[0], startsAt: 'yesterday' }] },
          { params },
        ),
        400,
        'VALIDATION_FAILED',
        'alerts.0.startsAt',
      ],
      [
        '1,000-deep nesting',
        sourceRequest(malformedBodies.deepObject, { params }),
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
        const res = await webhookRoute.handle(request, fakeSourceContext(port, now));
        expect(res.status).toBe(status);
        const body = res.body as { error: { code: string; message: string; field?: string } };
        expect(body.error.code).toBe(code);
        expect(body.error.message).toEqual(expect.any(String));
        if (field) expect(body.error.field).toBe(field);
        expect(port.callCount()).toBe(0);
      });
    }
  });

  it('answers an oversized body 413 in Tocsin shape', () => {
    expect(alertmanagerSource.tooLarge?.(webhookRoute.bodyLimitBytes)).toMatchObject({
      status: 413,
      body: { error: { code: 'BODY_TOO_LARGE' } },
    });
  });
});

describe('POST /api/integrations/alertmanager/:key/api/v2/alerts (Prometheus)', () => {
  // What Prometheus' notifier posts: labels, annotations, startsAt, endsAt, generatorURL.
  const alerts = [
    {
      labels: { alertname: 'HighLatency', job: 'api', severity: 'critical' },
      annotations: { summary: 'p99 latency above 2s' },
      startsAt: '2026-01-01T11:55:00Z',
      endsAt: '2026-01-01T12:04:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
    },
    {
      labels: { alertname: 'DiskFull', instance: 'db-1:9100' },
      annotations: { description: 'Disk / is 95% full' },
      startsAt: '2026-01-01T10:00:00Z',
      endsAt: '2026-01-01T11:59:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=disk',
    },
  ];

  it('answers 200 with an empty body, like Alertmanager', async () => {
    const res = await apiRoute.handle(
      sourceRequest(alerts, { params }),
      fakeSourceContext(port, now),
    );
    expect(res).toEqual({ status: 200, body: undefined });
    expect(port.calls.ingest[0]?.events.map((e) => e.action)).toEqual(['trigger', 'resolve']);
  });

  it('stores the valid alerts and answers 400 with the invalid ones, like Alertmanager', async () => {
    const res = await apiRoute.handle(
      sourceRequest([{ labels: {} }, alerts[0]], { params }),
      fakeSourceContext(port, now),
    );
    expect(res).toEqual({
      status: 400,
      body: '"at least one label pair required"',
      headers: { 'content-type': 'application/json' },
    });
    expect(port.calls.ingest[0]?.events).toHaveLength(1);
  });

  describe("bad input: go-openapi's shape, port untouched", () => {
    const cases: [string, ReturnType<typeof sourceRequest>, number, number, string][] = [
      [
        'malformed JSON',
        sourceRequest(malformedBodies.json, { params }),
        400,
        400,
        'parsing alerts body from "" failed, because The body is not valid JSON',
      ],
      [
        'wrong content type',
        sourceRequest(JSON.stringify(alerts), { params, contentType: 'application/xml' }),
        415,
        415,
        'unsupported media type "application/xml", only [application/json] are allowed',
      ],
      [
        'missing labels',
        sourceRequest([{ annotations: {} }], { params }),
        422,
        602,
        '0.labels in body is required',
      ],
      [
        'not an array',
        sourceRequest({ alerts }, { params }),
        400,
        400,
        'parsing alerts body from "" failed, because',
      ],
      [
        'wrong-typed label',
        sourceRequest([{ labels: { severity: 1 } }], { params }),
        400,
        400,
        '0.labels.severity: must be a string',
      ],
      [
        '1,000-deep nesting',
        sourceRequest(malformedBodies.deep, { params }),
        400,
        400,
        'deeper than 64',
      ],
      ['invalid UTF-8', sourceRequest(malformedBodies.invalidUtf8, { params }), 400, 400, 'UTF-8'],
    ];
    for (const [name, request, status, code, message] of cases) {
      it(name, async () => {
        const res = await apiRoute.handle(request, fakeSourceContext(port, now));
        expect(res.status).toBe(status);
        expect(res.body).toEqual({ code, message: expect.stringContaining(message) });
        expect(port.callCount()).toBe(0);
      });
    }
  });

  it('answers an unknown key in the same shape', async () => {
    const res = await apiRoute.handle(
      sourceRequest(alerts, { params: { key: 'nope' } }),
      fakeSourceContext(port, now),
    );
    expect(res).toEqual({ status: 404, body: { code: 404, message: 'Integration not found' } });
  });
});
