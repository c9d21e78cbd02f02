import { Migrator, type MigrationResultSet } from 'kysely';
import type { Store } from './database.js';
import { migrations } from './migrations/index.js';

const provider = { getMigrations: () => Promise.resolve(migrations) };

/** Applies every pending migration; throws if one fails (the store is left at the last good one). */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error)
    throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied (empty when the store is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
