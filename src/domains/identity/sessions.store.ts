import type { Executor, NewRow, Row } from '../../db/index.js';

export async function insertSession(db: Executor, row: NewRow<'sessions'>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function selectSessionByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<Row<'sessions'> | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function selectSessionById(db: Executor, id: string): Promise<Row<'sessions'> | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's sessions that are not revoked and not past absolute expiry. */
export function selectOpenSessionsOfUser(
  db: Executor,
  userId: string,
  now: number,
): Promise<Array<Row<'sessions'>>> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function touchSession(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function revokeSessionRow(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every open session of a user; returns how many. */
export async function revokeSessionsOfUser(
  db: Executor,
  userId: string,
  now: number,
): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Deletes sessions that can no longer be used (revoked or expired before `cutoff`), at most `limit`. */
export async function deleteDeadSessions(
  db: Executor,
  cutoff: number,
  limit: number,
): Promise<number> {
  const ids = await db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  const r = await db
    .deleteFrom('sessions')
    .where(
      'id',
      'in',
      ids.map((i) => i.id),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertLoginAttempt(
  db: Executor,
  row: NewRow<'login_attempts'>,
): Promise<void> {
  await db.insertInto('login_attempts').values(row).execute();
}

/** Marks attempts (taken as pending failures before a password check) as succeeded. */
export async function markLoginAttemptsSucceeded(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('login_attempts').set({ succeeded: 1 }).where('id', 'in', ids).execute();
}

/** Removes attempts taken and then refused, so refusals do not extend a lockout. */
export async function deleteLoginAttempts(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('login_attempts').where('id', 'in', ids).execute();
}

/** Failed attempts for `subject` since `since`. */
export async function countFailedLogins(
  db: Executor,
  subject: string,
  since: number,
): Promise<number> {
  const r = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject', '=', subject)
    .where('at', '>=', since)
    .where('succeeded', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every attempt (failed or not) recorded for `subject` since `since`. */
export async function countAttempts(db: Executor, subject: string, since: number): Promise<number> {
  const r = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject', '=', subject)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteLoginAttemptsBefore(
  db: Executor,
  cutoff: number,
  limit: number,
): Promise<number> {
  const ids = await db
    .selectFrom('login_attempts')
    .select('id')
    .where('at', '<', cutoff)
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  const r = await db
    .deleteFrom('login_attempts')
    .where(
      'id',
      'in',
      ids.map((i) => i.id),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
