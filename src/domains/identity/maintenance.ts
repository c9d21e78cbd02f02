import type { Executor } from '../../db/index.js';
import { deleteDeadSessions, deleteLoginAttemptsBefore } from './sessions.store.js';

/**
 * Deletes sessions that can no longer be used and login attempts older than the rate-limit
 * window, at most `batch` of each per call (the cleanup engine module calls it every cycle).
 * Returns how many rows went.
 */
export async function purgeExpiredAuthRows(
  db: Executor,
  now: number,
  keepLoginAttemptsMs: number,
  batch: number,
): Promise<number> {
  const sessions = await deleteDeadSessions(db, now, batch);
  const attempts = await deleteLoginAttemptsBefore(db, now - keepLoginAttemptsMs, batch);
  return sessions + attempts;
}

/** Sessions that {@link purgeExpiredAuthRows} would delete now. */
export async function countDeadSessions(db: Executor, now: number): Promise<number> {
  const r = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('revoked_at', '<', now)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
