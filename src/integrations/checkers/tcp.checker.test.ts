import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchableTcpServer } from '../../../test/doubles/check-targets.js';
import type { ProbeContext } from './checker.js';
import { probeTcp } from './tcp.checker.js';

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 2000,
  allow: ['127.0.0.1/32'],
  now: () => Date.now(),
  ...over,
});

describe('tcp checker', () => {
  let server: SwitchableTcpServer;
  beforeAll(async () => {
    server = await new SwitchableTcpServer().start();
  });
  afterAll(() => server.stop());

  it('is up while the port accepts, down while it refuses', async () => {
    const up = await probeTcp({ host: '127.0.0.1', port: server.port }, ctx());
    expect(up).toMatchObject({ ok: true, details: { address: '127.0.0.1' } });
    expect(up.latencyMs).toBeGreaterThan(0);
    await server.switchOff();
    expect(await probeTcp({ host: '127.0.0.1', port: server.port }, ctx())).toMatchObject({
      ok: false,
      error: 'connection refused',
    });
    await server.start();
    expect((await probeTcp({ host: '127.0.0.1', port: server.port }, ctx())).ok).toBe(true);
  });

  it('connects to the address the guard judged, and refuses private ones', async () => {
    const byName = await probeTcp(
      { host: 'db.internal.test', port: server.port },
      ctx({ lookup: async () => [{ address: '127.0.0.1', family: 4 }] }),
    );
    expect(byName).toMatchObject({ ok: true, details: { address: '127.0.0.1' } });
    const blocked = await probeTcp({ host: '127.0.0.1', port: server.port }, ctx({ allow: [] }));
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toMatch(/blocked: 127\.0\.0\.1/);
  });

  it('times out, name resolution included', async () => {
    const r = await probeTcp(
      { host: 'slow-dns.test', port: server.port },
      ctx({ timeoutMs: 200, lookup: () => new Promise(() => undefined) }),
    );
    expect(r).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(r.latencyMs).toBeGreaterThanOrEqual(195);
  });
});
