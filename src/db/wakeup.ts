import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import pg from 'pg';
import type { Store } from './database.js';

/**
 * A nudge between processes: "there is new work, run the engine now". In process it is an event;
 * on Postgres it is also a NOTIFY on one channel, so an API node's trigger wakes the engine node.
 * A lost nudge costs at most one tick of latency: the engine's tick is the safety net.
 */
export interface Wakeup {
  /** Wakes every subscriber here and, on Postgres, on every other node. */
  notify(): void;
  /** Calls `fn` on every wake-up; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
  close(): Promise<void>;
}

const channel = 'tocsin_engine';

/** Builds the wake-up channel for a store (LISTEN/NOTIFY on Postgres, in-process on SQLite). */
export async function createWakeup(store: Store): Promise<Wakeup> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  let listener: pg.Client | undefined;
  if (store.dialect === 'postgres' && store.url) {
    listener = new pg.Client({ connectionString: store.url });
    listener.on('error', () => undefined);
    await listener.connect();
    listener.on('notification', (msg) => {
      if (msg.channel === channel) local.emit('wake');
    });
    await listener.query(`LISTEN ${channel}`);
  }
  const pool = store.dialect === 'postgres' ? store : undefined;
  return {
    notify() {
      local.emit('wake');
      if (pool) {
        // Fire and forget: the tick covers a NOTIFY that fails.
        sql`select pg_notify(${channel}, '')`.execute(pool.db).catch(() => undefined);
      }
    },
    subscribe(fn) {
      local.on('wake', fn);
      return () => local.off('wake', fn);
    },
    async close() {
      local.removeAllListeners();
      if (listener) await listener.end().catch(() => undefined);
    },
  };
}
