import type { Kysely } from 'kysely';
import { isOrgAdmin, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Database } from '../../db/index.js';
import {
  alertNameOf,
  availability,
  bucketStart,
  bucketsBetween,
  digestText,
  isoDay,
  median,
  nextDigestAt,
  pageHours,
  trendOf,
  unionLength,
} from './report.js';
import type {
  NoiseQuery,
  OncallLoadQuery,
  ReportQuery,
  ResponseTimesQuery,
} from './reports.schema.js';
import {
  selectAlertNoise,
  selectCheckDownPeriods,
  selectIncidentCounts,
  selectOutageIncidents,
  selectOverdueItems,
  selectPages,
  selectResponseTimeStats,
  selectServices,
} from './reports.store.js';

const DAY = 86_400_000;
const DIGEST_KEY = 'reports.digest.next-at';
/** Rows a report reads at most where it needs the rows themselves (see `truncated`). */
const defaultRowLimit = 100_000;
/** Overdue action items listed at most. */
const overdueLimit = 10_000;

/** A report: the data its chart needs, and the table its CSV is. */
export interface Report<T = unknown> {
  from: number;
  to: number;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  data: T;
  /**
   * True when the report needed more rows than it reads (`rowLimit`): its numbers then cover
   * the oldest part of the window only. Reports that count in SQL are never truncated.
   */
  truncated: boolean;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round((ms / 60_000) * 10) / 10);

/**
 * Reports over incidents, alerts, pages and action items (the postmortems issue): MTTA / MTTR
 * per service, team or severity over time; incidents by severity and service; availability per
 * service (SEV1 impact windows and checks' down periods); alert noise; on-call load; overdue
 * action items. Every report covers the teams the actor belongs to (org admins: all).
 */
