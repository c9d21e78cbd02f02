import type { Executor } from './database.js';

/*
 * Leases: one row per name (an engine module), held by one node until it expires. Acquiring is a
 * single conditional UPDATE, which is atomic on both stores, so of two nodes racing for the same
 * lease exactly one sees its row updated. A holder renews by acquiring again before expiry and
 * releases by zeroing the expiry. Times come from the caller's clock; nodes are assumed to keep
 * their clocks within a fraction of the lease TTL of each other (NTP).
 */

/** Tries to take (or renew) the lease `name` for `holder` until `now + ttlMs`. */
export async function tryAcquireLease(
  db: Executor,
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  await db
    .insertInto('engine_leases')
    .values({ module: name, holder: '', expires_at: 0 })
    .onConflict((oc) => oc.column('module').doNothing())
    .execute();
  const result = await db
    .updateTable('engine_leases')
    .set({ holder, expires_at: now + ttlMs })
    .where('module', '=', name)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease back so another node may take it at once. */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await db
    .updateTable('engine_leases')
    .set({ expires_at: 0 })
    .where('module', '=', name)
    .where('holder', '=', holder)
    .execute();
}
