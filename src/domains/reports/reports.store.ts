import { sql, type RawBuilder } from 'kysely';
import { isPostgres, type Executor } from '../../db/index.js';

/*
 * Reads for reports. They span other domains' tables (incidents, alerts, pages, checks, action
 * items) read-only. A report that counts (incidents, response times, alert noise) counts in SQL,
 * so it covers the whole window however many rows it holds. One that needs the rows themselves
 * (downtime intervals, pages in a time zone, overdue items) reads at most `limit` of them in a
 * fixed order, and one more to tell the service that there were more (`truncated`).
 */

type Teams = string[] | undefined;

/** Rows read, and whether there were more than the limit (the extra one is dropped). */
export interface Capped<T> {
  rows: T[];
  truncated: boolean;
}

function capped<T>(rows: T[], limit: number): Capped<T> {
  return rows.length > limit
    ? { rows: rows.slice(0, limit), truncated: true }
    : { rows, truncated: false };
}

const teamList = (teamIds: string[]) => (teamIds.length ? teamIds : ['']);

/**
 * The start of the UTC day or ISO week (Monday) holding the epoch-millisecond column `column`,
 * in SQL, as `bucketStart` (report.ts) computes it: integer division on both stores (times are
 * never negative), and 1970-01-01 was a Thursday, three days after a Monday.
 */
function bucketOf(column: string, bucket: 'day' | 'week'): RawBuilder<number> {
  const day = `(${column} / 86400000)`;
  return bucket === 'day'
    ? sql<number>`${sql.raw(`${day} * 86400000`)}`
    : sql<number>`${sql.raw(`(${day} - ((${day} + 3) % 7)) * 86400000`)}`;
}

/** Incidents created in the window, counted per group (service, team or severity) and bucket. */
export function selectResponseTimeStats(
  db: Executor,
  teamIds: Teams,
  from: number,
  to: number,
  groupBy: 'service' | 'team' | 'severity',
  bucket: 'day' | 'week',
) {
  // Time to acknowledge as `responseTimes` counts it: from creation to the acknowledgement, or
  // to mitigation or resolution when nobody acknowledged; never below zero.
  const ack = 'coalesce(incidents.acknowledged_at, incidents.mitigated_at, incidents.resolved_at)';
  const since = (t: string) =>
    sql.raw(
      `case when ${t} is null then null when ${t} < incidents.created_at then 0 else ${t} - incidents.created_at end`,
    );
  const [key, name] =
    groupBy === 'service'
      ? ['incidents.service_id', 'services.name']
      : groupBy === 'team'
        ? ['incidents.team_id', 'teams.name']
        : [
            "coalesce(incidents.severity, 'unclassified')",
            "coalesce(incidents.severity, 'unclassified')",
          ];
  const b = bucketOf('incidents.created_at', bucket);
  let q = db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .innerJoin('teams', 'teams.id', 'incidents.team_id')
    .select([
      sql<string>`${sql.raw(key)}`.as('key'),
      sql<string>`${sql.raw(name)}`.as('name'),
      b.as('bucket'),
      sql<number>`count(*)`.as('incidents'),
      sql<number>`count(${since(ack)})`.as('acknowledged'),
      sql<number | null>`sum(${since(ack)})`.as('ack_ms'),
      sql<number>`count(incidents.resolved_at)`.as('resolved'),
      sql<number | null>`sum(${since('incidents.resolved_at')})`.as('resolve_ms'),
    ])
    .where('incidents.created_at', '>=', from)
    .where('incidents.created_at', '<', to)
    .groupBy([sql.raw(key), sql.raw(name), b]);
  if (teamIds) q = q.where('incidents.team_id', 'in', teamList(teamIds));
  return q.execute();
}

/** Incidents created in the window, counted per service and severity. */
export function selectIncidentCounts(db: Executor, teamIds: Teams, from: number, to: number) {
  const severity = sql<string>`coalesce(incidents.severity, 'unclassified')`;
  let q = db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .select([
      'incidents.service_id as service_id',
      'services.name as service_name',
      severity.as('severity'),
      sql<number>`count(*)`.as('count'),
    ])
    .where('incidents.created_at', '>=', from)
    .where('incidents.created_at', '<', to)
    .groupBy(['incidents.service_id', 'services.name', severity]);
  if (teamIds) q = q.where('incidents.team_id', 'in', teamList(teamIds));
  return q.execute();
}

