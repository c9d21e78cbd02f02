import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, TocsinSqliteDialect } from './sqlite-driver.js';

interface Db {
  t: { id: number; v: string };
}

/** A controllable fsync: records each call and completes only when the test says so. */
function heldFsync() {
  const calls: Array<{ fd: number; done: () => void }> = [];
  const state = { auto: false };
  return {
    calls,
    state,
    fsync: (fd: number) =>
      new Promise<void>((resolve) => {
        if (state.auto) resolve();
        else calls.push({ fd, done: resolve });
      }),
    releaseAll() {
      for (const c of calls.splice(0)) c.done();
    },
  };
}

/** Whether `p` has settled after the current turn of the event loop. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('SQLite driver: commits are fsynced off the event loop', () => {
  let dir: string;
  let db: Kysely<Db>;
  let sync: ReturnType<typeof heldFsync>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-sqlite-driver-'));
    const path = join(dir, 'x.db');
    sync = heldFsync();
    db = new Kysely<Db>({
      dialect: new TocsinSqliteDialect({ database: openSqlite(path), path, fsync: sync.fsync }),
    });
    sync.state.auto = true;
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    sync.state.auto = false;
  });

  afterEach(async () => {
    sync.state.auto = true;
    sync.releaseAll();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a commit resolves only after the WAL is synced, and holds the connection until then', async () => {
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto('t').values({ id: 1, v: 'a' }).execute();
      await t.insertInto('t').values({ id: 2, v: 'b' }).execute();
      // Statements inside the transaction sync nothing.
      expect(sync.calls).toHaveLength(0);
    });
    await new Promise((r) => setImmediate(r));
    expect(sync.calls).toHaveLength(1);
    expect(statSync(join(dir, 'x.db-wal')).size).toBeGreaterThan(0);
    expect(await settled(trx)).toBe(false);
    // Another statement waits for the connection, so nothing reads the commit before it is durable.
    const read = db.selectFrom('t').selectAll().execute();
    expect(await settled(read)).toBe(false);
    sync.releaseAll();
    await trx;
    expect(await read).toHaveLength(2);
  });

  it('a write outside a transaction, `returning` included, is synced; reads and rollbacks are not', async () => {
    const insert = db.insertInto('t').values({ id: 3, v: 'c' }).execute();
    expect(await settled(insert)).toBe(false);
    expect(sync.calls).toHaveLength(1);
    sync.releaseAll();
    await insert;

    const update = db.updateTable('t').set({ v: 'd' }).where('id', '=', 3).returning('v').execute();
    expect(await settled(update)).toBe(false);
    expect(sync.calls).toHaveLength(1);
    sync.releaseAll();
    expect(await update).toEqual([{ v: 'd' }]);

    expect(await db.selectFrom('t').select('v').execute()).toEqual([{ v: 'd' }]);
    await expect(
      db.transaction().execute(async (t) => {
        await t.insertInto('t').values({ id: 4, v: 'e' }).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(sync.calls).toHaveLength(0);
    expect(await db.selectFrom('t').select('id').execute()).toEqual([{ id: 3 }]);
  });

  it('keeps better-sqlite3 errors as they are (code and message)', async () => {
    sync.state.auto = true;
    await db.insertInto('t').values({ id: 5, v: 'f' }).execute();
    sync.state.auto = false;
    const dup = db.insertInto('t').values({ id: 5, v: 'g' }).execute();
    await expect(dup).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(sync.calls).toHaveLength(0);
  });

  it('leaves a file SQLite kept in its rollback journal to SQLite (no WAL to sync)', async () => {
    const path = join(dir, 'journal.db');
    const database = new SqliteDatabase(path);
    database.pragma('journal_mode = DELETE');
    const other = new Kysely<Db>({
      dialect: new TocsinSqliteDialect({ database, path, fsync: sync.fsync }),
    });
    try {
      await sql`create table t (id integer primary key, v text not null)`.execute(other);
      await other.insertInto('t').values({ id: 1, v: 'a' }).execute();
      expect(sync.calls).toHaveLength(0);
      expect(await other.selectFrom('t').select('v').execute()).toEqual([{ v: 'a' }]);
    } finally {
      await other.destroy();
    }
  });

  it('syncs the real WAL file with the default fsync', async () => {
    const path = join(dir, 'y.db');
    const real = new Kysely<Db>({
      dialect: new TocsinSqliteDialect({ database: openSqlite(path), path }),
    });
    try {
      await sql`create table t (id integer primary key, v text not null)`.execute(real);
      await real.insertInto('t').values({ id: 1, v: 'a' }).execute();
      expect(await real.selectFrom('t').select('v').execute()).toEqual([{ v: 'a' }]);
      expect(
        (await sql<{ synchronous: number }>`pragma synchronous`.execute(real)).rows[0],
      ).toEqual({ synchronous: 1 });
    } finally {
      await real.destroy();
    }
  });
});

describe('SQLite database file', () => {
  it('is created readable by its owner only, its WAL too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-sqlite-mode-'));
    try {
      const path = join(dir, 'tocsin.db');
      const db = openSqlite(path);
      db.exec('create table t (id integer primary key)');
      db.exec('insert into t values (1)');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
