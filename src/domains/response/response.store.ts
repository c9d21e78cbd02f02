import { sql } from 'kysely';
import { isPostgres, type Executor, type NewRow } from '../../db/index.js';

// ---- settings

export function selectOrgSetting(db: Executor, key: string) {
  return db.selectFrom('org_settings').selectAll().where('key', '=', key).executeTakeFirst();
}
export async function upsertOrgSetting(db: Executor, row: NewRow<'org_settings'>): Promise<void> {
  await db
    .insertInto('org_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        value_json: row.value_json,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

// ---- impacted services

export async function insertIncidentServices(
  db: Executor,
  incidentId: string,
  serviceIds: string[],
): Promise<void> {
  if (serviceIds.length === 0) return;
  await db
    .insertInto('incident_services')
    .values(serviceIds.map((s) => ({ incident_id: incidentId, service_id: s })))
    .onConflict((oc) => oc.columns(['incident_id', 'service_id']).doNothing())
    .execute();
}
export async function deleteIncidentServices(db: Executor, incidentId: string): Promise<void> {
  await db.deleteFrom('incident_services').where('incident_id', '=', incidentId).execute();
}
export function selectIncidentServices(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_services')
    .innerJoin('services', 'services.id', 'incident_services.service_id')
    .select(['services.id as id', 'services.name as name'])
    .where('incident_services.incident_id', '=', incidentId)
    .orderBy('services.name')
    .execute();
}

/**
 * Change events (deploys, configuration changes) in [from, to] of the given services and of the
 * services they depend on, newest first, with their service's name and team.
 */
export function selectChangesAround(
  db: Executor,
  serviceIds: string[],
  from: number,
  to: number,
  limit: number,
) {
  if (serviceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('change_events')
    .innerJoin('services', 'services.id', 'change_events.service_id')
    .select([
      'change_events.id as id',
      'change_events.service_id as service_id',
      'services.name as service_name',
      'services.team_id as team_id',
      'change_events.summary as summary',
      'change_events.source as source',
      'change_events.occurred_at as occurred_at',
      'change_events.links_json as links_json',
    ])
    .where((eb) =>
      eb.or([
        eb('change_events.service_id', 'in', serviceIds),
        eb(
          'change_events.service_id',
          'in',
          eb
            .selectFrom('service_dependencies')
            .select('depends_on_id')
            .where('service_dependencies.service_id', 'in', serviceIds),
        ),
      ]),
    )
    .where('change_events.occurred_at', '>=', from)
    .where('change_events.occurred_at', '<=', to)
    .orderBy('change_events.occurred_at', 'desc')
    .limit(limit)
    .execute();
}

/** Other incidents touching the same services in the window (related incidents). */
export function selectRelatedIncidents(
  db: Executor,
  incidentId: string,
  serviceIds: string[],
  since: number,
) {
  if (serviceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('incidents')
    .select(['id', 'number', 'title', 'status', 'severity', 'created_at'])
    .where('id', '<>', incidentId)
    .where('created_at', '>=', since)
    .where((eb) =>
      eb.or([
        eb('service_id', 'in', serviceIds),
        eb(
          'id',
          'in',
          eb
            .selectFrom('incident_services')
            .select('incident_id')
            .where('service_id', 'in', serviceIds),
        ),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(10)
    .execute();
}

// ---- roles and checklists

export async function insertRole(db: Executor, row: NewRow<'incident_roles'>): Promise<boolean> {
  const r = await db
    .insertInto('incident_roles')
    .values(row)
    .onConflict((oc) => oc.columns(['incident_id', 'role', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
export async function deleteRoles(
  db: Executor,
  incidentId: string,
  role: string,
  userId?: string,
): Promise<number> {
  let q = db
    .deleteFrom('incident_roles')
    .where('incident_id', '=', incidentId)
    .where('role', '=', role);
  if (userId) q = q.where('user_id', '=', userId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
export function selectRoles(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_roles')
    .innerJoin('users', 'users.id', 'incident_roles.user_id')
    .select([
      'incident_roles.role as role',
      'incident_roles.user_id as user_id',
      'users.name as name',
      'incident_roles.assigned_at as assigned_at',
      'incident_roles.assigned_by as assigned_by',
    ])
    .where('incident_roles.incident_id', '=', incidentId)
    .orderBy('incident_roles.assigned_at')
    .execute();
}

export function selectChecklist(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_checklist')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('role')
    .orderBy('position')
    .execute();
}
export async function insertChecklistItems(
  db: Executor,
  rows: Array<NewRow<'incident_checklist'>>,
): Promise<void> {
  if (rows.length) await db.insertInto('incident_checklist').values(rows).execute();
}
export async function updateChecklistItem(
  db: Executor,
  id: string,
  incidentId: string,
  set: { done_at: number | null; done_by: string | null },
): Promise<number> {
  const r = await db
    .updateTable('incident_checklist')
    .set(set)
    .where('id', '=', id)
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- attachments, updates, subscriptions

export async function insertAttachment(
  db: Executor,
  row: NewRow<'incident_attachments'>,
): Promise<void> {
  await db.insertInto('incident_attachments').values(row).execute();
}
export function selectAttachment(db: Executor, incidentId: string, id: string) {
  return db
    .selectFrom('incident_attachments')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertUpdate(db: Executor, row: NewRow<'incident_updates'>): Promise<void> {
  await db.insertInto('incident_updates').values(row).execute();
}
export function selectUpdates(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('at', 'desc')
    .execute();
}

export async function insertSubscription(
  db: Executor,
  row: NewRow<'subscriptions'>,
): Promise<void> {
  await db
    .insertInto('subscriptions')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'subject_id', 'user_id']).doNothing())
    .execute();
}
export async function deleteSubscription(
  db: Executor,
  kind: string,
  subjectId: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom('subscriptions')
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('user_id', '=', userId)
    .execute();
}
/** Subscribers of an incident and of any of its services, each once. */
export async function selectSubscribers(
  db: Executor,
  incidentId: string,
  serviceIds: string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .select('user_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'incident'), eb('subject_id', '=', incidentId)]),
        ...(serviceIds.length
          ? [eb.and([eb('kind', '=', 'service'), eb('subject_id', 'in', serviceIds)])]
          : []),
      ]),
    )
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

// ---- reminders

export function selectDueReminders(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('reminder_at', '<=', now)
    .where('status', '<>', sql.lit('resolved'))
    .orderBy('reminder_at')
    .limit(limit)
    .execute();
}
export async function selectNextReminder(db: Executor): Promise<number | undefined> {
  const r = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.min<number>('reminder_at').as('at'))
    .where('status', '<>', sql.lit('resolved'))
    .executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

// ---- tickets

export async function insertTicket(db: Executor, row: NewRow<'tickets'>): Promise<void> {
  await db.insertInto('tickets').values(row).execute();
}
export async function linkTicket(db: Executor, id: string, incidentId: string): Promise<void> {
  await db.updateTable('tickets').set({ incident_id: incidentId }).where('id', '=', id).execute();
}
export function selectTicket(db: Executor, id: string) {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}
/**
 * Reads a ticket to relink it, locked on Postgres until the transaction ends (SQLite runs one
 * writer at a time): two people moving one ticket take turns, each seeing where the other put it.
 */
export function lockTicket(db: Executor, id: string) {
  const q = db.selectFrom('tickets').selectAll().where('id', '=', id);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}
/**
 * Tickets of some teams, newest first; with `incidentId`, those linked to that incident. An
 * incident's tickets are listed whatever team owns them (`teamIds` left out): its responders
 * need the customers' words even when another team's intake took them.
 */
export function selectTickets(
  db: Executor,
  q: { teamIds?: string[]; incidentId?: string; limit: number },
) {
  if (q.teamIds?.length === 0 || (q.teamIds === undefined && q.incidentId === undefined))
    return Promise.resolve([]);
  let query = db.selectFrom('tickets').selectAll().orderBy('created_at', 'desc').limit(q.limit);
  if (q.teamIds) query = query.where('team_id', 'in', q.teamIds);
  if (q.incidentId) query = query.where('incident_id', '=', q.incidentId);
  return query.execute();
}

/** How far below the newest timeline id the org-wide version still counts entries (1 h). */
const versionWindowMs = 3_600_000;

/** The smallest UUIDv7 of the millisecond `ms` (for a range of ids by creation time). */
function newIdAt(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000000`;
}

/**
 * The lowest UUIDv7 made `ms` before the one given (ids carry their creation time, in ms, in
 * their first 48 bits), or undefined for an id that is not one.
 */
function uuidv7Below(id: string, ms: number): string | undefined {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-7/.exec(id);
  if (!m) return undefined;
  const hex = Math.max(0, parseInt(m[1]! + m[2]!, 16) - ms)
    .toString(16)
    .padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

/**
 * What live views poll: a value that changes whenever a timeline entry is added to an incident,
 * or to any incident of some teams (`'all'`: every team, for org admins). No team, no version.
 *
 * The newest id alone is not enough: ids are made before their transaction commits and by
 * several nodes' clocks, so an entry can land below the newest id and not move it. The version is
 * the newest id with a count of entries: of the incident (cheap on its index), or — org-wide,
 * where counting every entry each second would be a scan — of the entries at most an hour older
 * than the newest one (a range of the primary key). An entry landing more than an hour below the
 * newest (a transaction open that long, or a node's clock that far behind) is the one not seen.
 */
export async function selectTimelineVersion(
  db: Executor,
  scope: { incidentId: string } | { teamIds: string[] | 'all' },
): Promise<string> {
  let q = db.selectFrom('incident_timeline');
  if ('incidentId' in scope) q = q.where('incident_id', '=', scope.incidentId);
  else if (scope.teamIds !== 'all') {
    if (scope.teamIds.length === 0) return '';
    const teamIds = scope.teamIds;
    // Only the last hour's entries (ids carry their creation time): the newest of some teams'
    // entries over all time is a scan of their whole history, once a second per open stream.
    // A new entry is always in the window; one aging out of it moves the version once.
    const recent = uuidv7Below(newIdAt(Date.now()), versionWindowMs);
    if (recent !== undefined) q = q.where('incident_timeline.id', '>=', recent);
    q = q.where('incident_id', 'in', (eb) =>
      eb.selectFrom('incidents').select('incidents.id').where('incidents.team_id', 'in', teamIds),
    );
  }
  const newest = await q
    .select((eb) => eb.fn.max<string>('incident_timeline.id').as('v'))
    .executeTakeFirst();
  const max = newest?.v ?? '';
  if (!max) return '';
  const from = 'incidentId' in scope ? undefined : uuidv7Below(max, versionWindowMs);
  const counted = await (from === undefined ? q : q.where('incident_timeline.id', '>=', from))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return `${max}.${Number(counted?.n ?? 0)}`;
}

/** True when the team exists. */
export async function teamExists(db: Executor, teamId: string): Promise<boolean> {
  return (
    (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !==
    undefined
  );
}

// ---- war rooms

/**
 * Open incidents of these severities with no war room yet (neither opened nor given up) whose
 * next try is due: never tried, a retry's backoff over, or a claim that ran out (its node
 * stopped mid-try). `attempts`: tries so far. `exclude`: tries this node still runs, whatever
 * their claim says.
 */
export function selectIncidentsNeedingWarRoom(
  db: Executor,
  severities: string[],
  now: number,
  limit: number,
  exclude: string[] = [],
) {
  if (severities.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('incidents')
    .leftJoin('war_room_tries', 'war_room_tries.incident_id', 'incidents.id')
    .select(['incidents.id as id', 'war_room_tries.attempts as attempts'])
    .where('incidents.severity', 'in', severities)
    .where('incidents.status', '<>', sql.lit('resolved'))
    .where('incidents.war_room_json', 'is', null)
    .where((eb) =>
      eb.or([eb('war_room_tries.due_at', 'is', null), eb('war_room_tries.due_at', '<=', now)]),
    )
    .orderBy('incidents.created_at')
    .limit(limit);
  if (exclude.length) q = q.where('incidents.id', 'not in', exclude);
  return q.execute();
}

/**
 * Claims the next war-room try of an incident for this node until `until`: only if it is still
 * due and nobody claimed a try since `attempts` were read (two nodes, or two passes, cannot both
 * claim one). True when claimed; the try is then number `attempts + 1`.
 */
export async function claimWarRoomTry(
  db: Executor,
  incidentId: string,
  attempts: number,
  now: number,
  until: number,
): Promise<boolean> {
  if (attempts === 0) {
    const r = await db
      .insertInto('war_room_tries')
      .values({ incident_id: incidentId, attempts: 1, due_at: until })
      .onConflict((oc) => oc.column('incident_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await db
    .updateTable('war_room_tries')
    .set({ attempts: attempts + 1, due_at: until })
    .where('incident_id', '=', incidentId)
    .where('attempts', '=', attempts)
    .where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * The channel name an incident's war-room tries ask for: the one the first try chose (kept, so a
 * retry after the incident was retitled still finds the channel a timed-out try made).
 */
export async function warRoomTryName(
  db: Executor,
  incidentId: string,
  name: string,
): Promise<string> {
  await db
    .updateTable('war_room_tries')
    .set({ channel_name: name })
    .where('incident_id', '=', incidentId)
    .where('channel_name', 'is', null)
    .execute();
  const row = await db
    .selectFrom('war_room_tries')
    .select('channel_name')
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row?.channel_name ?? name;
}

/**
 * Records the outcome of war-room try number `attempt` inside the caller's write: when the next
 * try is due (null: none), and for an opened or given-up room the incident's war room. Only if
 * that try is still the latest (a node whose claim ran out and was taken over leaves the row to
 * the new try). True if written.
 */
export async function recordWarRoomTry(
  db: Executor,
  incidentId: string,
  attempt: number,
  outcome: { nextAt: number } | { warRoomJson: string; channelId?: string },
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('war_room_tries')
    .set({ due_at: 'nextAt' in outcome ? outcome.nextAt : null })
    .where('incident_id', '=', incidentId)
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  if ('warRoomJson' in outcome) {
    const done = await db
      .updateTable('incidents')
      .set({
        war_room_json: outcome.warRoomJson,
        ...(outcome.channelId ? { war_room_channel_id: outcome.channelId } : {}),
        updated_at: now,
      })
      .where('id', '=', incidentId)
      .where('war_room_json', 'is', null)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }
  return true;
}

export function selectIncidentByWarRoom(db: Executor, channelId: string) {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('war_room_channel_id', '=', channelId)
    .executeTakeFirst();
}

/**
 * Whether a war-room message is on the timeline already. Matched on the instant first (its
 * `ts` made milliseconds, so few rows), then on channel and `ts` in the stored data.
 */
export async function selectChatMessageSeen(
  db: Executor,
  incidentId: string,
  at: number,
  channelId: string,
  ts: string,
): Promise<boolean> {
  const rows = await db
    .selectFrom('incident_timeline')
    .select('data_json')
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'chat.message')
    .where('at', '=', at)
    .execute();
  return rows.some((r) => {
    const data = JSON.parse(r.data_json ?? '{}') as { channelId?: string; ts?: string };
    return data.channelId === channelId && data.ts === ts;
  });
}

/** Verified Slack member ids of the people on an incident: role holders and those paged. */
export async function selectResponderSlackIds(db: Executor, incidentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('contact_methods')
    .select('address')
    .where('type', '=', 'slack')
    .where('verified_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb(
          'user_id',
          'in',
          eb.selectFrom('incident_roles').select('user_id').where('incident_id', '=', incidentId),
        ),
        eb(
          'user_id',
          'in',
          eb
            .selectFrom('notification_intents')
            .select('user_id')
            .where('incident_id', '=', incidentId),
        ),
      ]),
    )
    .execute();
  return [...new Set(rows.map((r) => r.address).filter((a) => /^[UW]/.test(a)))];
}
