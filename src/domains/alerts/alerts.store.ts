import { sql } from 'kysely';
import type { Executor, NewRow, RowUpdate } from '../../db/index.js';

export async function insertAlert(db: Executor, row: NewRow<'alerts'>): Promise<void> {
  await db.insertInto('alerts').values(row).execute();
}

export async function updateAlertRow(
  db: Executor,
  id: string,
  set: RowUpdate<'alerts'>,
): Promise<void> {
  await db.updateTable('alerts').set(set).where('id', '=', id).execute();
}

/**
 * Applies a repeat trigger. The count is incremented in SQL, not read-modified-written, so
 * concurrent repeats on Postgres (READ COMMITTED) are all counted.
 */
export async function updateAlertOnRepeat(
  db: Executor,
  id: string,
  set: RowUpdate<'alerts'>,
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ ...set, event_count: sql<number>`event_count + 1` })
    .where('id', '=', id)
    .execute();
}

export function selectOpenAlert(db: Executor, serviceId: string, dedupKey: string) {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('dedup_key', '=', dedupKey)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
}

export function selectAlert(db: Executor, id: string) {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Open, unmuted alerts of a team with their labels (inhibition sources), newest first, bounded. */
export function selectOpenAlertLabels(db: Executor, teamId: string, limit: number) {
  return db
    .selectFrom('alerts')
    .select(['id', 'labels_json', 'muted_kind'])
    .where('team_id', '=', teamId)
    .where('status', '<>', 'resolved')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export interface AlertQuery {
  teamIds: string[];
  serviceId?: string | undefined;
  status?: string[] | undefined;
  severity?: string[] | undefined;
  incidentId?: string | undefined;
  muted?: boolean | undefined;
  q?: string | undefined;
  limit: number;
  before?: string | undefined;
}

export function selectAlerts(db: Executor, query: AlertQuery) {
  if (query.teamIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('alerts')
    .selectAll()
    .where('team_id', 'in', query.teamIds)
    .orderBy('id', 'desc')
    .limit(query.limit);
  if (query.serviceId) q = q.where('service_id', '=', query.serviceId);
  if (query.status?.length) q = q.where('status', 'in', query.status);
  if (query.severity?.length) q = q.where('severity', 'in', query.severity);
  if (query.incidentId) q = q.where('incident_id', '=', query.incidentId);
  if (query.muted !== undefined)
    q = query.muted ? q.where('muted_kind', 'is not', null) : q.where('muted_kind', 'is', null);
  if (query.q) q = q.where('summary', 'like', `%${query.q.replace(/[%_\\]/g, '')}%`);
  if (query.before) q = q.where('id', '<', query.before);
  return q.execute();
}

/** Open alerts past their endsAt (Alertmanager semantics: resolved unless re-sent), bounded. */
export function selectExpiredAlerts(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('status', '<>', 'resolved')
    .where('ends_at', 'is not', null)
    .where('ends_at', '<=', now)
    .orderBy('ends_at')
    .limit(limit)
    .execute();
}

export async function countOpenAlertsOfIncident(db: Executor, incidentId: string): Promise<number> {
  const r = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('status', '<>', 'resolved')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function selectOpenAlertsOfIncident(db: Executor, incidentId: string) {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('status', '<>', 'resolved')
    .execute();
}

export async function insertAlertEvent(db: Executor, row: NewRow<'alert_events'>): Promise<void> {
  await db.insertInto('alert_events').values(row).execute();
}

export function selectAlertEvents(db: Executor, alertId: string) {
  return db
    .selectFrom('alert_events')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('id')
    .execute();
}

export async function insertChange(db: Executor, row: NewRow<'change_events'>): Promise<void> {
  await db.insertInto('change_events').values(row).execute();
}

export function selectChanges(
  db: Executor,
  q: { teamIds: string[]; serviceId?: string | undefined; limit: number },
) {
  if (q.teamIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('change_events')
    .selectAll()
    .where('team_id', 'in', q.teamIds)
    .orderBy('occurred_at', 'desc')
    .limit(q.limit);
  if (q.serviceId) query = query.where('service_id', '=', q.serviceId);
  return query.execute();
}

export function selectEventRules(db: Executor, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('event_rules')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .orderBy('position')
    .execute();
}

export function selectEventRule(db: Executor, id: string) {
  return db.selectFrom('event_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEventRule(db: Executor, row: NewRow<'event_rules'>): Promise<void> {
  await db.insertInto('event_rules').values(row).execute();
}

export async function deleteEventRuleRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('event_rules').where('id', '=', id).execute();
}
