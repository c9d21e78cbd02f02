import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { inTransaction, migrateToLatest, openStore, type Store } from '../../src/db/index.js';

// A full disk on SQLite: SQLITE_FULL makes SQLite roll the transaction back itself, so Kysely's
// rollback after the error found no transaction and threw "cannot rollback - no transaction is
// active" in place of "database or disk is full": the log named the wrong problem. The disk is
// made "full" with `max_page_count`, which fails writes with the same SQLITE_FULL.

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-full-'));
  store = openStore({ sqlitePath: join(dir, 'tocsin.db') });
  await migrateToLatest(store);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a transaction failing on a full disk throws "database or disk is full", and the store carries on', async () => {
  const pages = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
  const limit = pages.rows[0]!.page_count + 2;
  await sql.raw(`pragma max_page_count = ${limit}`).execute(store.db);
  const big = 'x'.repeat(4000);
  const err = await inTransaction(store.db, async (trx) => {
    for (let i = 0; i < 50; i++)
      await trx
        .insertInto('app_meta')
        .values({ key: `k${i}`, value: big })
        .execute();
  }).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(err?.message).toBe('database or disk is full');
  expect(err?.code).toBe('SQLITE_FULL');

  // Nothing of the failed transaction stayed, and once there is room again writes succeed.
  await sql.raw('pragma max_page_count = 1073741823').execute(store.db);
  const kept = await store.db
    .selectFrom('app_meta')
    .select('key')
    .where('key', 'like', 'k%')
    .execute();
  expect(kept).toEqual([]);
  await inTransaction(store.db, (trx) =>
    trx.insertInto('app_meta').values({ key: 'after', value: 'room' }).execute(),
  );
  const after = await store.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', 'after')
    .executeTakeFirst();
  expect(after?.value).toBe('room');
});
