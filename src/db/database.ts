import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { openSqlite, TocsinSqliteDialect } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';

/** The database handle or an open transaction: store functions take either as first argument. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** An open store: the Kysely handle, which dialect it speaks, and how to close it. */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where it lives, for logs (a file path or a URL without its password). */
  location: string;
  /** Postgres only: the connection string, for the LISTEN connection. */
  url?: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` selects Postgres; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string | undefined;
  /** SQLite file path, or ':memory:'. */
  sqlitePath?: string;
  /** Postgres pool size. */
  poolSize?: number;
}

// BIGINT (int8) and NUMERIC come back from pg as strings by default; our bigints are millisecond
// timestamps and counts, well inside Number's safe range, so read them as numbers on both stores.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Opens the store. SQLite runs in WAL mode and a commit is fsynced before it returns (off the
 * event loop, see `sqlite-driver.ts`), so an acknowledged write survives a process crash and a
 * power loss (docs/adr/0002-sqlite-durability.md). Postgres uses a pool; its durability is the
 * server's.
 */
export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      location: redactUrl(options.databaseUrl),
      url: options.databaseUrl,
      close: () => db.destroy(),
    };
  }
  const path = options.sqlitePath ?? ':memory:';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Kysely<Database>({
    dialect: new TocsinSqliteDialect({ database: openSqlite(path), path }),
  });
  return { db, dialect: 'sqlite', location: path, close: () => db.destroy() };
}

/** The URL with its password replaced, fit for a log line. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

/** Runs `fn` in one transaction: all of it commits or none of it does. */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(fn);
}

/** 0/1 column → boolean. */
export function toBool(v: number | boolean | null | undefined): boolean {
  return v === true || v === 1;
}

/** JSON text column → value (null stays null). */
export function parseJson<T = unknown>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** True for a write refused by a unique index or key, on either store. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
