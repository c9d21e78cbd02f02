import pg from 'pg';
import type { Store } from './database.js';

/** The advisory lock key of first-start initialisation (any fixed number unique to it). */
const firstStartLockKey = 7_316_101;

/**
 * Runs `fn` (first-start initialisation: "no users yet? then create the organisation") while
 * holding a Postgres advisory lock, so that two nodes started together on an empty database take
 * turns: the second waits, then finds the first one's organisation and creates nothing (before,
 * both saw no users and the loser died on `users_email_key`). The lock lives on a connection of
 * its own, outside the pool, so `fn` can use every pooled connection; closing that connection
 * releases it whatever happens. SQLite has one server per file (the data-dir lock): `fn` runs as
 * it is.
 */
export async function withFirstStartLock<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres' || !store.url) return fn();
  const client = new pg.Client({ connectionString: store.url, application_name: 'tocsin-init' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [firstStartLockKey]);
    return await fn();
  } finally {
    await client.end().catch(() => undefined);
  }
}
