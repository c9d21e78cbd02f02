import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsConfigSchema } from '../../domains/checks/index.js';
import { selfSignedCert } from '../../../test/doubles/check-targets.js';
import type { ProbeContext } from './checker.js';
import { probeTls } from './tls.checker.js';

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 2000,
  allow: ['127.0.0.1/32'],
  now: () => Date.now(),
  ...over,
});

describe('tls checker', () => {
  let server: tls.Server;
  let port = 0;
  beforeAll(async () => {
    server = tls.createServer(selfSignedCert(10), (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('completes a handshake and reads the certificate', async () => {
    const r = await probeTls(
      tlsConfigSchema.parse({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        verifyTls: false,
        certExpiryDays: 0,
      }),
      ctx(),
    );
    expect(r).toMatchObject({
      ok: true,
      warning: null,
      details: { subject: 'localhost', authorized: false, certDaysLeft: 9 },
    });
    expect(r.details.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('is down for an untrusted certificate when verifying', async () => {
    const r = await probeTls(
      tlsConfigSchema.parse({ host: '127.0.0.1', port, servername: 'localhost' }),
      ctx(),
    );
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^TLS: /);
  });

  it('warns N days ahead of expiry, and is down once it expired', async () => {
    const config = tlsConfigSchema.parse({
      host: '127.0.0.1',
      port,
      verifyTls: false,
      certExpiryDays: 30,
    });
    expect((await probeTls(config, ctx())).warning).toMatch(/expires in 9 days/);
    const later = await probeTls(config, ctx({ now: () => Date.now() + 11 * 86_400_000 }));
    expect(later).toMatchObject({ ok: false });
    expect(later.error).toMatch(/^the TLS certificate expired on /);
  });
});
