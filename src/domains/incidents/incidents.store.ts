import { sql, type ExpressionBuilder } from 'kysely';
import {
  isPostgres,
  type Database,
  type Executor,
  type NewRow,
  type RowUpdate,
} from '../../db/index.js';

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
    /**
     * Only incidents of this person ("Mine"): paged about them (a row in `notification_intents`
     * for any reason but a stakeholder update), acknowledged them, or holding one of their roles.
     * Each test is an EXISTS probe of a per-incident index (`notification_intents_incident`,
     * `incident_roles_unique`).
     */
    mineUserId?: string | undefined;
  },
) {
  if (q.teamIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('incidents')
    .selectAll('incidents')
    .where('incidents.team_id', 'in', q.teamIds)
    .orderBy('incidents.id', 'desc')
    .limit(q.limit);
  const me = q.mineUserId;
  if (me !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('incidents.acknowledged_by_id', '=', me),
        eb.exists(
          eb
            .selectFrom('notification_intents')
            .select(sql.lit(1).as('one'))
            .whereRef('notification_intents.incident_id', '=', 'incidents.id')
            .where('notification_intents.user_id', '=', me)
            .where('notification_intents.reason', '<>', 'update'),
        ),
        eb.exists(
          eb
            .selectFrom('incident_roles')
            .select(sql.lit(1).as('one'))
            .whereRef('incident_roles.incident_id', '=', 'incidents.id')
            .where('incident_roles.user_id', '=', me),
        ),
      ]),
    );
  }
  if (q.status?.length) query = query.where('incidents.status', 'in', q.status);
  if (q.severity?.length) query = query.where('incidents.severity', 'in', q.severity);
  const search = q.q?.trim();
  if (search) {
    const n = /^#?(\d{1,9})$/.exec(search);
    if (n) query = query.where('incidents.number', '=', Number(n[1]));
    else {
      // Every word must appear, in any order; LIKE's wildcards in a word are taken literally.
      for (const word of search.toLowerCase().split(/\s+/).slice(0, 10)) {
        const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where(sql<boolean>`lower(incidents.title) like ${pattern} escape '\\'`);
      }
    }
  }
  if (q.before) query = query.where('incidents.id', '<', q.before);
  return query.execute();
}

export async function insertTimeline(
  db: Executor,
  row: NewRow<'incident_timeline'>,
): Promise<void> {
  await db.insertInto('incident_timeline').values(row).execute();
}

/** One timeline entry of an incident. */
export function selectTimelineEntry(db: Executor, incidentId: string, id: string) {
  return db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .executeTakeFirst();
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

/** A place in an incident's timeline: entries are ordered by time, then id. */
export interface TimelinePosition {
  at: number;
  id: string;
}

/**
 * Only entries of these kinds: `note` is exact, `ticket.*` every kind starting with `ticket.`
 * (the prefix's LIKE wildcards taken literally).
 */
function ofKinds(kinds: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'incident_timeline'>) =>
    eb.or(
      kinds.map((k) => {
        if (!k.endsWith('.*')) return eb('kind', '=', k);
        const pattern = `${k.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        return sql<boolean>`kind like ${pattern} escape '\\'`;
      }),
    );
}

/**
 * One page of an incident's timeline: the `limit` newest entries before `before` (or the newest
 * of all), oldest first. Ordered by time, then id: an entry written late (a Slack message
 * delivered after a retry) carries the time it happened, and goes there.
 */
export async function selectTimelinePage(
  db: Executor,
  q: {
    incidentId: string;
    kinds?: readonly string[] | undefined;
    before?: TimelinePosition | undefined;
    limit: number;
  },
) {
  let query = db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', q.incidentId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.kinds?.length) query = query.where(ofKinds(q.kinds));
  const before = q.before;
  if (before)
    query = query.where((eb) =>
      eb.or([
        eb('at', '<', before.at),
        eb.and([eb('at', '=', before.at), eb('id', '<', before.id)]),
      ]),
    );
  return (await query.execute()).reverse();
}

/** How many entries an incident's timeline holds (of these kinds only, when given). */
export async function countTimeline(
  db: Executor,
  incidentId: string,
  kinds?: readonly string[],
): Promise<number> {
  let query = db
    .selectFrom('incident_timeline')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId);
  if (kinds?.length) query = query.where(ofKinds(kinds));
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/**
 * An incident's whole timeline, oldest first (by time, then id), for the Markdown export and
 * the postmortem draft. Views read it a page at a time (selectTimelinePage): it can be long.
 */
export function selectTimeline(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/**
 * How many alerts of the incident's team joined it: the incident page lists the newest only,
 * and says of how many.
 */
export async function countIncidentAlerts(
  db: Executor,
  incidentId: string,
  teamId: string,
): Promise<number> {
  const r = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A service's stored settings JSON (the incident reads its acknowledgement timeout there). */
export async function selectServiceSettingsJson(
  db: Executor,
  serviceId: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('services')
    .select('settings_json')
    .where('id', '=', serviceId)
    .executeTakeFirst();
  return r?.settings_json;
}

/** Incidents whose re-trigger timer is due, soonest first (the `incidents_retrigger` index). */
export async function selectDueRetriggers(
  db: Executor,
  now: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('incidents')
    .select('id')
    .where('retrigger_at', '<=', now)
    .orderBy('retrigger_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** How many re-trigger timers are due. */
export async function countDueRetriggers(db: Executor, now: number): Promise<number> {
  const r = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('retrigger_at', '<=', now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The soonest re-trigger timer, if any. */
export async function selectNextRetrigger(db: Executor): Promise<number | undefined> {
  const r = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.min<number>('retrigger_at').as('at'))
    .executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}
