import type { Executor } from './database.js';

/*
 * Leases: one row per name (an engine module), held by one node until it expires. Acquiring is a
 * single conditional UPDATE, which is atomic on both stores, so of two nodes racing for the same
 * lease exactly one sees its row updated. A holder renews by acquiring again before expiry and
 * releases by zeroing the expiry. An engine cycle takes all its modules' leases in one statement and
 * gives them back in another. Times come from the caller's clock; nodes are assumed to keep
 * their clocks within a fraction of the lease TTL of each other (NTP).
 */

/** Makes sure a (free) lease row exists for each name, in one statement. */
export async function ensureLeases(db: Executor, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await db
    .insertInto('engine_leases')
    .values(names.map((module) => ({ module, holder: '', expires_at: 0 })))
    .onConflict((oc) => oc.column('module').doNothing())
    .execute();
}

/**
 * Tries to take (or renew) the leases `names` for `holder` until `now + ttlMs`, in one statement;
 * returns the names taken. A row missing (see ensureLeases) is never taken.
 */
export async function tryAcquireLeases(
  db: Executor,
  names: string[],
  holder: string,
  now: number,
  ttlMs: number,
): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db
    .updateTable('engine_leases')
    .set({ holder, expires_at: now + ttlMs })
    .where('module', 'in', names)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', now)]))
    .returning('module')
    .execute();
  return new Set(rows.map((r) => r.module));
}

/** Gives the leases back so another node may take them at once. */
export async function releaseLeases(db: Executor, names: string[], holder: string): Promise<void> {
  if (names.length === 0) return;
  await db
    .updateTable('engine_leases')
    .set({ expires_at: 0 })
    .where('module', 'in', names)
    .where('holder', '=', holder)
    .execute();
}

/**
 * Tells which lease holders are gone (their process died), so the leases they held need not wait
 * for their expiry: the local process table on SQLite, presence connections on Postgres.
 */
export interface HolderLiveness {
  /**
   * Whether this node can vouch for itself now. While it cannot, others may judge it gone, so
   * its engine takes no leases and runs no further module.
   */
  selfAlive(): boolean;
  /** Of `holders`, those known to be gone; a holder it cannot judge is not gone. */
  gone(holders: string[]): Promise<Set<string>>;
}

/**
 * Frees the leases among `names` still held (not expired at `now`) by a holder `liveness` says is
 * gone, each only if that holder still has it; returns the names freed.
 */
export async function releaseLeasesOfGoneHolders(
  db: Executor,
  names: string[],
  now: number,
  liveness: Pick<HolderLiveness, 'gone'>,
): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('engine_leases')
    .select(['module', 'holder'])
    .where('module', 'in', names)
    .where('expires_at', '>', now)
    .where('holder', '!=', '')
    .execute();
  if (rows.length === 0) return [];
  const gone = await liveness.gone([...new Set(rows.map((r) => r.holder))]);
  const freed: string[] = [];
  for (const row of rows) {
    if (!gone.has(row.holder)) continue;
    const r = await db
      .updateTable('engine_leases')
      .set({ expires_at: 0 })
      .where('module', '=', row.module)
      .where('holder', '=', row.holder)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) freed.push(row.module);
  }
  return freed;
}
