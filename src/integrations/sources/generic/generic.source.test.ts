import { beforeEach, describe, expect, it } from 'vitest';
import {
  fakeIngestPort,
  fakeSourceContext,
  malformedBodies,
  sourceRequest,
  type FakeIngestPort,
} from '../../../../test/fakes/fake-ingest-port.js';
import { genericSource } from './generic.source.js';

const key = 'ge0000000000000000000000000000key';
const broken = 'ge00000000000000000000000000broke';
const params = { key };
const route = genericSource.routes[0];
if (!route) throw new Error('no route');

const mapping = {
  summary: '$.alert.title',
  severity: '$.alert.level',
  dedupKey: '$.alert.id',
  action: '$.state',
  severityMap: { P1: 'critical' },
  actionMap: { firing: 'trigger', ok: 'resolve' },
};
const body = {
  state: 'firing',
  alert: { id: 'disk-db-1', title: 'Disk 95% on db-1', level: 'P1' },
};

let port: FakeIngestPort;
beforeEach(() => {
  port = fakeIngestPort({
    [key]: { type: 'generic', config: mapping },
    [broken]: { type: 'generic', config: { summary: 'not a path' } },
  });
});

describe('POST /api/integrations/generic/:key', () => {
  it('maps a JSON body and answers 202 with the dedup key and alert id', async () => {
    const res = await route.handle(sourceRequest(body, { params }), fakeSourceContext(port));
    expect(route.path).toBe('/api/integrations/generic/:key');
    expect(res).toEqual({
      status: 202,
      body: { status: 'accepted', dedupKey: 'disk-db-1', alertId: 'alert-1-0' },
    });
    expect(port.calls.ingest[0]?.events[0]).toMatchObject({
      action: 'trigger',
      severity: 'critical',
      summary: 'Disk 95% on db-1',
    });
  });

  it('maps a form body, dotted keys nested', async () => {
    const form = 'state=ok&alert.id=disk-db-1&alert.title=Disk+back+to+60%25&alert.level=P1';
    const res = await route.handle(
      sourceRequest(form, { params, contentType: 'application/x-www-form-urlencoded' }),
      fakeSourceContext(port),
    );
    expect(res.status).toBe(202);
    expect(port.calls.ingest[0]?.events[0]).toMatchObject({
      action: 'resolve',
      dedupKey: 'disk-db-1',
      summary: 'Disk back to 60%',
    });
  });

  it('returns the generated dedup key when the body has none', async () => {
    const { id: _id, ...alert } = body.alert;
    const res = await route.handle(
      sourceRequest({ ...body, alert }, { params }),
      fakeSourceContext(port),
    );
    expect(res.body).toEqual({ status: 'accepted', dedupKey: 'generated-1', alertId: 'alert-1-0' });
  });

  it('answers unknown keys 404, the rate limit 429, a broken stored mapping 500', async () => {
    const unknown = await route.handle(
      sourceRequest(body, { params: { key: 'nope' } }),
      fakeSourceContext(port),
    );
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: 'INTEGRATION_KEY_UNKNOWN' } },
    });
    const misconfigured = await route.handle(
      sourceRequest(body, { params: { key: broken } }),
      fakeSourceContext(port),
    );
    expect(misconfigured).toMatchObject({
      status: 500,
      body: { error: { code: 'INTEGRATION_CONFIG_INVALID' } },
    });
    port.rateLimited = 12;
    const limited = await route.handle(sourceRequest(body, { params }), fakeSourceContext(port));
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '12' } });
    expect(port.calls.ingest).toHaveLength(0);
  });

  it('exposes parseConfig for the integrations service', () => {
    expect(genericSource.parseConfig?.({})).toMatchObject({ summary: '$.summary' });
  });

  describe('bad input: Tocsin 4xx shape, nothing ingested', () => {
    // Decoding failures never reach the port. Field problems depend on the integration's mapping,
    // so the key is authenticated first, but nothing is ingested.
    const cases: [string, ReturnType<typeof sourceRequest>, number, string, string?][] = [
      ['malformed JSON', sourceRequest(malformedBodies.json, { params }), 400, 'INVALID_JSON'],
      [
        'wrong content type',
        sourceRequest('state=firing', { params, contentType: 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'missing field',
        sourceRequest({ state: 'firing', alert: { id: 'x' } }, { params }),
        400,
        'VALIDATION_FAILED',
        'alert.title',
      ],
      [
        'wrong-typed field',
        sourceRequest({ ...body, alert: { ...body.alert, title: { text: 'x' } } }, { params }),
        400,
        'VALIDATION_FAILED',
        'alert.title',
      ],
      [
        'unknown action',
        sourceRequest({ ...body, state: 'flapping' }, { params }),
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
        '1,000-deep form field',
        sourceRequest(`${'a.'.repeat(999)}a=1`, {
          params,
          contentType: 'application/x-www-form-urlencoded',
        }),
        400,
        'NESTING_TOO_DEEP',
      ],
      [
        'invalid UTF-8',
        sourceRequest(malformedBodies.invalidUtf8, { params }),
        400,
        'INVALID_UTF8',
      ],
      [
        'conflicting form fields',
        sourceRequest('alert=1&alert.id=2', {
          params,
          contentType: 'application/x-www-form-urlencoded',
        }),
        400,
        'VALIDATION_FAILED',
        'alert.id',
      ],
    ];
    for (const [name, request, status, code, field] of cases) {
      it(name, async () => {
        const res = await route.handle(request, fakeSourceContext(port));
        expect(res.status).toBe(status);
        const err = (res.body as { error: { code: string; field?: string } }).error;
        expect(err.code).toBe(code);
        if (field) expect(err.field).toBe(field);
        expect(port.calls.ingest).toHaveLength(0);
        if (code !== 'VALIDATION_FAILED' || name.includes('form')) expect(port.callCount()).toBe(0);
      });
    }
  });
});