export class ReportsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      /** Sends the weekly digest (email), composed by app/ from the notifier port. */
      notify?: (
        people: Array<{ id: string; email: string; name: string }>,
        text: string,
      ) => Promise<void>;
      /** Whether the weekly digest is on (the postmortem settings). */
      digestEnabled?: () => Promise<boolean>;
      /** Rows a report reads at most where it needs rows (100,000; tests make it small). */
      rowLimit?: number;
    },
  ) {}

  private get rowLimit(): number {
    return this.deps.rowLimit ?? defaultRowLimit;
  }

  /**
   * Engine: on Monday 08:00 UTC, mails each team's admins (its leads) last week's incidents,
   * MTTA / MTTR, low-priority alerts and overdue action items. The next send time is a row,
   * moved on before sending: a crash skips a digest rather than sending it twice.
   */
  async weeklyDigest(now: number): Promise<number> {
    const db = this.deps.db;
    const row = await db
      .selectFrom('org_settings')
      .select('value_json')
      .where('key', '=', DIGEST_KEY)
      .executeTakeFirst();
    const dueAt = row ? Number(JSON.parse(row.value_json)) : undefined;
    if (dueAt !== undefined && dueAt > now) return 0;
    await db
      .insertInto('org_settings')
      .values({
        key: DIGEST_KEY,
        value_json: JSON.stringify(nextDigestAt(now)),
        updated_by: 'tocsin',
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ value_json: JSON.stringify(nextDigestAt(now)), updated_at: now }),
      )
      .execute();
    // The first run only schedules; so does a run with the digest switched off.
    if (dueAt === undefined || !this.deps.notify) return 0;
    if (this.deps.digestEnabled && !(await this.deps.digestEnabled())) return 1;
    const to = bucketStart(now, 'week');
    const from = to - 7 * DAY;
    const teams = await db.selectFrom('teams').select(['id', 'name']).orderBy('name').execute();
    let sent = 0;
    for (const team of teams) {
      const admins = await db
        .selectFrom('team_members')
        .innerJoin('users', 'users.id', 'team_members.user_id')
        .select(['users.id as id', 'users.email as email', 'users.name as name'])
        .where('team_members.team_id', '=', team.id)
        .where('team_members.role', '=', 'admin')
        .where('users.disabled', '=', 0)
        .execute();
      if (admins.length === 0) continue;
      const system = { type: 'system', name: 'digest' } as const;
      const q = { from, to, teamId: team.id, format: 'json' as const };
      const times = await this.responseTimes(system, { ...q, groupBy: 'severity', bucket: 'week' });
      const noise = await this.noise(system, { ...q, bucket: 'week', flapThreshold: 3 });
      const overdue = await this.overdueActionItems(system, q);
      await this.deps.notify(
        admins,
        digestText({
          team: team.name,
          from,
          to,
          incidents: times.data.overall.incidents,
          bySeverity: times.data.groups.map((g) => ({ severity: g.name, count: g.incidents })),
          mttaMs: times.data.overall.mttaMs,
          mttrMs: times.data.overall.mttrMs,
          lowPriorityAlerts: noise.data.lowPriority.total,
          overdue: overdue.data.items.map((i) => ({
            title: i.title,
            owner: i.owner,
            daysOverdue: i.daysOverdue,
          })),
        }),
      );
      sent += 1;
    }
    return Math.max(sent, 1);
  }

  /** When the next digest is due (for the engine's sleep), if scheduled. */
  async nextDigestDueAt(): Promise<number | undefined> {
    const row = await this.deps.db
      .selectFrom('org_settings')
      .select('value_json')
      .where('key', '=', DIGEST_KEY)
      .executeTakeFirst();
    return row ? Number(JSON.parse(row.value_json)) : undefined;
  }

  private scope(
    actor: Actor,
    q: ReportQuery,
  ): { teamIds: string[] | undefined; from: number; to: number } {
    const to = q.to ?? this.deps.clock.now();
    const from = q.from ?? to - 30 * DAY;
    if (from >= to)
      throw new AppError({
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        field: 'from',
        message: 'from must be before to',
      });
    if (to - from > 400 * DAY)
      throw new AppError({
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        field: 'from',
        message: 'At most 400 days',
      });
    let teamIds: string[] | undefined = isOrgAdmin(actor)
      ? undefined
      : actor.type === 'apikey'
        ? [actor.teamId]
        : actor.type === 'user'
          ? [...actor.roles.keys()]
          : [];
    if (q.teamId) {
      if (roleInTeam(actor, q.teamId) === undefined) throw notFound('Team', 'TEAM_NOT_FOUND');
      teamIds = [q.teamId];
    }
    return { teamIds, from, to };
  }

  /**
   * MTTA and MTTR per group (service, team or severity) and bucket (day or week), from sums and
   * counts per group and bucket (SQL), so every incident of the window counts.
   */
  async responseTimes(actor: Actor, q: ResponseTimesQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const cells = await selectResponseTimeStats(
      this.deps.db,
      teamIds,
      from,
      to,
      q.groupBy,
      q.bucket,
    );
    const buckets = bucketsBetween(from, to, q.bucket);
    type Sums = {
      incidents: number;
      acknowledged: number;
      ackMs: number;
      resolved: number;
      resolveMs: number;
    };
    const zero = (): Sums => ({
      incidents: 0,
      acknowledged: 0,
      ackMs: 0,
      resolved: 0,
      resolveMs: 0,
    });
    const add = (into: Sums, c: (typeof cells)[number]) => {
      into.incidents += Number(c.incidents);
      into.acknowledged += Number(c.acknowledged);
      into.ackMs += Number(c.ack_ms ?? 0);
      into.resolved += Number(c.resolved);
      into.resolveMs += Number(c.resolve_ms ?? 0);
    };
    const stats = (x: Sums) => ({
      incidents: x.incidents,
      resolved: x.resolved,
      mttaMs: x.acknowledged ? x.ackMs / x.acknowledged : null,
      mttrMs: x.resolved ? x.resolveMs / x.resolved : null,
    });
    const groups = new Map<
      string,
      { key: string; name: string; all: Sums; perBucket: Map<number, Sums> }
    >();
    const overall = zero();
    for (const c of cells) {
      const g = groups.get(c.key) ?? {
        key: c.key,
        name: c.name,
        all: zero(),
        perBucket: new Map(),
      };
      add(g.all, c);
      const bucket = Number(c.bucket);
      const cell = g.perBucket.get(bucket) ?? zero();
      add(cell, c);
      g.perBucket.set(bucket, cell);
      groups.set(c.key, g);
      add(overall, c);
    }
    const data = [...groups.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => ({
        key: g.key,
        name: g.name,
        ...stats(g.all),
        series: buckets.map((b) => ({ bucket: b, ...stats(g.perBucket.get(b) ?? zero()) })),
      }));
    const rows = data.flatMap((g) =>
      g.series
        .filter((s) => s.incidents > 0)
        .map((s) => ({
          bucket: isoDay(s.bucket),
          [q.groupBy]: g.name,
          incidents: s.incidents,
          resolved: s.resolved,
          mtta_minutes: minutes(s.mttaMs),
          mttr_minutes: minutes(s.mttrMs),
        })),
    );
    return {
      from,
      to,
      columns: ['bucket', q.groupBy, 'incidents', 'resolved', 'mtta_minutes', 'mttr_minutes'],
      rows,
      data: {
        groupBy: q.groupBy,
        bucket: q.bucket,
        buckets,
        groups: data,
        overall: stats(overall),
      },
      truncated: false,
    } satisfies Report;
  }

  /** Incidents by severity and by service (counted in SQL). */
  async incidents(actor: Actor, q: ReportQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const counts = await selectIncidentCounts(this.deps.db, teamIds, from, to);
    const bySeverity = new Map<string, number>();
    const byService = new Map<
      string,
      { serviceId: string; service: string; total: number; severities: Record<string, number> }
    >();
    let total = 0;
    for (const c of counts) {
      const n = Number(c.count);
      total += n;
      bySeverity.set(c.severity, (bySeverity.get(c.severity) ?? 0) + n);
      const s = byService.get(c.service_id) ?? {
        serviceId: c.service_id,
        service: c.service_name,
        total: 0,
        severities: {},
      };
      s.total += n;
      s.severities[c.severity] = (s.severities[c.severity] ?? 0) + n;
      byService.set(c.service_id, s);
    }
    const services = [...byService.values()].sort(
      (a, b) => b.total - a.total || a.service.localeCompare(b.service),
    );
    return {
      from,
      to,
      columns: ['service', 'total', 'SEV1', 'SEV2', 'SEV3', 'unclassified'],
      rows: services.map((s) => ({
        service: s.service,
        total: s.total,
        SEV1: s.severities.SEV1 ?? 0,
        SEV2: s.severities.SEV2 ?? 0,
        SEV3: s.severities.SEV3 ?? 0,
        unclassified: s.severities.unclassified ?? 0,
      })),
      data: {
        total,
        bySeverity: [...bySeverity]
          .map(([severity, count]) => ({ severity, count }))
          .sort((a, b) => a.severity.localeCompare(b.severity)),
        byService: services,
      },
      truncated: false,
    } satisfies Report;
  }

  /**
   * Availability per service: down while a SEV1 impacting it was open (until mitigated) or one
   * of its checks was confirmed down; overlapping causes count once.
   */
  async availability(actor: Actor, q: ReportQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const limit = this.rowLimit;
    const services = await selectServices(this.deps.db, teamIds, limit);
    const outages = await selectOutageIncidents(this.deps.db, teamIds, from, to, limit);
    const periods = await selectCheckDownPeriods(this.deps.db, teamIds, from, to, limit);
    const impacted = outages.impacted;
    // A window that reaches past now is measured up to now: the future is neither up nor down.
    const until = Math.max(from, Math.min(to, this.deps.clock.now()));
    const intervals = new Map<string, Array<[number, number]>>();
    const incidentsOf = new Map<string, Set<string>>();
    const add = (serviceId: string, iv: [number, number]) => {
      const list = intervals.get(serviceId) ?? [];
      list.push(iv);
      intervals.set(serviceId, list);
    };
    for (const o of outages.rows) {
      const end = o.mitigated_at ?? o.resolved_at ?? until;
      const ids = new Set([
        o.service_id,
        ...impacted.filter((x) => x.incident_id === o.id).map((x) => x.service_id),
      ]);
      for (const s of ids) {
        add(s, [o.created_at, end]);
        const set = incidentsOf.get(s) ?? new Set();
        set.add(o.id);
        incidentsOf.set(s, set);
      }
    }
    for (const p of periods.rows) add(p.service_id, [p.started_at, p.ended_at ?? until]);
    const data = services.rows.map((s) => {
      // A service added during the window is measured from its creation.
      const start = Math.max(from, s.created_at);
      const down = unionLength(intervals.get(s.id) ?? [], start, until);
      return {
        serviceId: s.id,
        service: s.name,
        team: s.team_name,
        outages: incidentsOf.get(s.id)?.size ?? 0,
        ...availability(down, Math.max(0, until - start)),
      };
    });
    return {
      from,
      to,
      columns: [
        'service',
        'team',
        'availabilityPct',
        'downtimeMinutes',
        'yearlyDowntimeMinutes',
        'outages',
      ],
      rows: data,
      data: { services: data },
      truncated: services.truncated || outages.truncated || periods.truncated,
    } satisfies Report;
  }

  /**
   * Alert noise: the loudest alerts (by alerts and events), flapping ones (opened again and
   * again), low-priority alerts' frequency and trend, and the share that became incidents. All
   * counted in SQL, over every alert of the window.
   */
  async noise(actor: Actor, q: NoiseQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const noise = await selectAlertNoise(this.deps.db, {
      teamIds,
      from,
      to,
      bucket: q.bucket,
      flapThreshold: q.flapThreshold,
      top: 50,
      topLow: 20,
    });
    const buckets = bucketsBetween(from, to, q.bucket);
    const low = new Map(noise.lowSeries.map((s) => [Number(s.bucket), Number(s.count)]));
    const alerts = Number(noise.totals.alerts);
    const becameIncidents = Number(noise.totals.became_incidents);
    const lowTotal = Number(noise.totals.low ?? 0);
    const serviceName = new Map(noise.services.map((s) => [s.id, s.name]));
    const service = (id: string) => serviceName.get(id) ?? id;
    const topAlerts = noise.top.map((t) => ({
      service: service(t.service_id),
      alert: t.alert,
      alerts: Number(t.alerts),
      events: Number(t.events),
      incidents: Number(t.incidents),
      lowPriority: Number(t.low) === 1,
    }));
    const series = buckets.map((b) => ({ bucket: b, count: low.get(b) ?? 0 }));
    return {
      from,
      to,
      columns: ['service', 'alert', 'alerts', 'events', 'incidents', 'lowPriority'],
      rows: topAlerts,
      data: {
        totals: {
          alerts,
          becameIncidents,
          incidentShare: alerts ? Math.round((becameIncidents / alerts) * 1000) / 1000 : null,
          lowPriority: lowTotal,
        },
        topAlerts,
        flapping: noise.flapping.map((f) => ({
          service: service(f.service_id),
          dedupKey: f.dedup_key,
          // Named as its newest alert is.
          alert: f.sample ? alertNameOf(f.sample.labels_json, f.sample.summary) : f.dedup_key,
          opened: Number(f.opened),
        })),
        lowPriority: {
          total: lowTotal,
          perDay: Math.round((lowTotal / Math.max(1, (to - from) / DAY)) * 100) / 100,
          bucket: q.bucket,
          series,
          trend: trendOf(series.map((s) => s.count)),
          top: noise.lowTop.map((l) => ({
            service: service(l.service_id),
            alert: l.alert,
            severity: l.severity,
            count: Number(l.count),
          })),
        },
      },
      truncated: false,
    } satisfies Report;
  }

  /**
   * Pages per person (escalation, reassignment, help, low urgency; by reason in `data`),
   * off-hours and sleep-hour pages (in `timeZone`), time to acknowledge.
   */
  async oncallLoad(actor: Actor, q: OncallLoadQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const pages = await selectPages(this.deps.db, teamIds, from, to, this.rowLimit);
    const people = new Map<
      string,
      {
        userId: string;
        name: string;
        pages: number;
        offHours: number;
        sleepHours: number;
        acks: number[];
        incidents: Set<string>;
        byReason: Record<string, number>;
      }
    >();
    const firstPage = new Map<string, number>();
    for (const p of pages.rows) {
      const who = people.get(p.user_id) ?? {
        userId: p.user_id,
        name: p.name,
        pages: 0,
        offHours: 0,
        sleepHours: 0,
        acks: [],
        incidents: new Set<string>(),
        byReason: {},
      };
      who.pages += 1;
      who.byReason[p.reason] = (who.byReason[p.reason] ?? 0) + 1;
      const hours = pageHours(p.at, q.timeZone);
      if (hours !== 'work') who.offHours += 1;
      if (hours === 'sleep') who.sleepHours += 1;
      const k = `${p.user_id}\u0000${p.incident_id}`;
      if (!firstPage.has(k)) {
        firstPage.set(k, p.at);
        // Time to acknowledge: from this person's first page to their acknowledgement. Who
        // acknowledged is matched by user id (by name only for acknowledgements stored before
        // the id was kept, migration 0013).
        const ackedByThem =
          p.acknowledged_by_id !== null
            ? p.acknowledged_by_id === p.user_id
            : p.acknowledged_by === p.name;
        if (p.acknowledged_at !== null && ackedByThem && p.acknowledged_at >= p.at)
          who.acks.push(p.acknowledged_at - p.at);
      }
      who.incidents.add(p.incident_id);
      people.set(p.user_id, who);
    }
    const data = [...people.values()]
      .map((p) => ({
        userId: p.userId,
        name: p.name,
        pages: p.pages,
        incidents: p.incidents.size,
        offHours: p.offHours,
        sleepHours: p.sleepHours,
        acknowledged: p.acks.length,
        medianAckMs: median(p.acks),
        // Pages by why they were sent (escalation, reassigned, responder, low-urgency).
        byReason: p.byReason,
      }))
      .sort((a, b) => b.pages - a.pages || a.name.localeCompare(b.name));
    return {
      from,
      to,
      columns: [
        'name',
        'pages',
        'incidents',
        'offHours',
        'sleepHours',
        'acknowledged',
        'medianAckMinutes',
      ],
      rows: data.map((d) => ({ ...d, medianAckMinutes: minutes(d.medianAckMs) })),
      data: { timeZone: q.timeZone, people: data },
      truncated: pages.truncated,
    } satisfies Report;
  }

  /** Open action items past their due date. */
  async overdueActionItems(actor: Actor, q: ReportQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const now = this.deps.clock.now();
    const overdue = await selectOverdueItems(
      this.deps.db,
      teamIds,
      now,
      Math.min(this.rowLimit, overdueLimit),
    );
    const items = overdue.rows.map((i) => ({
      id: i.id,
      title: i.title,
      priority: i.priority,
      status: i.status,
      team: i.team_name,
      owner: i.owner_name,
      incident: i.incident_number,
      postmortemId: i.postmortem_id,
      dueAt: i.due_at,
      daysOverdue: Math.floor((now - (i.due_at ?? now)) / DAY),
      external: i.external_key,
    }));
    return {
      from,
      to,
      columns: [
        'title',
        'priority',
        'status',
        'team',
        'owner',
        'incident',
        'daysOverdue',
        'external',
      ],
      rows: items,
      data: { items },
      truncated: overdue.truncated,
    } satisfies Report;
  }
}
