import { beforeEach, describe, expect, it } from 'vitest';
import {
  fakeIngestPort,
  fakeSourceContext,
  malformedBodies,
  sourceRequest,
  type FakeIngestPort,
} from '../../../../test/fakes/fake-ingest-port.js';
import type { SourceRoute } from '../source.js';
import { pagerdutyV2Source } from './pagerduty-v2.source.js';

const key = 'e93facc04764012d7bfb002500d5d1a6';
const route = (path: string): SourceRoute => {
  const found = pagerdutyV2Source.routes.find((r) => r.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
};
const enqueue = route('/v2/enqueue');
const changeEnqueue = route('/v2/change/enqueue');

// The request example of PagerDuty's OpenAPI document (api-schema, events-v2).
const trigger = {
  payload: {
    summary: 'DISK at 99% on machine prod-datapipe03.example.com',
    timestamp: '2015-07-17T08:42:58.315+0000',
    severity: 'critical',
    source: 'prod-datapipe03.example.com',
    component: 'mysql',
    group: 'prod-datapipe',
    class: 'disk',
    custom_details: { 'free space': '1%', 'ping time': '1500ms', 'load avg': 0.75 },
  },
  routing_key: key,
  dedup_key: 'srv01/mysql',
  event_action: 'trigger',
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.service.com',
};

let port: FakeIngestPort;
beforeEach(() => {
  port = fakeIngestPort({ [key]: { type: 'pagerduty-v2' } });
});

describe('POST /v2/enqueue', () => {
  it("answers PagerDuty's exact success body", async () => {
    const res = await enqueue.handle(sourceRequest(trigger), fakeSourceContext(port));
    expect(res.status).toBe(202);
    expect(JSON.stringify(res.body)).toBe(
      '{"status":"success","message":"Event processed","dedup_key":"srv01/mysql"}',
    );
    expect(port.calls.authenticate).toEqual([{ key, type: 'pagerduty-v2' }]);
    expect(port.calls.ingest).toHaveLength(1);
    expect(port.calls.ingest[0]?.events[0]).toMatchObject({
      action: 'trigger',
      dedupKey: 'srv01/mysql',
      severity: 'critical',
    });
  });

  it('returns the dedup key the pipeline generated for a trigger without one', async () => {
    const { dedup_key: _d, ...body } = trigger;
    const res = await enqueue.handle(sourceRequest(body), fakeSourceContext(port));
    expect(res).toEqual({
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: 'generated-1' },
    });
    expect(port.calls.ingest[0]?.events[0]?.dedupKey).toBeUndefined();
  });

  it('acknowledges and resolves by dedup key', async () => {
    for (const event_action of ['acknowledge', 'resolve']) {
      const res = await enqueue.handle(
        sourceRequest({ routing_key: key, dedup_key: 'srv01/mysql', event_action }),
        fakeSourceContext(port),
      );
      expect(res).toEqual({
        status: 202,
        body: { status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' },
      });
    }
    expect(port.calls.ingest.map((c) => c.events[0]?.action)).toEqual(['acknowledge', 'resolve']);
  });

  it('refuses acknowledge without dedup_key, before touching the port', async () => {
    const res = await enqueue.handle(
      sourceRequest({ routing_key: key, event_action: 'acknowledge' }),
      fakeSourceContext(port),
    );
    expect(res).toEqual({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'dedup_key' is missing or blank (it is required for acknowledge events)"],
      },
    });
    expect(port.callCount()).toBe(0);
  });

  it('answers an unknown routing key with 400 "Invalid routing key"', async () => {
    const res = await enqueue.handle(
      sourceRequest({ ...trigger, routing_key: 'ffffffffffffffffffffffffffffffff' }),
      fakeSourceContext(port),
    );
    expect(res).toEqual({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['Invalid routing key'],
      },
    });
    expect(port.calls.ingest).toHaveLength(0);
  });

  it('maps the rate limit to 429 with Retry-After', async () => {
    port.rateLimited = 17;
    const res = await enqueue.handle(sourceRequest(trigger), fakeSourceContext(port));
    expect(res.status).toBe(429);
    expect(res.headers).toEqual({ 'retry-after': '17' });
    expect(res.body).toMatchObject({ status: 'throttle event', message: 'Request Limit Exceeded' });
    expect(port.calls.ingest).toHaveLength(0);
  });

  describe('bad input: PagerDuty 400 shape, port untouched', () => {
    const cases: [string, ReturnType<typeof sourceRequest>, string][] = [
      ['malformed JSON', sourceRequest(malformedBodies.json), 'JSON parse error'],
      [
        'wrong content type',
        sourceRequest(JSON.stringify(trigger), { contentType: 'text/plain' }),
        'Expected application/json',
      ],
      [
        'missing field',
        sourceRequest({ ...trigger, payload: { ...trigger.payload, summary: undefined } }),
        "'payload.summary' is missing or blank",
      ],
      [
        'wrong-typed field',
        sourceRequest({ ...trigger, payload: { ...trigger.payload, severity: 3 } }),
        "'payload.severity' is invalid",
      ],
      ['1,000-deep nesting', sourceRequest(malformedBodies.deep), 'deeper than 64 levels'],
      ['invalid UTF-8', sourceRequest(malformedBodies.invalidUtf8), 'not valid UTF-8'],
      ['a JSON array', sourceRequest([trigger]), 'must be a JSON object'],
      ['an empty body', sourceRequest(''), 'empty'],
    ];
    for (const [name, request, error] of cases) {
      it(name, async () => {
        const res = await enqueue.handle(request, fakeSourceContext(port));
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          status: 'invalid event',
          message: 'Event object is invalid',
        });
        const errors = (res.body as { errors: string[] }).errors;
        expect(errors.some((e) => e.includes(error))).toBe(true);
        expect(port.callCount()).toBe(0);
      });
    }
  });

  it('answers an oversized body in the same shape', () => {
    const res = pagerdutyV2Source.tooLarge?.(enqueue.bodyLimitBytes);
    expect(enqueue.bodyLimitBytes).toBe(512 * 1024);
    expect(res).toMatchObject({
      status: 413,
      body: { status: 'invalid event', message: 'Event object is invalid' },
    });
  });
});

