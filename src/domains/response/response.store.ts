import { sql } from 'kysely';
import type { Executor, NewRow } from '../../db/index.js';

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
export function selectTickets(
  db: Executor,
  q: { teamIds: string[]; incidentId?: string; limit: number },
) {
  if (q.teamIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('tickets')
    .selectAll()
    .where('team_id', 'in', q.teamIds)
    .orderBy('created_at', 'desc')
    .limit(q.limit);
  if (q.incidentId) query = query.where('incident_id', '=', q.incidentId);
  return query.execute();
}

/**
 * The newest timeline entry id of an incident, or of the incidents of some teams (`'all'`: every
 * team, for org admins): what live views poll. No team, no version.
 */
export async function selectTimelineVersion(
  db: Executor,
  scope: { incidentId: string } | { teamIds: string[] | 'all' },
): Promise<string> {
  let q = db
    .selectFrom('incident_timeline')
    .select((eb) => eb.fn.max<string>('incident_timeline.id').as('v'));
  if ('incidentId' in scope) q = q.where('incident_id', '=', scope.incidentId);
  else if (scope.teamIds !== 'all') {
    if (scope.teamIds.length === 0) return '';
    const teamIds = scope.teamIds;
    q = q.where('incident_id', 'in', (eb) =>
      eb.selectFrom('incidents').select('incidents.id').where('incidents.team_id', 'in', teamIds),
    );
  }
  const r = await q.executeTakeFirst();
  return r?.v ?? '';
}

/** True when the team exists. */
export async function teamExists(db: Executor, teamId: string): Promise<boolean> {
  return (
    (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !==
    undefined
  );
}

// ---- war rooms

/** Open incidents of these severities without a war room yet. */
export function selectIncidentsNeedingWarRoom(db: Executor, severities: string[], limit: number) {
  if (severities.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('severity', 'in', severities)
    .where('status', '<>', sql.lit('resolved'))
    .where('war_room_json', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
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