/** SEV1 incidents overlapping the window, oldest first, with every service they impacted. */
export async function selectOutageIncidents(
  db: Executor,
  teamIds: Teams,
  from: number,
  to: number,
  limit: number,
) {
  let q = db
    .selectFrom('incidents')
    .select(['id', 'service_id', 'created_at', 'mitigated_at', 'resolved_at'])
    .where('severity', '=', 'SEV1')
    .where('created_at', '<', to)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]));
  if (teamIds) q = q.where('team_id', 'in', teamList(teamIds));
  const outages = capped(
    await q
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit + 1)
      .execute(),
    limit,
  );
  const ids = outages.rows.map((r) => r.id);
  // In slices: a statement takes at most some tens of thousands of parameters.
  const impacted: Array<{ incident_id: string; service_id: string }> = [];
  for (let i = 0; i < ids.length; i += 10_000)
    impacted.push(
      ...(await db
        .selectFrom('incident_services')
        .select(['incident_id', 'service_id'])
        .where('incident_id', 'in', ids.slice(i, i + 10_000))
        .execute()),
    );
  return { ...outages, impacted };
}

/** Checks' confirmed down periods overlapping the window, by service, oldest first. */
export async function selectCheckDownPeriods(
  db: Executor,
  teamIds: Teams,
  from: number,
  to: number,
  limit: number,
) {
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
  if (teamIds) q = q.where('checks.team_id', 'in', teamList(teamIds));
  return capped(
    await q
      .orderBy('check_periods.started_at')
      .orderBy('check_periods.id')
      .limit(limit + 1)
      .execute(),
    limit,
  );
}

export async function selectServices(db: Executor, teamIds: Teams, limit: number) {
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
  if (teamIds) q = q.where('services.team_id', 'in', teamList(teamIds));
  return capped(
    await q
      .orderBy('services.name')
      .orderBy('services.id')
      .limit(limit + 1)
      .execute(),
    limit,
  );
}

const lowSeverities = "('warning', 'info')";

/**
 * An alert's name for grouping, as `alertNameOf` (report.ts) computes it: the `alertname` label
 * when it is a non-empty string, else the summary's first 200 characters. Literal SQL, no
 * parameters: Postgres matches a grouped expression in the select list only when it is the same
 * text. Labels are always written as a JSON object (alerts.service.ts), so Postgres casts them
 * without a guard (it has none before version 16); SQLite's `json_valid` costs nothing.
 */
function alertName(db: Executor): RawBuilder<string> {
  return isPostgres(db)
    ? sql<string>`${sql.raw(
        "coalesce(nullif(case when jsonb_typeof(alerts.labels_json::jsonb -> 'alertname') = 'string' then alerts.labels_json::jsonb ->> 'alertname' end, ''), left(alerts.summary, 200))",
      )}`
    : sql<string>`${sql.raw(
        "coalesce(nullif(case when json_valid(alerts.labels_json) and json_type(alerts.labels_json, '$.alertname') = 'text' then json_extract(alerts.labels_json, '$.alertname') end, ''), substr(alerts.summary, 1, 200))",
      )}`;
}

/**
 * The alert-noise report's numbers, counted in SQL over every alert first seen in the window:
 * totals, low-priority alerts per bucket, the loudest alerts, flapping ones (a service and dedup
 * key opened at least `flapThreshold` times, with its newest alert's labels and summary to name
 * it) and the loudest low-priority ones. Groups are keyed by the alerts' own columns, services
 * named afterwards: on SQLite a join or a wider key in the grouping costs more than the rest.
 */
