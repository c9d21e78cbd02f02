import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStore, openSecondHandle, openTestStore } from '../../test/harness.js';
import type { Store } from './database.js';
import { createWakeup, type Wakeup } from './wakeup.js';

describeEachStore('wake-up channel', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind, { migrate: false });
  });
  afterEach(async () => {
    await store.close();
  });

  it('wakes subscribers in this process at once', async () => {
    const wakeup = await createWakeup(store);
    let woken = 0;
    const unsubscribe = wakeup.subscribe(() => woken++);
    wakeup.notify();
    expect(woken).toBe(1);
    unsubscribe();
    wakeup.notify();
    expect(woken).toBe(1);
    await wakeup.close();
  });

  /** Two nodes on this store, each with its wake-up channel; `there` counts its wake-ups. */
  async function twoNodes(
    fn: (here: Wakeup, woken: () => number, reset: () => void) => Promise<void>,
  ) {
    const other = openSecondHandle(store);
    const here = await createWakeup(store);
    const there = await createWakeup(other);
    let woken = 0;
    there.subscribe(() => woken++);
    try {
      await fn(
        here,
        () => woken,
        () => (woken = 0),
      );
    } finally {
      await here.close();
      await there.close();
      await other.close();
    }
  }

  if (kind === 'postgres')
    it('wakes another node through LISTEN/NOTIFY', async () => {
      await twoNodes(async (here, woken) => {
        here.notify();
        await expect.poll(woken, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
      });
    });

  if (kind === 'postgres')
    it('listens again after the server kills its session, and wakes once for what it missed', async () => {
      await twoNodes(async (here, woken, reset) => {
        // Both listeners are this database's; kill them, as a server restart would.
        const killed = await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = 'tocsin-wakeup'`.execute(
          store.db,
        );
        expect(killed.rows.length).toBe(2);
        await expect.poll(woken, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
        reset();
        // LISTEN again: a NOTIFY from the other node reaches it.
        await expect
          .poll(() => (here.notify(), woken()), { timeout: 5000 })
          .toBeGreaterThanOrEqual(1);
      });
    });
});