describe('POST /v2/change/enqueue', () => {
  const change = {
    routing_key: key,
    payload: {
      summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
      timestamp: '2015-07-17T08:42:58.315+0000',
      source: 'prod-build-agent-i-0b148d1040d565540',
      custom_details: { build_state: 'passed', build_number: '220', run_time: '1236s' },
    },
    links: [
      {
        href: 'https://buildpipeline.com/pagerduty/deployment/builds/220',
        text: 'View in Build Pipeline',
      },
    ],
  };

  it("records the change and answers PagerDuty's change body", async () => {
    const res = await changeEnqueue.handle(sourceRequest(change), fakeSourceContext(port));
    expect(res.status).toBe(202);
    expect(JSON.stringify(res.body)).toBe(
      '{"status":"success","message":"Change event processed"}',
    );
    expect(port.calls.recordChange).toHaveLength(1);
    expect(port.calls.recordChange[0]?.change).toMatchObject({
      summary: change.payload.summary,
      source: change.payload.source,
      details: change.payload.custom_details,
    });
    expect(port.calls.ingest).toHaveLength(0);
  });

  it('refuses a change without summary and an unknown key', async () => {
    const bad = await changeEnqueue.handle(
      sourceRequest({ routing_key: key, payload: {} }),
      fakeSourceContext(port),
    );
    expect(bad).toMatchObject({
      status: 400,
      body: { errors: ["'payload.summary' is missing or blank"] },
    });
    expect(port.callCount()).toBe(0);
    const unknown = await changeEnqueue.handle(
      sourceRequest({ ...change, routing_key: 'nope' }),
      fakeSourceContext(port),
    );
    expect(unknown).toMatchObject({ status: 400, body: { errors: ['Invalid routing key'] } });
    expect(port.calls.recordChange).toHaveLength(0);
  });
});
