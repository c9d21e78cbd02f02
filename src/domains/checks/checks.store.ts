import type { Executor, NewRow, Row, RowUpdate } from '../../db/index.js';

// SQL for the checks domain only. Every function takes the db or a transaction first.

export type CheckRow = Row<'checks'>;

// ---- checks

/** Inserts a check. */
export async function insertCheck(db: Executor, row: NewRow<'checks'>): Promise<void> {
  await db.insertInto('checks').values(row).execute();
}

/** One check by id. */
export function selectCheck(db: Executor, id: string): Promise<CheckRow | undefined> {
  return db.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Checks by id (the recorder's batch). */
export function selectChecksByIds(db: Executor, ids: string[]): Promise<CheckRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('checks').selectAll().where('id', 'in', ids).execute();
}

/** The check a heartbeat token belongs to. */
export function selectCheckByTokenHash(db: Executor, hash: string): Promise<CheckRow | undefined> {
  return db.selectFrom('checks').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** Checks of some teams (or all), optionally narrowed, by name. */
export function selectChecks(
  db: Executor,
  filter: { teamIds: string[] | 'all'; serviceId?: string; kind?: string; state?: string },
): Promise<CheckRow[]> {
  if (filter.teamIds !== 'all' && filter.teamIds.length === 0) return Promise.resolve([]);
  let q = db.selectFrom('checks').selectAll();
  if (filter.teamIds !== 'all') q = q.where('team_id', 'in', filter.teamIds);
  if (filter.serviceId) q = q.where('service_id', '=', filter.serviceId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.state) q = q.where('state', '=', filter.state);
  return q.orderBy('name').orderBy('id').execute();
}

/**
 * Updates a check; with `expectVersion`, only if nobody wrote it since it was read (another
 * node's recorder, an edit), and bumps the version. Returns whether the row was written.
 */
export async function updateCheckRow(
  db: Executor,
  id: string,
  set: RowUpdate<'checks'>,
  expectVersion?: number,
): Promise<boolean> {
  let q = db
    .updateTable('checks')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (expectVersion !== undefined) q = q.where('version', '=', expectVersion);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes a check (results, rollups and periods go with it). */
export async function deleteCheckRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('checks').where('id', '=', id).execute();
}

/** Probe checks due by `until`, earliest first. Paused checks have no `next_run_at`. */
export function selectDueProbes(db: Executor, until: number, limit: number): Promise<CheckRow[]> {
  return db
    .selectFrom('checks')
    .selectAll()
    .where('next_run_at', '<=', until)
    .where('kind', '<>', 'heartbeat')
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
}

/** Heartbeats whose deadline passed. */
export function selectDueHeartbeats(db: Executor, now: number, limit: number): Promise<CheckRow[]> {
  return db
    .selectFrom('checks')
    .selectAll()
    .where('next_run_at', '<=', now)
    .where('kind', '=', 'heartbeat')
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
}

/**
 * Claims one run: moves `next_run_at` from the slot being run to the next one, only if it is
 * still that slot, so two passes (or nodes) cannot both claim it.
 */
export async function claimRun(
  db: Executor,
  id: string,
  slot: number,
  next: number,
): Promise<boolean> {
  const r = await db
    .updateTable('checks')
    .set({ next_run_at: next })
    .where('id', '=', id)
    .where('next_run_at', '=', slot)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The earliest `next_run_at` of any probe check, or of any heartbeat. */
export async function selectEarliestRun(
  db: Executor,
  heartbeats: boolean,
): Promise<number | undefined> {
  const r = await db
    .selectFrom('checks')
    .select((eb) => eb.fn.min('next_run_at').as('at'))
    .where('next_run_at', 'is not', null)
    .where('kind', heartbeats ? '=' : '<>', 'heartbeat')
    .executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

/** How many checks are due now. */
export async function countDueChecks(db: Executor, now: number): Promise<number> {
  const r = await db
    .selectFrom('checks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('next_run_at', '<=', now)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ---- results

/** Inserts results, in chunks (SQLite's bound-parameter limit). */
export async function insertResults(db: Executor, rows: NewRow<'check_results'>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('check_results')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** A check's results, newest first. */
export function selectResults(
  db: Executor,
  checkId: string,
  q: { from?: number; to?: number; before?: number; limit: number; failed?: boolean },
): Promise<Row<'check_results'>[]> {
  let s = db.selectFrom('check_results').selectAll().where('check_id', '=', checkId);
  if (q.from !== undefined) s = s.where('at', '>=', q.from);
  if (q.to !== undefined) s = s.where('at', '<', q.to);
  if (q.before !== undefined) s = s.where('at', '<', q.before);
  if (q.failed) s = s.where('ok', '=', 0);
  return s.orderBy('at', 'desc').limit(q.limit).execute();
}

/** Latency points of one check in [from, to). */
export function selectResultPoints(db: Executor, checkId: string, from: number, to: number) {
  return db
    .selectFrom('check_results')
    .select(['at', 'ok', 'latency_us'])
    .where('check_id', '=', checkId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at')
    .execute();
}

/** Every check's results in [from, to) (the minute rollup). */
export function selectResultsBetween(db: Executor, from: number, to: number) {
  return db
    .selectFrom('check_results')
    .select(['check_id', 'at', 'ok', 'latency_us'])
    .where('at', '>=', from)
    .where('at', '<', to)
    .execute();
}

/** The oldest result's time (at or after `since`). */
export async function selectOldestResultAt(
  db: Executor,
  since?: number,
): Promise<number | undefined> {
  let q = db.selectFrom('check_results').select((eb) => eb.fn.min('at').as('at'));
  if (since !== undefined) q = q.where('at', '>=', since);
  const r = await q.executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

/** Deletes results in [from, to): callers keep the span small so one pass stays bounded. */
export async function deleteResultsBetween(
  db: Executor,
  from: number,
  to: number,
): Promise<number> {
  const r = await db
    .deleteFrom('check_results')
    .where('at', '>=', from)
    .where('at', '<', to)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- rollups

/** Writes rollups, replacing any of the same (check, resolution, bucket). */
export async function upsertRollups(db: Executor, rows: NewRow<'check_rollups'>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 300) {
    await db
      .insertInto('check_rollups')
      .values(rows.slice(i, i + 300))
      .onConflict((oc) =>
        oc.columns(['check_id', 'resolution_ms', 'bucket_at']).doUpdateSet((eb) => ({
          count: eb.ref('excluded.count'),
          failures: eb.ref('excluded.failures'),
          latency_count: eb.ref('excluded.latency_count'),
          latency_sum_us: eb.ref('excluded.latency_sum_us'),
          latency_min_us: eb.ref('excluded.latency_min_us'),
          latency_max_us: eb.ref('excluded.latency_max_us'),
          histogram_json: eb.ref('excluded.histogram_json'),
        })),
      )
      .execute();
  }
}

/** Rollups of every check at one resolution in [from, to) (the hour rollup). */
export function selectRollupsBetween(db: Executor, resolutionMs: number, from: number, to: number) {
  return db
    .selectFrom('check_rollups')
    .selectAll()
    .where('resolution_ms', '=', resolutionMs)
    .where('bucket_at', '>=', from)
    .where('bucket_at', '<', to)
    .execute();
}

/** One check's rollups at one resolution in [from, to). */
export function selectRollupsOfCheck(
  db: Executor,
  checkId: string,
  resolutionMs: number,
  from: number,
  to: number,
) {
  return db
    .selectFrom('check_rollups')
    .selectAll()
    .where('check_id', '=', checkId)
    .where('resolution_ms', '=', resolutionMs)
    .where('bucket_at', '>=', from)
    .where('bucket_at', '<', to)
    .orderBy('bucket_at')
    .execute();
}

/** The oldest rollup bucket at one resolution (at or after `since`). */
export async function selectOldestRollupAt(
  db: Executor,
  resolutionMs: number,
  since?: number,
): Promise<number | undefined> {
  let q = db
    .selectFrom('check_rollups')
    .select((eb) => eb.fn.min('bucket_at').as('at'))
    .where('resolution_ms', '=', resolutionMs);
  if (since !== undefined) q = q.where('bucket_at', '>=', since);
  const r = await q.executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

/** Deletes rollups of one resolution in [from, to). */
export async function deleteRollupsBetween(
  db: Executor,
  resolutionMs: number,
  from: number,
  to: number,
): Promise<number> {
  const r = await db
    .deleteFrom('check_rollups')
    .where('resolution_ms', '=', resolutionMs)
    .where('bucket_at', '>=', from)
    .where('bucket_at', '<', to)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** How far a resolution has been rolled up (exclusive), if it ever was. */
export async function selectRollupMark(
  db: Executor,
  resolutionMs: number,
): Promise<number | undefined> {
  const r = await db
    .selectFrom('check_rollup_marks')
    .select('done_until')
    .where('resolution_ms', '=', resolutionMs)
    .executeTakeFirst();
  return r ? Number(r.done_until) : undefined;
}

/** Moves a resolution's watermark. */
export async function setRollupMark(
  db: Executor,
  resolutionMs: number,
  doneUntil: number,
): Promise<void> {
  await db
    .insertInto('check_rollup_marks')
    .values({ resolution_ms: resolutionMs, done_until: doneUntil })
    .onConflict((oc) => oc.column('resolution_ms').doUpdateSet({ done_until: doneUntil }))
    .execute();
}

// ---- periods (outages and pauses)

/** Opens a period. */
export async function insertPeriod(db: Executor, row: NewRow<'check_periods'>): Promise<void> {
  await db.insertInto('check_periods').values(row).execute();
}

/** Ends a check's open period of a kind. */
export async function endOpenPeriod(
  db: Executor,
  checkId: string,
  kind: 'down' | 'paused',
  endedAt: number,
): Promise<void> {
  await db
    .updateTable('check_periods')
    .set({ ended_at: endedAt })
    .where('check_id', '=', checkId)
    .where('kind', '=', kind)
    .where('ended_at', 'is', null)
    .execute();
}

/** Periods of some checks overlapping [from, to), oldest first. */
export function selectPeriods(
  db: Executor,
  checkIds: string[],
  from: number,
  to: number,
  kind?: 'down' | 'paused',
): Promise<Row<'check_periods'>[]> {
  if (checkIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('check_periods')
    .selectAll()
    .where('check_id', 'in', checkIds)
    .where('started_at', '<', to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]));
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('started_at').execute();
}

/** Deletes periods that ended before `cutoff`. */
export async function deletePeriodsEndedBefore(db: Executor, cutoff: number): Promise<number> {
  const r = await db
    .deleteFrom('check_periods')
    .where('ended_at', 'is not', null)
    .where('ended_at', '<', cutoff)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
