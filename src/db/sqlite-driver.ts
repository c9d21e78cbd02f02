import { closeSync, existsSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * Kysely's SQLite dialect over better-sqlite3, with one change: a commit's fsync does not stop
 * the event loop (ADR 0002, addendum).
 *
 * better-sqlite3 is synchronous. With `synchronous = FULL` every commit fsynced the WAL on the
 * main thread, and no request was read or answered meanwhile (up to a fifth of the main thread
 * under ingest load). Here SQLite runs with `synchronous = NORMAL`, which writes the commit to the WAL
 * without syncing it, and the driver then fsyncs the WAL file on libuv's thread pool before the
 * statement's promise resolves. `FULL` is exactly `NORMAL` plus that fsync at each commit, so
 * what a caller sees is unchanged: when `commit` (or a write outside a transaction) returns, the
 * write is on disk. The connection stays held until then, so no other statement of this process
 * reads a commit that is not yet durable. Checkpoints still sync the WAL before copying it, as in
 * both modes.
 *
 * Otherwise this is Kysely's own SQLite driver: one connection behind a mutex, transactions as
 * `begin`/`commit`/`rollback` statements, and prepared statements reused per SQL text.
 */
class SqliteConnection implements DatabaseConnection {
  private readonly cache = new Map<string, SqliteDatabase.Statement>();
  private walFd: number | undefined;

  constructor(
    private readonly db: SqliteDatabase.Database,
    private readonly walPath: string | undefined,
    private readonly cacheSize: number,
    private readonly fsyncFile: (fd: number) => Promise<void>,
  ) {}

  /**
   * Statements are reused per SQL text, bounded, oldest dropped first: Kysely's driver prepares
   * every query afresh, and preparing was about an eighth of the ingest path's CPU. Reuse is safe:
   * one statement runs at a time on this connection and none is left iterating.
   */
  private prepare(sql: string): SqliteDatabase.Statement {
    let stmt = this.cache.get(sql);
    if (stmt) {
      this.cache.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql } = compiledQuery;
    const stmt = this.prepare(sql);
    const parameters = compiledQuery.parameters as unknown[];
    let result: QueryResult<R>;
    if (stmt.reader) {
      // Readers include `… returning`, which write.
      result = { rows: stmt.all(parameters) as R[] };
    } else {
      const { changes, lastInsertRowid } = stmt.run(parameters);
      result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    }
    // A commit, or a write outside a transaction, is durable once the WAL is synced. Statements
    // inside a transaction, reads and rollbacks have nothing to make durable yet.
    // (`readonly` is true for transaction control statements, hence the test for `commit`.)
    const durable = !this.db.inTransaction && (sql === 'commit' || !stmt.readonly);
    if (!durable || this.walPath === undefined) return Promise.resolve(result);
    return this.syncWal().then(() => result);
  }

  private syncWal(): Promise<void> {
    // The WAL exists from the first write in WAL mode and keeps its inode while this connection
    // is open (a checkpoint restarts or truncates it in place); its directory entry is synced
    // once, when it is first opened here.
    if (this.walFd === undefined) {
      this.walFd = openSync(this.walPath!, 'r');
      const dir = openSync(dirname(this.walPath!), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.fsyncFile(this.walFd);
  }

  /** Whether a transaction is open on this connection now (SQLite may have ended it itself). */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('The SQLite store does not stream queries');
  }

  close(): void {
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
    this.db.close();
  }
}

/** Kysely's single-connection mutex, as in its SQLite driver. */
class ConnectionMutex {
  private promise: Promise<void> | undefined;
  private resolve: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.promise) await this.promise;
    this.promise = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.resolve;
    this.promise = undefined;
    this.resolve = undefined;
    resolve?.();
  }
}

class SqliteDriver implements Driver {
  private readonly mutex = new ConnectionMutex();
  private connection: SqliteConnection | undefined;

  constructor(private readonly config: TocsinSqliteConfig) {}

  async init(): Promise<void> {
    const { database, path, cacheSize = 500, fsync = fsyncOnPool } = this.config;
    // Only a file in WAL mode has a WAL to sync; in memory there is nothing to make durable, and
    // a file SQLite could not put in WAL mode runs with `synchronous = FULL` (see openSqlite).
    const wal = database.pragma('journal_mode', { simple: true }) === 'wal';
    this.connection = new SqliteConnection(
      database,
      wal ? `${path}-wal` : undefined,
      cacheSize,
      fsync,
    );
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // On some errors (SQLITE_FULL: disk full; SQLITE_IOERR, SQLITE_NOMEM, SQLITE_BUSY) SQLite has
    // already rolled the whole transaction back. Rolling back again would throw "cannot rollback -
    // no transaction is active", and Kysely would throw that in place of the error that caused it
    // ("database or disk is full"): every failed request would be logged as the wrong thing.
    if (connection instanceof SqliteConnection && !connection.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.connection?.close();
    this.connection = undefined;
  }
}

export interface TocsinSqliteConfig {
  /** Opened in WAL mode with `synchronous = NORMAL` (see `openSqlite`). */
  database: SqliteDatabase.Database;
  /** The file it was opened from, or ':memory:' (nothing to sync). */
  path: string;
  /** Prepared statements kept per connection. */
  cacheSize?: number;
  /** Syncs a file descriptor to disk; `fs.fsync` on the thread pool unless a test swaps it. */
  fsync?: (fd: number) => Promise<void>;
}

const fsyncOnPool = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));

/**
 * Opens the SQLite file: WAL mode; `synchronous = NORMAL`, which with the driver's fsync of the
 * WAL at each commit is `FULL`; foreign keys on; a writer waits up to 5 s for another process's.
 */
export function openSqlite(path: string): SqliteDatabase.Database {
  // A new database file is readable by its owner only (it holds hashes and encrypted secrets,
  // like secret.key beside it); SQLite gives its -wal and -shm files the same mode.
  if (path !== ':memory:' && !path.startsWith('file:') && !existsSync(path))
    closeSync(openSync(path, 'a', 0o600));
  const db = new SqliteDatabase(path);
  // A file system without shared memory (some network mounts) refuses WAL: SQLite stays in its
  // rollback journal, and then `FULL` syncs each commit itself (on the event loop, as before).
  const wal = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  db.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** The SQLite dialect Tocsin uses: Kysely's, with the commit fsync off the event loop. */
export class TocsinSqliteDialect implements Dialect {
  constructor(private readonly config: TocsinSqliteConfig) {}

  createDriver(): Driver {
    return new SqliteDriver(this.config);
  }

  createQueryCompiler(): SqliteQueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): SqliteAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}
