import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, type Driver, type Transaction } from 'kysely';
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
  /** Postgres pool size (TOCSIN_DATABASE_POOL_SIZE; default 10). */
  poolSize?: number;
  /**
   * Postgres: how long a request waits for a connection (a free one from the pool or a new one)
   * before it fails (default 10 s). A hung or unreachable server then fails requests instead of
   * holding them until the client gives up.
   */
  connectTimeoutMs?: number;
  /** Postgres: told of each connection's error (the failing query rejects with it as well). */
  onConnectionError?: (err: Error) => void;
}

/** Default Postgres pool size (TOCSIN_DATABASE_POOL_SIZE). */
export const defaultPoolSize = 10;
/** Default wait for a Postgres connection before a request fails. */
export const defaultConnectTimeoutMs = 10_000;

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
      max: options.poolSize ?? defaultPoolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
    });
    // A connection's error (the server restarted, or killed the session) must not crash the
    // process. pg-pool listens on idle clients only (`pool.on('error')`); a client checked out
    // (mid-transaction) emits 'error' with no listener, which Node turns into an uncaught
    // exception. So every client gets a listener when it is made: the query in flight rejects
    // with the error (its request answers 5xx), and the pool drops the dead client on release
    // and makes a new one for the next request once the server is back.
    const onError = options.onConnectionError ?? (() => undefined);
    pool.on('error', onError);
    pool.on('connect', (client) => client.on('error', onError));
    const db = new Kysely<Database>({ dialect: new TocsinPostgresDialect({ pool }) });
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

/**
 * Kysely's Postgres dialect, but a rollback on a connection that is gone (the server killed the
 * session, or restarted) is skipped rather than thrown: the server ended the transaction with the
 * session, and Kysely would otherwise throw pg's "Client … is not queryable" in place of the
 * error that failed the transaction ("terminating connection due to administrator command"), so
 * the log would name the wrong thing. The pool drops the dead client when it is released.
 */
class TocsinPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      try {
        await rollback(connection);
      } catch (err) {
        if (!/is not queryable|Connection terminated/.test((err as Error).message)) throw err;
      }
    };
    return driver;
  }
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
