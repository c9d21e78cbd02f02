import { sql } from 'kysely';
import type { Executor, NewRow, RowUpdate } from '../../db/index.js';

/** The next incident number (one counter for the organisation; atomic on both stores). */
export async function nextIncidentNumber(db: Executor): Promise<number> {
  const r = await db
    .insertInto('counters')
    .values({ name: 'incident_number', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function insertIncident(db: Executor, row: NewRow<'incidents'>): Promise<void> {
  await db.insertInto('incidents').values(row).execute();
}

export async function updateIncidentRow(
  db: Executor,
  id: string,
  set: RowUpdate<'incidents'>,
): Promise<void> {
  await db.updateTable('incidents').set(set).where('id', '=', id).execute();
}

/** Counts one more alert on an incident (in SQL, so concurrent joins are all counted). */
export async function bumpIncidentAlerts(
  db: Executor,
  id: string,
  now: number,
  raiseToHigh: boolean,
): Promise<void> {
  await db
    .updateTable('incidents')
    .set({
      alert_count: sql<number>`alert_count + 1`,
      last_alert_at: now,
      ...(raiseToHigh ? { urgency: 'high', response_due_at: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export function selectIncident(db: Executor, id: string) {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectOpenIncidentForGroup(db: Executor, serviceId: string, groupKey: string) {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('group_key', '=', groupKey)
    .where('status', '<>', sql.lit('resolved'))
    .executeTakeFirst();
}

/** The newest open incident that lists this service among its impacted services (not its own). */
export function selectOpenIncidentImpacting(db: Executor, serviceId: string) {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('status', '<>', sql.lit('resolved'))
    .where('service_id', '<>', serviceId)
    .where('id', 'in', (eb) =>
      eb.selectFrom('incident_services').select('incident_id').where('service_id', '=', serviceId),
    )
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function selectIncidents(
  db: Executor,
  q: {
    teamIds: string[];
    status?: string[] | undefined;
    severity?: string[] | undefined;
    /** Words in the title, or `#123`. */
    q?: string | undefined;
    limit: number;
    before?: string | undefined;
  },
) {
  if (q.teamIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('team_id', 'in', q.teamIds)
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.status?.length) query = query.where('status', 'in', q.status);
  if (q.severity?.length) query = query.where('severity', 'in', q.severity);
  const search = q.q?.trim();
  if (search) {
    const n = /^#?(\d{1,9})$/.exec(search);
    if (n) query = query.where('number', '=', Number(n[1]));
    else {
      // Every word must appear, in any order; LIKE's wildcards in a word are taken literally.
      for (const word of search.toLowerCase().split(/\s+/).slice(0, 10)) {
        const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where(sql<boolean>`lower(title) like ${pattern} escape '\\'`);
      }
    }
  }
  if (q.before) query = query.where('id', '<', q.before);
  return query.execute();
}

export async function insertTimeline(
  db: Executor,
  row: NewRow<'incident_timeline'>,
): Promise<void> {
  await db.insertInto('incident_timeline').values(row).execute();
}

export function selectTimeline(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}
