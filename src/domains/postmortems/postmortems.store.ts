import { sql } from 'kysely';
import type { Executor, NewRow, RowUpdate } from '../../db/index.js';

// ---- postmortems

/** Inserts unless the incident has one already; true when this call made it. */
export async function insertPostmortem(db: Executor, row: NewRow<'postmortems'>): Promise<boolean> {
  const r = await db
    .insertInto('postmortems')
    .values(row)
    .onConflict((oc) => oc.column('incident_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function selectPostmortem(db: Executor, id: string) {
  return db.selectFrom('postmortems').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectPostmortemOfIncident(db: Executor, incidentId: string) {
  return db
    .selectFrom('postmortems')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
}

/** Updates and bumps the version; with `expectedVersion`, only if the row is still at it. */
export async function updatePostmortemRow(
  db: Executor,
  id: string,
  set: RowUpdate<'postmortems'>,
  expectedVersion?: number,
): Promise<boolean> {
  let q = db
    .updateTable('postmortems')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Postmortems of the teams (all teams when `teamIds` is undefined), newest first. */
export function selectPostmortems(
  db: Executor,
  q: { teamIds: string[] | undefined; status?: string | undefined; words: string[]; limit: number },
) {
  let query = db
    .selectFrom('postmortems')
    .innerJoin('incidents', 'incidents.id', 'postmortems.incident_id')
    .select([
      'postmortems.id as id',
      'postmortems.incident_id as incident_id',
      'postmortems.team_id as team_id',
      'postmortems.title as title',
      'postmortems.status as status',
      'postmortems.created_at as created_at',
      'postmortems.updated_at as updated_at',
      'postmortems.published_at as published_at',
      'postmortems.review_meeting_at as review_meeting_at',
      'incidents.number as incident_number',
      'incidents.severity as severity',
    ]);
  if (q.teamIds !== undefined) {
    if (q.teamIds.length === 0) return Promise.resolve([]);
    query = query.where('postmortems.team_id', 'in', q.teamIds);
  }
  if (q.status) query = query.where('postmortems.status', '=', q.status);
  for (const w of q.words) {
    // Literal words: LIKE wildcards in the search are escaped.
    const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`postmortems.search_text like ${pattern} escape '\\'`);
  }
  return query.orderBy('postmortems.created_at', 'desc').limit(q.limit).execute();
}

/** Resolved incidents of these severities since `since` that have no postmortem yet. */
export function selectIncidentsNeedingDraft(
  db: Executor,
  severities: string[],
  since: number,
  limit: number,
) {
  if (severities.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('incidents')
    .leftJoin('postmortems', 'postmortems.incident_id', 'incidents.id')
    .select(['incidents.id as id'])
    .where('incidents.status', '=', 'resolved')
    .where('incidents.severity', 'in', severities)
    .where('incidents.resolved_at', '>=', since)
    .where('postmortems.id', 'is', null)
    .orderBy('incidents.resolved_at')
    .limit(limit)
    .execute();
}

// ---- what a draft is built from (reads of the incident's rows)

export function selectIncidentServiceNames(db: Executor, incidentId: string, serviceId: string) {
  return db
    .selectFrom('services')
    .select(['id', 'name'])
    .where((eb) =>
      eb.or([
        eb('id', '=', serviceId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('incident_services')
            .select('service_id')
            .where('incident_id', '=', incidentId),
        ),
      ]),
    )
    .orderBy('name')
    .execute();
}

export function selectIncidentRoles(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_roles')
    .innerJoin('users', 'users.id', 'incident_roles.user_id')
    .select(['users.name as name', 'incident_roles.role as role'])
    .where('incident_roles.incident_id', '=', incidentId)
    .orderBy('incident_roles.assigned_at')
    .execute();
}

export function selectIncidentAlerts(db: Executor, incidentId: string) {
  return db
    .selectFrom('alerts')
    .select(['summary', 'severity', 'event_count', 'first_seen_at'])
    .where('incident_id', '=', incidentId)
    .orderBy('first_seen_at')
    .limit(100)
    .execute();
}

export function selectChangesBefore(db: Executor, serviceIds: string[], from: number, to: number) {
  if (serviceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('change_events')
    .select(['summary', 'occurred_at', 'source'])
    .where('service_id', 'in', serviceIds)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<=', to)
    .orderBy('occurred_at')
    .limit(50)
    .execute();
}

/** Names of active users (the blameless check's "people"). */
export async function selectPeopleNames(db: Executor): Promise<string[]> {
  return (
    await db.selectFrom('users').select('name').where('disabled', '=', 0).limit(5000).execute()
  ).map((r) => r.name);
}

export function selectUserNames(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
}

/** Active members of the team among `userIds`. */
export async function selectTeamMembers(
  db: Executor,
  teamId: string,
  userIds: string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  return (
    await db
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select('team_members.user_id as id')
      .where('team_members.team_id', '=', teamId)
      .where('team_members.user_id', 'in', userIds)
      .where('users.disabled', '=', 0)
      .execute()
  ).map((r) => r.id);
}

// ---- reviewers and comments

export async function upsertReviewers(
  db: Executor,
  postmortemId: string,
  userIds: string[],
  now: number,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('postmortem_reviewers')
    .values(
      userIds.map((u) => ({
        postmortem_id: postmortemId,
        user_id: u,
        state: 'pending',
        requested_at: now,
        decided_at: null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['postmortem_id', 'user_id']).doUpdateSet({ state: 'pending', decided_at: null }),
    )
    .execute();
}

export async function deleteReviewersExcept(
  db: Executor,
  postmortemId: string,
  keep: string[],
): Promise<void> {
  let q = db.deleteFrom('postmortem_reviewers').where('postmortem_id', '=', postmortemId);
  if (keep.length) q = q.where('user_id', 'not in', keep);
  await q.execute();
}

export function selectReviewers(db: Executor, postmortemId: string) {
  return db
    .selectFrom('postmortem_reviewers')
    .innerJoin('users', 'users.id', 'postmortem_reviewers.user_id')
    .select([
      'postmortem_reviewers.user_id as user_id',
      'users.name as name',
      'postmortem_reviewers.state as state',
      'postmortem_reviewers.requested_at as requested_at',
      'postmortem_reviewers.decided_at as decided_at',
    ])
    .where('postmortem_reviewers.postmortem_id', '=', postmortemId)
    .orderBy('postmortem_reviewers.requested_at')
    .orderBy('users.name')
    .execute();
}

export async function setReviewerState(
  db: Executor,
  postmortemId: string,
  userId: string,
  state: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('postmortem_reviewers')
    .set({ state, decided_at: now })
    .where('postmortem_id', '=', postmortemId)
    .where('user_id', '=', userId)
    .execute();
}

export async function insertComment(db: Executor, row: NewRow<'postmortem_comments'>) {
  await db.insertInto('postmortem_comments').values(row).execute();
}

export function selectComments(db: Executor, postmortemId: string) {
  return db
    .selectFrom('postmortem_comments')
    .selectAll()
    .where('postmortem_id', '=', postmortemId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}

// ---- action items

export async function insertActionItem(db: Executor, row: NewRow<'action_items'>): Promise<void> {
  await db.insertInto('action_items').values(row).execute();
}

export function selectActionItem(db: Executor, id: string) {
  return db.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateActionItemRow(
  db: Executor,
  id: string,
  set: RowUpdate<'action_items'>,
): Promise<void> {
  await db.updateTable('action_items').set(set).where('id', '=', id).execute();
}

export function selectActionItemsOf(db: Executor, postmortemId: string) {
  return db
    .selectFrom('action_items')
    .selectAll()
    .where('postmortem_id', '=', postmortemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function selectActionItems(
  db: Executor,
  q: {
    teamIds: string[] | undefined;
    status?: string | undefined;
    ownerId?: string | undefined;
    overdueAt?: number | undefined;
    limit: number;
  },
) {
  let query = db.selectFrom('action_items').selectAll();
  if (q.teamIds !== undefined) {
    if (q.teamIds.length === 0) return Promise.resolve([]);
    query = query.where('team_id', 'in', q.teamIds);
  }
  if (q.status) query = query.where('status', '=', q.status);
  if (q.ownerId) query = query.where('owner_id', '=', q.ownerId);
  if (q.overdueAt !== undefined)
    query = query
      .where('status', 'in', ['open', 'in_progress'])
      .where('due_at', 'is not', null)
      .where('due_at', '<', q.overdueAt);
  return query.orderBy('due_at').orderBy('created_at').limit(q.limit).execute();
}

export function selectDueActionReminders(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('action_items')
    .selectAll()
    .where('remind_at', '<=', now)
    .orderBy('remind_at')
    .limit(limit)
    .execute();
}

export function selectDueSyncs(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('action_items')
    .selectAll()
    .where('sync_at', '<=', now)
    .orderBy('sync_at')
    .limit(limit)
    .execute();
}

/** Writes an org setting only if it still holds `before`; returns whether it was written. */
export async function replaceOrgSettingValue(
  db: Executor,
  key: string,
  before: string,
  after: string,
): Promise<boolean> {
  const r = await db
    .updateTable('org_settings')
    .set({ value_json: after })
    .where('key', '=', key)
    .where('value_json', '=', before)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The earliest of the action items' timers (reminder or sync). */
export async function selectNextActionTimer(db: Executor): Promise<number | undefined> {
  const r = await db
    .selectFrom('action_items')
    .select((eb) => [eb.fn.min('remind_at').as('remind'), eb.fn.min('sync_at').as('sync')])
    .executeTakeFirst();
  const xs = [r?.remind, r?.sync].filter((x) => x !== null && x !== undefined).map(Number);
  return xs.length ? Math.min(...xs) : undefined;
}

// ---- settings (one org_settings row)

export async function selectOrgSettingValue(
  db: Executor,
  key: string,
): Promise<string | undefined> {
  return (
    await db
      .selectFrom('org_settings')
      .select('value_json')
      .where('key', '=', key)
      .executeTakeFirst()
  )?.value_json;
}

export async function upsertOrgSettingValue(
  db: Executor,
  key: string,
  value: string,
  by: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('org_settings')
    .values({ key, value_json: value, updated_by: by, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value_json: value, updated_by: by, updated_at: now }),
    )
    .execute();
}

/** Marks the item as being exported (tracker set, no key yet) unless it already is; true if claimed. */
export async function claimActionItemExport(
  db: Executor,
  id: string,
  tracker: string,
): Promise<boolean> {
  const r = await db
    .updateTable('action_items')
    .set({ tracker })
    .where('id', '=', id)
    .where('tracker', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Releases a claim whose export failed. */
export async function releaseActionItemExport(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('action_items')
    .set({ tracker: null })
    .where('id', '=', id)
    .where('external_key', 'is', null)
    .execute();
}
