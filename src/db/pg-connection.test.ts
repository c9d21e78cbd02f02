import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startFreezableProxy, type FreezableProxy } from '../../test/doubles/freezable-proxy.js';
import { openTestStore, storeKinds } from '../../test/harness.js';
import type { Store } from './database.js';
import { keepConnected, type KeptConnection } from './pg-connection.js';

// Postgres only: there is no such connection on SQLite.
describe.runIf(storeKinds().includes('postgres'))('a kept Postgres connection [postgres]', () => {
  const kind = 'postgres';
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const setup = async (): Promise<{ store: Store; proxy: FreezableProxy }> => {
    const store = await openTestStore(kind, { migrate: false });
    cleanup.push(() => store.close());
    const u = new URL(store.url!);
    const proxy = await startFreezableProxy({ host: u.hostname, port: Number(u.port) });
    cleanup.push(() => proxy.close());
    return { store, proxy };
  };
  const keep = async (options: Parameters<typeof keepConnected>[0]): Promise<KeptConnection> => {
    const kept = await keepConnected(options);
    cleanup.push(() => kept.close());
    return kept;
  };

  it('applies its session settings on each connection, skipping ones the server does not know', async () => {
    const { store } = await setup();
    const seen: Array<Record<string, string>> = [];
    await keep({
      url: store.url!,
      applicationName: 'settings-test',
      retryMs: 50,
      settings: { tcp_keepalives_idle: '5', tcp_user_timeout: '8000', no_such_setting: '1' },
      onConnect: async (client: pg.Client) => {
        const r = await client.query<{ idle: string; user: string }>(
          `select current_setting('tcp_keepalives_idle') as idle,
                  current_setting('tcp_user_timeout') as user`,
        );
        seen.push({ ...r.rows[0]! });
      },
    });
    expect(seen).toEqual([{ idle: '5', user: '8000' }]);
  });

  it('calls a connection whose peer stopped answering lost, and comes back when it answers again', async () => {
    const { store, proxy } = await setup();
    let connects = 0;
    const kept = await keep({
      url: proxy.via(store.url!),
      applicationName: 'heartbeat-test',
      retryMs: 50,
      heartbeatMs: 100,
      heartbeatTimeoutMs: 300,
      onConnect: async () => {
        connects++;
      },
    });
    expect(kept.up).toBe(true);
    proxy.freeze(); // no FIN, no RST: only the unanswered heartbeat tells
    await expect.poll(() => kept.up, { timeout: 3000 }).toBe(false);
    proxy.thaw();
    await expect.poll(() => kept.up, { timeout: 3000 }).toBe(true);
    expect(connects).toBe(2);
  });

  it('gives up an attempt the server never answers after its connect timeout', async () => {
    const { store, proxy } = await setup();
    proxy.freeze(); // the TCP handshake completes, nothing else ever comes back
    await expect(
      keepConnected({
        url: proxy.via(store.url!),
        applicationName: 'timeout-test',
        connectTimeoutMs: 300,
      }),
    ).rejects.toThrow(/timeout/i);
    proxy.thaw();
  });

  it('without a heartbeat, such a connection looks up however long the peer is gone', async () => {
    const { store, proxy } = await setup();
    const kept = await keep({ url: proxy.via(store.url!), applicationName: 'no-heartbeat-test' });
    proxy.freeze();
    await new Promise((r) => setTimeout(r, 800));
    expect(kept.up).toBe(true);
    proxy.thaw();
  });
});
