import { sql } from 'kysely';
import { isPostgres, type Executor, type NewRow, type RowUpdate } from '../../db/index.js';

/**
 * The next `count` incident numbers, in order, from one series for the organisation. Postgres
 * takes them from a sequence (no lock held to commit, so concurrent transactions opening
 * incidents do not queue; a rolled-back one leaves a gap); SQLite, with its single writer, from
 * the `counters` row, moved once for all of them.
 */
export async function nextIncidentNumbers(db: Executor, count: number): Promise<number[]> {
  if (count <= 0) return [];
  if (isPostgres(db)) {
    const { rows } = await sql<{ value: string }>`select nextval('incident_number_seq') as value
      from generate_series(1, ${count}) order by 1`.execute(db);
    return rows.map((r) => Number(r.value));
  }
  const r = await db
    .insertInto('counters')
    .values({ name: 'incident_number', value: count })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ value: sql<number>`counters.value + ${count}` }),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  const last = Number(r.value);
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}

/** The next incident number (see nextIncidentNumbers). */
export async function nextIncidentNumber(db: Executor): Promise<number> {
  return (await nextIncidentNumbers(db, 1))[0]!;
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

export function selectIncident(db: Executor, id: string) {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads an incident to change it, inside the caller's transaction. On Postgres the row is locked
 * (`FOR UPDATE`) until the transaction ends, so two changes of one incident on different
 * connections or nodes take turns, each reading what the other committed: an acknowledgement
 * cannot undo a resolve, and an alert cannot join an incident that is being resolved. (SQLite
 * transactions already take turns: one writer at a time.)
 */
export function lockIncident(db: Executor, id: string) {
  const q = db.selectFrom('incidents').selectAll().where('id', '=', id);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
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

/** The kind and message of an incident's newest timeline entry. */
export function selectLatestTimelineEntry(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_timeline')
    .select(['kind', 'message'])
    .where('incident_id', '=', incidentId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function selectTimeline(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}
