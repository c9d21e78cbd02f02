import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConfigSchema, type HttpCheckConfig } from '../../domains/checks/index.js';
import { selfSignedCert, SwitchableHttpServer } from '../../../test/doubles/check-targets.js';
import type { ProbeContext } from './checker.js';
import { jsonAssertionFailure, probeHttp, statusMatches } from './http.checker.js';

const loopback = ['127.0.0.1/32'];
const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 2000,
  allow: loopback,
  now: () => Date.now(),
  ...over,
});
const cfg = (c: Partial<HttpCheckConfig> & { url: string }) => httpConfigSchema.parse(c);

describe('http checker: rules', () => {
  it('matches status patterns', () => {
    expect(statusMatches(204, ['200-299'])).toBe(true);
    expect(statusMatches(301, ['2xx'])).toBe(false);
    expect(statusMatches(418, ['200', '418'])).toBe(true);
  });

  it('asserts on a JSON path', () => {
    const body = '{"status":"ok","queue":3,"tags":["a","b"]}';
    expect(jsonAssertionFailure(body, { path: '$.status', op: 'equals', value: 'ok' })).toBeNull();
    expect(jsonAssertionFailure(body, { path: '$.queue', op: 'lt', value: 2 })).toBe(
      '$.queue is 3, expected < 2',
    );
    expect(jsonAssertionFailure(body, { path: '$.tags', op: 'contains', value: 'b' })).toBeNull();
    expect(jsonAssertionFailure(body, { path: '$.missing', op: 'exists' })).toBe(
      '$.missing is missing',
    );
    expect(jsonAssertionFailure('<html>', { path: '$', op: 'exists' })).toBe(
      'the body is not JSON',
    );
  });
});

describe('http checker: against a local server', () => {
  let server: SwitchableHttpServer;
  beforeAll(async () => {
    server = await new SwitchableHttpServer().start();
  });
  afterAll(() => server.stop());

  it('is up on 2xx with the keyword and JSON assertion, and reports timings', async () => {
    const r = await probeHttp(
      cfg({
        url: `${server.url}/health`,
        keyword: '"ok"',
        jsonPath: { path: '$.queue', op: 'lt', value: 10 },
        headers: { 'X-Probe': 'yes' },
      }),
      ctx(),
    );
    expect(r).toMatchObject({ ok: true, error: null, details: { status: 200, redirects: 0 } });
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(server.requests.at(-1)).toMatchObject({ url: '/health', headers: { 'x-probe': 'yes' } });
  });

  it('is down on an unexpected status, a missing or forbidden keyword, or too slow', async () => {
    server.mode = 'error';
    expect(await probeHttp(cfg({ url: server.url }), ctx())).toMatchObject({
      ok: false,
      error: 'HTTP 503, expected 200-399',
      details: { status: 503 },
    });
    server.mode = 'up';
    expect((await probeHttp(cfg({ url: server.url, keyword: 'maintenance' }), ctx())).error).toBe(
      'the body does not contain "maintenance"',
    );
    expect(
      (await probeHttp(cfg({ url: server.url, keyword: 'ok', keywordAbsent: true }), ctx())).error,
    ).toBe('the body contains "ok"');
    server.mode = 'hang';
    const slow = await probeHttp(cfg({ url: server.url }), ctx({ timeoutMs: 300 }));
    expect(slow).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
    server.mode = 'up';
  });

  it('sends the method and body, and follows redirects up to the limit', async () => {
    await probeHttp(cfg({ url: `${server.url}/post`, method: 'POST', body: 'hello' }), ctx());
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', body: 'hello' });
    const followed = await probeHttp(cfg({ url: `${server.url}/redirect/2` }), ctx());
    expect(followed).toMatchObject({ ok: true, details: { redirects: 3, status: 200 } });
    const tooMany = await probeHttp(
      cfg({ url: `${server.url}/redirect/9`, maxRedirects: 2 }),
      ctx(),
    );
    expect(tooMany).toMatchObject({ ok: false, error: 'more than 2 redirects' });
    const notFollowed = await probeHttp(
      cfg({ url: `${server.url}/redirect/1`, followRedirects: false, expectStatus: ['302'] }),
      ctx(),
    );
    expect(notFollowed).toMatchObject({ ok: true, details: { status: 302 } });
  });

  it('reports a refused connection', async () => {
    const gone = await new SwitchableHttpServer().start();
    const url = gone.url;
    await gone.stop();
    expect(await probeHttp(cfg({ url }), ctx())).toMatchObject({
      ok: false,
      error: 'connection refused',
    });
  });

  it('goes through the SSRF guard: loopback is refused without the allow-list, also by name and on redirect', async () => {
    const blocked = await probeHttp(cfg({ url: server.url }), ctx({ allow: [] }));
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toMatch(/blocked: 127\.0\.0\.1 is a loopback/);
    const byName = await probeHttp(
      cfg({ url: `http://metadata.test:${server.port}/` }),
      ctx({ allow: [], lookup: async () => [{ address: '169.254.169.254', family: 4 }] }),
    );
    expect(byName.error).toMatch(/blocked: 169\.254\.169\.254/);
    // Each redirect hop is judged again: 127.0.0.2 is loopback outside the allow-list.
    const viaRedirect = await probeHttp(
      cfg({
        url: `${server.url}/redirect-to?u=${encodeURIComponent(`http://127.0.0.2:${server.port}/`)}`,
      }),
      ctx({ allow: ['127.0.0.1/32'] }),
    );
    expect(viaRedirect.ok).toBe(false);
    expect(viaRedirect.error).toMatch(/blocked: 127\.0\.0\.2/);
    const viaRedirectByName = await probeHttp(
      cfg({
        url: `${server.url}/redirect-to?u=${encodeURIComponent(`http://intranet.test:${server.port}/`)}`,
      }),
      ctx({
        allow: ['127.0.0.1/32'],
        lookup: async () => [{ address: '10.1.2.3', family: 4 }],
      }),
    );
    expect(viaRedirectByName.error).toMatch(/blocked: 10\.1\.2\.3/);
    // allowPrivate (an org admin's decision) is an allow-list of everything.
    expect(
      (await probeHttp(cfg({ url: server.url }), ctx({ allow: ['0.0.0.0/0', '::/0'] }))).ok,
    ).toBe(true);
  });
});

