import { sql } from 'kysely';
import {
  isPostgres,
  preparedInsert,
  preparedInsertMany,
  preparedQuery,
  type Executor,
  type NewRow,
  type Row,
  type RowUpdate,
} from '../../db/index.js';

/*
 * The statements ingesting runs for every event (the open-alert lookup, the alert and its first
 * timeline row) are prepared queries, built once per dialect and bound per run; a group commit
 * inserts its new alerts and timeline rows many to a statement.
 */

const alertColumns = [
  'id',
  'service_id',
  'team_id',
  'integration_id',
  'dedup_key',
  'status',
  'severity',
  'summary',
  'source',
  'component',
  'group_name',
  'class',
  'labels_json',
  'details_json',
  'links_json',
  'images_json',
  'client',
  'client_url',
  'group_key',
  'route',
  'suppressed',
  'muted_kind',
  'muted_by',
  'incident_id',
  'event_count',
  'first_seen_at',
  'last_seen_at',
  'ends_at',
  'acknowledged_at',
  'acknowledged_by',
  'resolved_at',
  'resolved_by',
  'raw_json',
] as const;

const insertAlertRows = preparedInsertMany('alerts', alertColumns);

/** Inserts alerts, many to a statement. */
export async function insertAlerts(db: Executor, rows: NewRow<'alerts'>[]): Promise<void> {
  await insertAlertRows(db, rows);
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

// The status is a literal: with a bound parameter, SQLite cannot use the partial unique index
// (status <> 'resolved') from a cached plan and re-plans the statement on every run.
const selectOpenAlertRow = preparedQuery<{ serviceId: string; dedupKey: string }, Row<'alerts'>>(
  (db, slot) =>
    db
      .selectFrom('alerts')
      .selectAll()
      .where('service_id', '=', slot('serviceId'))
      .where('dedup_key', '=', slot('dedupKey'))
      .where('status', '<>', sql.lit('resolved')),
);

export async function selectOpenAlert(
  db: Executor,
  serviceId: string,
  dedupKey: string,
): Promise<Row<'alerts'> | undefined> {
  return (await selectOpenAlertRow(db, { serviceId, dedupKey })).rows[0];
}

/** The open alert with `dedupKey` that `integrationId` sent, on any of `serviceIds`. */
export function selectOpenAlertOfIntegration(
  db: Executor,
  serviceIds: string[],
  dedupKey: string,
  integrationId: string,
): Promise<Row<'alerts'> | undefined> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('service_id', 'in', serviceIds)
    .where('dedup_key', '=', dedupKey)
    .where('status', '<>', sql.lit('resolved'))
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
}

/** The open alerts of a service among `dedupKeys` (one statement per 500 keys). */
export async function selectOpenAlertsByKeys(
  db: Executor,
  serviceId: string,
  dedupKeys: string[],
): Promise<Row<'alerts'>[]> {
  const out: Row<'alerts'>[] = [];
  for (let i = 0; i < dedupKeys.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('alerts')
        .selectAll()
        .where('service_id', '=', serviceId)
        .where('dedup_key', 'in', dedupKeys.slice(i, i + 500))
        .where('status', '<>', sql.lit('resolved'))
        .execute()),
    );
  }
  return out;
}

export function selectAlert(db: Executor, id: string) {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads an alert to change it; on Postgres locked until the transaction ends, so a concurrent
 * repeat that moves its `endsAt` on is either seen or waits (SQLite writers take turns anyway).
 */
export function lockAlert(db: Executor, id: string) {
  const q = db.selectFrom('alerts').selectAll().where('id', '=', id);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}

/** Open, unmuted alerts of a team with their labels (inhibition sources), newest first, bounded. */
/** `text` as a LIKE pattern that matches it literally (escape character `\`). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The team's open alerts (muted or not, as in Alertmanager) that may be an inhibition source: those whose stored labels
 * contain each of `equals` (name → value), looked for as the `"name":"value"` text that
 * `JSON.stringify` wrote, so neither store parses JSON (and a bad row cannot fail the read).
 * The text test may let through a row that does not really have the label; the caller checks
 * every matcher again. This only narrows the rows read, so that a storm of other alerts cannot
 * push the source out of the `limit` newest.
 */
export function selectInhibitionCandidates(
  db: Executor,
  teamId: string,
  equals: ReadonlyArray<readonly [string, string]>,
  limit: number,
) {
  let q = db
    .selectFrom('alerts')
    .select(['id', 'labels_json'])
    .where('team_id', '=', teamId)
    .where('status', '<>', sql.lit('resolved'));
  for (const [name, value] of equals) {
    const pattern = `%${likeLiteral(`${JSON.stringify(name)}:${JSON.stringify(value)}`)}%`;
    q = q.where(sql<boolean>`labels_json like ${pattern} escape '\\'`);
  }
  return q.orderBy('id', 'desc').limit(limit).execute();
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
    .where('status', '<>', sql.lit('resolved'))
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
    .where('status', '<>', sql.lit('resolved'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function selectOpenAlertsOfIncident(db: Executor, incidentId: string) {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('status', '<>', sql.lit('resolved'))
    .execute();
}

const alertEventColumns = ['id', 'alert_id', 'at', 'action', 'actor_name', 'note'] as const;
const insertAlertEventRow = preparedInsert('alert_events', alertEventColumns);
const insertAlertEventRows = preparedInsertMany('alert_events', alertEventColumns);

export async function insertAlertEvent(db: Executor, row: NewRow<'alert_events'>): Promise<void> {
  await insertAlertEventRow(db, row);
}

/** Inserts alert timeline rows, many to a statement. */
export async function insertAlertEvents(
  db: Executor,
  rows: NewRow<'alert_events'>[],
): Promise<void> {
  await insertAlertEventRows(db, rows);
}

/** The newest `limit` timeline rows of an alert, oldest first (ids sort by creation). */
export async function selectAlertEvents(db: Executor, alertId: string, limit: number) {
  const rows = await db
    .selectFrom('alert_events')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** How many timeline rows an alert has (read from the `(alert_id, id)` index). */
export async function countAlertEvents(db: Executor, alertId: string): Promise<number> {
  const r = await db
    .selectFrom('alert_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('alert_id', '=', alertId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
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
