import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startFreezableProxy } from '../../test/doubles/freezable-proxy.js';
import { describeEachStore, openSecondHandle, openTestStore } from '../../test/harness.js';
import type { Store } from './database.js';
import { openPgPresence, type PgPresence } from './presence.js';

/** Kills, from the server side, the sessions of this database whose application_name is `name`. */
async function terminate(store: Store, name: string): Promise<number> {
  const r = await sql<{ pid: number }>`
    select pg_terminate_backend(pid) as pid from pg_stat_activity
    where datname = current_database() and application_name = ${name}`.execute(store.db);
  return r.rows.length;
}

const tokenOf = (holder: string) => holder.slice(holder.lastIndexOf(':') + 1);

describeEachStore('presence (which lease holders are gone)', (kind) => {
  if (kind !== 'postgres') {
    it('is for Postgres only (SQLite uses the local process table)', async () => {
      const store = await openTestStore(kind, { migrate: false });
      await expect(openPgPresence(store)).rejects.toThrow(/Postgres/);
      await store.close();
    });
    return;
  }
  let store: Store;
  let other: Store;
  const opened: PgPresence[] = [];
  const open = async (s: Store, options: Parameters<typeof openPgPresence>[1] = {}) => {
    const p = await openPgPresence(s, { confirmMs: 150, retryMs: 50, ...options });
    opened.push(p);
    return p;
  };
  beforeEach(async () => {
    store = await openTestStore(kind, { migrate: false });
    other = openSecondHandle(store);
  });
  afterEach(async () => {
    for (const p of opened.splice(0)) await p.close();
    await other.close();
    await store.close();
  });

  it('judges a holder gone once its process has no session, never one that keeps no presence', async () => {
    const a = await open(store);
    const b = await open(other);
    expect(a.holder).toMatch(/:\d+:pg\.[\w-]{12}$/);
    expect(a.holder).not.toBe(b.holder);
    const neverConnected = 'elsewhere:42:pg.AAAAAAAAAAAA';
    const olderVersion = 'elsewhere:43:abcdefgh'; // a node without presence: only its TTL frees it
    expect(await b.gone([a.holder, neverConnected, olderVersion, b.holder])).toEqual(
      new Set([neverConnected]),
    );
    await a.close(); // the process dies: the server drops its session
    expect(await b.gone([a.holder, olderVersion])).toEqual(new Set([a.holder]));
    expect(b.selfAlive()).toBe(true);
  });

  it('judges nobody when its pooled connections cannot see its own session (as behind a transaction pooler)', async () => {
    const elsewhere = await openTestStore(kind, { migrate: false });
    try {
      // Presence session in this database, looks taken through another one's pool.
      const blind = await open({ ...elsewhere, url: store.url! });
      const neverConnected = 'elsewhere:42:pg.AAAAAAAAAAAA';
      expect(blind.selfAlive()).toBe(true);
      expect(await blind.gone([neverConnected])).toEqual(new Set());
      expect(await (await open(store)).gone([neverConnected])).toEqual(new Set([neverConnected]));
    } finally {
      for (const p of opened.splice(0)) await p.close();
      await elsewhere.close();
    }
  });

  it('keeps its name when the database URL names the application', async () => {
    const url = new URL(store.url!);
    url.searchParams.set('application_name', 'my-tocsin');
    const named = await open({ ...store, url: url.toString() });
    const c = await open(other);
    await c.close();
    expect(await named.gone([c.holder])).toEqual(new Set([c.holder]));
  });

  it('keeps a live node whose session was killed and came straight back', async () => {
    const a = await open(store);
    const b = await open(other, { confirmMs: 1000 });
    expect(await terminate(store, `tocsin-engine ${tokenOf(a.holder)}`)).toBe(1);
    // It reconnects within the confirmation wait, so the second look finds it.
    expect(await b.gone([a.holder])).toEqual(new Set());
    await expect.poll(() => a.selfAlive(), { timeout: 5000 }).toBe(true);
  });

  it('says so while its own session is down, and judges nobody then', async () => {
    const slow = await open(store, { retryMs: 1500 });
    const b = await open(other);
    const c = await open(other);
    await c.close();
    expect(await terminate(store, `tocsin-engine ${tokenOf(slow.holder)}`)).toBe(1);
    await expect.poll(() => slow.selfAlive(), { timeout: 5000 }).toBe(false);
    // Down longer than the confirmation wait: the others may judge it gone (it takes no leases).
    expect(await b.gone([slow.holder])).toEqual(new Set([slow.holder]));
    // And it judges nobody while it cannot see itself.
    expect(await slow.gone([c.holder])).toEqual(new Set());
    await expect.poll(() => slow.selfAlive(), { timeout: 5000 }).toBe(true);
    expect(await slow.gone([c.holder])).toEqual(new Set([c.holder]));
  });

  it('stops itself when its network goes away without a word, before the server drops it', async () => {
    const u = new URL(store.url!);
    const proxy = await startFreezableProxy({ host: u.hostname, port: Number(u.port) });
    try {
      // Default heartbeat timings: the node must stop before the server drops its session (~8 s)
      // and the others may judge it gone.
      const cut = await openPgPresence({ ...store, url: proxy.via(store.url!) }, { retryMs: 50 });
      opened.push(cut);
      expect(cut.selfAlive()).toBe(true);
      const frozenAt = Date.now();
      proxy.freeze();
      // About 4 s on an idle machine (a 1 s heartbeat, 3 s without an answer); what must hold is
      // that it is well before the server's 8 s, also on a loaded CI machine.
      await expect.poll(() => cut.selfAlive(), { timeout: 7500, interval: 100 }).toBe(false);
      expect(Date.now() - frozenAt).toBeLessThan(7000);
      proxy.thaw();
      await expect.poll(() => cut.selfAlive(), { timeout: 5000 }).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