describe('http checker: TLS', () => {
  let server: SwitchableHttpServer;
  beforeAll(async () => {
    server = await new SwitchableHttpServer(selfSignedCert(5)).start();
  });
  afterAll(() => server.stop());

  it('refuses an untrusted certificate unless told not to verify', async () => {
    const strict = await probeHttp(cfg({ url: server.url }), ctx());
    expect(strict.ok).toBe(false);
    expect(strict.error).toMatch(/^TLS: /);
    const lax = await probeHttp(cfg({ url: server.url, verifyTls: false }), ctx());
    expect(lax.ok).toBe(true);
  });

  it('warns when the certificate expires within the configured days', async () => {
    const r = await probeHttp(
      cfg({ url: server.url, verifyTls: false, certExpiryDays: 14 }),
      ctx(),
    );
    expect(r.ok).toBe(true);
    expect(r.warning).toMatch(/^the TLS certificate expires in 4 days \(\d{4}-\d\d-\d\d\)$/);
    expect(r.details).toMatchObject({ certDaysLeft: 4 });
    const quiet = await probeHttp(
      cfg({ url: server.url, verifyTls: false, certExpiryDays: 3 }),
      ctx(),
    );
    expect(quiet.warning).toBeNull();
  });

  it('is down once the certificate expired, even without verification (as a TLS check)', async () => {
    for (const certExpiryDays of [14, 0]) {
      const later = await probeHttp(
        cfg({ url: server.url, verifyTls: false, certExpiryDays }),
        ctx({ now: () => Date.now() + 6 * 86_400_000 }),
      );
      expect(later).toMatchObject({ ok: false });
      expect(later.error).toMatch(/^the TLS certificate expired on \d{4}-\d\d-\d\d$/);
    }
  });
});