export async function selectAlertNoise(
  db: Executor,
  q: {
    teamIds: Teams;
    from: number;
    to: number;
    bucket: 'day' | 'week';
    flapThreshold: number;
    top: number;
    topLow: number;
  },
) {
  const seen = () => {
    let query = db
      .selectFrom('alerts')
      .where('alerts.first_seen_at', '>=', q.from)
      .where('alerts.first_seen_at', '<', q.to);
    if (q.teamIds) query = query.where('alerts.team_id', 'in', teamList(q.teamIds));
    return query;
  };
  const isLow = sql<boolean>`${sql.raw(`alerts.severity in ${lowSeverities}`)}`;
  const name = alertName(db);
  const bucket = bucketOf('alerts.first_seen_at', q.bucket);
  const [totals, lowSeries, top, flaps, lowTop] = await Promise.all([
    seen()
      .select([
        sql<number>`count(*)`.as('alerts'),
        sql<number>`count(alerts.incident_id)`.as('became_incidents'),
        sql<number>`sum(case when ${isLow} then 1 else 0 end)`.as('low'),
      ])
      .executeTakeFirstOrThrow(),
    seen()
      .where(isLow)
      .select([bucket.as('bucket'), sql<number>`count(*)`.as('count')])
      .groupBy(bucket)
      .execute(),
    seen()
      .select([
        'alerts.service_id as service_id',
        name.as('alert'),
        sql<number>`count(*)`.as('alerts'),
        sql<number>`sum(alerts.event_count)`.as('events'),
        sql<number>`count(alerts.incident_id)`.as('incidents'),
        // Low priority when every one of its alerts was.
        sql<number>`min(case when ${isLow} then 1 else 0 end)`.as('low'),
      ])
      .groupBy(['alerts.service_id', name])
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(sql`sum(alerts.event_count)`, 'desc')
      .orderBy(name)
      .orderBy('alerts.service_id')
      .limit(q.top)
      .execute(),
    seen()
      .select([
        'alerts.service_id as service_id',
        'alerts.dedup_key as dedup_key',
        sql<string>`max(alerts.id)`.as('newest_id'),
        sql<number>`count(*)`.as('opened'),
      ])
      .groupBy(['alerts.service_id', 'alerts.dedup_key'])
      .having(sql`count(*)`, '>=', q.flapThreshold)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('alerts.service_id')
      .orderBy('alerts.dedup_key')
      .limit(q.top)
      .execute(),
    seen()
      .where(isLow)
      .select([
        'alerts.service_id as service_id',
        name.as('alert'),
        'alerts.severity as severity',
        sql<number>`count(*)`.as('count'),
      ])
      .groupBy(['alerts.service_id', name, 'alerts.severity'])
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(name)
      .orderBy('alerts.service_id')
      .orderBy('alerts.severity')
      .limit(q.topLow)
      .execute(),
  ]);
  const newest = flaps.map((f) => f.newest_id);
  const samples = newest.length
    ? await db
        .selectFrom('alerts')
        .select(['id', 'labels_json', 'summary'])
        .where('id', 'in', newest)
        .execute()
    : [];
  const serviceIds = [...new Set([...top, ...flaps, ...lowTop].map((r) => r.service_id))];
  const services = serviceIds.length
    ? await db.selectFrom('services').select(['id', 'name']).where('id', 'in', serviceIds).execute()
    : [];
  const sampleOf = new Map(samples.map((s) => [s.id, s]));
  const flapping = flaps.map((f) => ({ ...f, sample: sampleOf.get(f.newest_id) }));
  return { totals, lowSeries, top, flapping, lowTop, services };
}

/** Pages (escalation notifications) sent in the window, oldest first, with the incident's
 * acknowledgement. */
/**
 * The reasons of a page that counts as on-call load: escalation, reassignment, a call for help,
 * a low-urgency incident's first-level page. Being made commander (a role, not a page to answer),
 * reminders, stakeholder updates and distribution lists are not.
 */
export const onCallPageReasons = ['escalation', 'reassigned', 'responder', 'low-urgency'] as const;

export async function selectPages(
  db: Executor,
  teamIds: Teams,
  from: number,
  to: number,
  limit: number,
) {
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
      'notification_intents.reason as reason',
    ])
    .where('notification_intents.reason', 'in', [...onCallPageReasons])
    .where('notification_intents.created_at', '>=', from)
    .where('notification_intents.created_at', '<', to);
  if (teamIds) q = q.where('incidents.team_id', 'in', teamList(teamIds));
  return capped(
    await q
      .orderBy('notification_intents.created_at')
      .orderBy('notification_intents.id')
      .limit(limit + 1)
      .execute(),
    limit,
  );
}

export async function selectOverdueItems(db: Executor, teamIds: Teams, now: number, limit: number) {
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
  if (teamIds) q = q.where('action_items.team_id', 'in', teamList(teamIds));
  return capped(
    await q
      .orderBy('action_items.due_at')
      .orderBy('action_items.id')
      .limit(limit + 1)
      .execute(),
    limit,
  );
}
