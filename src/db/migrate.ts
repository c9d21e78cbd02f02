import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Store } from './database.js';
import { migrations } from './migrations/index.js';

const provider = { getMigrations: () => Promise.resolve(migrations) };

/** Where the applied migrations are logged (a pino logger, or anything with `info`). */
export interface MigrationLog {
  info(fields: Record<string, unknown>, message: string): void;
}

/**
 * Applies every pending migration; throws if one fails (the store is left at the last good one).
 * Each applied migration is logged at info, so an upgrade that changes the schema says so. A
 * database that has migrations this build does not know (a newer Tocsin ran on it: a rollback
 * of the binary without the database) is refused before anything runs, in one line
 * (`SCHEMA_TOO_NEW`).
 */
export async function migrateToLatest(store: Store, log?: MigrationLog): Promise<string[]> {
  await refuseNewerSchema(store);
  const migrator = new Migrator({ db: store.db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const applied = (result.results ?? [])
    .filter((r) => r.status === 'Success')
    .map((r) => r.migrationName);
  for (const name of applied) log?.info({ migration: name }, `applied migration ${name}`);
  if (result.error)
    throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return applied;
}

/**
 * Names of migrations not yet applied (empty when the store is current). `/readyz` asks this: a
 * store that does not answer within `timeoutMs` (a hung Postgres accepts connections and queries
 * and answers nothing, and no server-side timeout fires in a stopped server) throws, so the probe
 * answers 503 in seconds instead of hanging with the store.
 */
export async function pendingMigrations(store: Store, timeoutMs = 5000): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the store did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    const all = await Promise.race([migrator.getMigrations(), timeout]);
    return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
  } finally {
    clearTimeout(timer);
  }
}

/** The migrations the store records as applied (none on a new database). */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const exists =
    store.dialect === 'sqlite'
      ? await sql`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(
          store.db,
        )
      : await sql`select 1 where to_regclass('kysely_migration') is not null`.execute(store.db);
  if (exists.rows.length === 0) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
  return rows.rows.map((r) => r.name).sort();
}

/**
 * Throws `SCHEMA_TOO_NEW` when the store has applied migrations this build does not know. Kysely
 * would fail too, but with "corrupted migrations: previously executed migration … is missing"
 * and a stack, which reads like damage rather than "this binary is older than the database".
 */
export async function refuseNewerSchema(store: Store): Promise<void> {
  const unknown = (await appliedMigrations(store)).filter((name) => !(name in migrations));
  if (unknown.length === 0) return;
  const known = Object.keys(migrations).sort();
  throw new AppError({
    kind: 'unavailable',
    code: 'SCHEMA_TOO_NEW',
    message:
      `the database schema is newer than this Tocsin (it has ${unknown[unknown.length - 1]}, ` +
      `this build knows up to ${known[known.length - 1] ?? 'none'}): run the newer version, ` +
      'or restore a backup taken before the upgrade',
  });
}
