import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Store } from './database.js';
import { keepConnected, type KeptConnection } from './pg-connection.js';

/**
 * A nudge between processes: "there is new work, run the engine now". In process it is an event;
 * on Postgres it is also a NOTIFY on one channel, so an API node's trigger wakes the engine node.
 * A lost nudge costs at most one tick of latency: the engine's tick is the safety net. The LISTEN
 * connection comes back by itself after a server restart.
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
  let listener: KeptConnection | undefined;
  if (store.dialect === 'postgres' && store.url) {
    listener = await keepConnected({
      url: store.url,
      applicationName: 'tocsin-wakeup',
      onConnect: async (client, reconnected) => {
        client.on('notification', (msg) => {
          if (msg.channel === channel) local.emit('wake');
        });
        await client.query(`LISTEN ${channel}`);
        // Nudges sent while the connection was down are lost: wake once in their place.
        if (reconnected) local.emit('wake');
      },
    });
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
      if (listener) await listener.close();
    },
  };
}
