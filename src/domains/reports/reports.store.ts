import type { Executor } from '../../db/index.js';

/*
 * Reads for reports. They span other domains' tables (incidents, alerts, pages, checks, action
 * items) read-only; every query is bounded by the window and a row limit.
 */

type Teams = string[] | undefined;
const ROWS = 100_000;

export function selectIncidentsCreated(db: Executor, teamIds: Teams, from: number, to: number) {
  let q = db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .innerJoin('teams', 'teams.id', 'incidents.team_id')
    .select([
      'incidents.id as id',
      'incidents.number as number',
      'incidents.title as title',
      'incidents.service_id as service_id',
      'services.name as service_name',
      'incidents.team_id as team_id',
      'teams.name as team_name',
      'incidents.severity as severity',
      'incidents.urgency as urgency',
      'incidents.created_at as created_at',
      'incidents.acknowledged_at as acknowledged_at',
      'incidents.mitigated_at as mitigated_at',
      'incidents.resolved_at as resolved_at',
    ])
    .where('incidents.created_at', '>=', from)
    .where('incidents.created_at', '<', to);
  if (teamIds) q = q.where('incidents.team_id', 'in', teamIds.length ? teamIds : ['']);
  return q.orderBy('incidents.created_at').limit(ROWS).execute();
}

/** SEV1 incidents overlapping the window, with every service they impacted. */
export async function selectOutageIncidents(
  db: Executor,
  teamIds: Teams,
  from: number,
  to: number,
) {
  let q = db
    .selectFrom('incidents')
    .select(['id', 'service_id', 'created_at', 'mitigated_at', 'resolved_at'])
    .where('severity', '=', 'SEV1')
    .where('created_at', '<', to)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]));
  if (teamIds) q = q.where('team_id', 'in', teamIds.length ? teamIds : ['']);
  const rows = await q.limit(ROWS).execute();
  const ids = rows.map((r) => r.id);
  const impacted = ids.length
    ? await db
        .selectFrom('incident_services')
        .select(['incident_id', 'service_id'])
        .where('incident_id', 'in', ids.slice(0, 10_000))
        .execute()
    : [];
  return { rows, impacted };
}

/** Checks' confirmed down periods overlapping the window, by service. */
export function selectCheckDownPeriods(db: Executor, teamIds: Teams, from: number, to: number) {
  let q = db
    .selectFrom('check_periods')
    .innerJoin('checks', 'checks.id', 'check_periods.check_id')
    .select([
      'checks.service_id as service_id',
      'check_periods.started_at as started_at',
      'check_periods.ended_at as ended_at',
    ])
    .where('check_periods.kind', '=', 'down')
    .where('check_periods.started_at', '<', to)
    .where((eb) =>
      eb.or([eb('check_periods.ended_at', 'is', null), eb('check_periods.ended_at', '>=', from)]),
    );
  if (teamIds) q = q.where('checks.team_id', 'in', teamIds.length ? teamIds : ['']);
  return q.limit(ROWS).execute();
}

export function selectServices(db: Executor, teamIds: Teams) {
  let q = db
    .selectFrom('services')
    .innerJoin('teams', 'teams.id', 'services.team_id')
    .select([
      'services.id as id',
      'services.name as name',
      'services.team_id as team_id',
      'teams.name as team_name',
      'services.created_at as created_at',
    ]);
  if (teamIds) q = q.where('services.team_id', 'in', teamIds.length ? teamIds : ['']);
  return q.orderBy('services.name').limit(10_000).execute();
}

export function selectAlertsSeen(db: Executor, teamIds: Teams, from: number, to: number) {
  let q = db
    .selectFrom('alerts')
    .innerJoin('services', 'services.id', 'alerts.service_id')
    .select([
      'alerts.service_id as service_id',
      'services.name as service_name',
      'alerts.dedup_key as dedup_key',
      'alerts.severity as severity',
      'alerts.summary as summary',
      'alerts.labels_json as labels_json',
      'alerts.incident_id as incident_id',
      'alerts.event_count as event_count',
      'alerts.first_seen_at as first_seen_at',
    ])
    .where('alerts.first_seen_at', '>=', from)
    .where('alerts.first_seen_at', '<', to);
  if (teamIds) q = q.where('alerts.team_id', 'in', teamIds.length ? teamIds : ['']);
  return q.limit(ROWS).execute();
}

/** Pages (escalation notifications) sent in the window, with the incident's acknowledgement. */
export function selectPages(db: Executor, teamIds: Teams, from: number, to: number) {
  let q = db
    .selectFrom('notification_intents')
    .innerJoin('incidents', 'incidents.id', 'notification_intents.incident_id')
    .innerJoin('users', 'users.id', 'notification_intents.user_id')
    .select([
      'notification_intents.user_id as user_id',
      'users.name as name',
      'notification_intents.created_at as at',
      'notification_intents.incident_id as incident_id',
      'incidents.acknowledged_at as acknowledged_at',
      'incidents.acknowledged_by as acknowledged_by',
      'incidents.acknowledged_by_id as acknowledged_by_id',
    ])
    .where('notification_intents.reason', '=', 'escalation')
    .where('notification_intents.created_at', '>=', from)
    .where('notification_intents.created_at', '<', to);
  if (teamIds) q = q.where('incidents.team_id', 'in', teamIds.length ? teamIds : ['']);
  return q.orderBy('notification_intents.created_at').limit(ROWS).execute();
}

export function selectOverdueItems(db: Executor, teamIds: Teams, now: number) {
  let q = db
    .selectFrom('action_items')
    .innerJoin('teams', 'teams.id', 'action_items.team_id')
    .innerJoin('incidents', 'incidents.id', 'action_items.incident_id')
    .leftJoin('users', 'users.id', 'action_items.owner_id')
    .select([
      'action_items.id as id',
      'action_items.title as title',
      'action_items.priority as priority',
      'action_items.status as status',
      'action_items.due_at as due_at',
      'action_items.team_id as team_id',
      'teams.name as team_name',
      'users.name as owner_name',
      'incidents.number as incident_number',
      'action_items.postmortem_id as postmortem_id',
      'action_items.external_key as external_key',
    ])
    .where('action_items.status', 'in', ['open', 'in_progress'])
    .where('action_items.due_at', '<', now);
  if (teamIds) q = q.where('action_items.team_id', 'in', teamIds.length ? teamIds : ['']);
  return q.orderBy('action_items.due_at').limit(10_000).execute();
}
