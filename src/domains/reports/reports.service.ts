import type { Kysely } from 'kysely';
import { isOrgAdmin, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Database } from '../../db/index.js';
import { responseTimes } from '../incidents/index.js';
import {
  alertNameOf,
  availability,
  bucketStart,
  bucketsBetween,
  digestText,
  isoDay,
  mean,
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
  selectAlertsSeen,
  selectCheckDownPeriods,
  selectIncidentsCreated,
  selectOutageIncidents,
  selectOverdueItems,
  selectPages,
  selectServices,
} from './reports.store.js';

const DAY = 86_400_000;
const DIGEST_KEY = 'reports.digest.next-at';
/** Severities below "error" are the low-priority alerts of the noise report. */
const lowPriority = new Set(['warning', 'info']);

/** A report: the data its chart needs, and the table its CSV is. */
export interface Report<T = unknown> {
  from: number;
  to: number;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  data: T;
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
    },
  ) {}

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

  /** MTTA and MTTR per group (service, team or severity) and bucket (day or week). */
  async responseTimes(actor: Actor, q: ResponseTimesQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const incidents = await selectIncidentsCreated(this.deps.db, teamIds, from, to);
    const buckets = bucketsBetween(from, to, q.bucket);
    const groups = new Map<string, { key: string; name: string; items: typeof incidents }>();
    for (const i of incidents) {
      const [key, name] =
        q.groupBy === 'service'
          ? [i.service_id, i.service_name]
          : q.groupBy === 'team'
            ? [i.team_id, i.team_name]
            : [i.severity ?? 'unclassified', i.severity ?? 'unclassified'];
      const g = groups.get(key) ?? { key, name, items: [] };
      g.items.push(i);
      groups.set(key, g);
    }
    const stats = (items: typeof incidents) => {
      const t = items.map((i) =>
        responseTimes({
          createdAt: i.created_at,
          acknowledgedAt: i.acknowledged_at,
          mitigatedAt: i.mitigated_at,
          resolvedAt: i.resolved_at,
        }),
      );
      const acks = t.flatMap((x) => (x.toAcknowledgeMs === null ? [] : [x.toAcknowledgeMs]));
      const res = t.flatMap((x) => (x.toResolveMs === null ? [] : [x.toResolveMs]));
      return {
        incidents: items.length,
        resolved: res.length,
        mttaMs: mean(acks),
        mttrMs: mean(res),
      };
    };
    const data = [...groups.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => ({
        key: g.key,
        name: g.name,
        ...stats(g.items),
        series: buckets.map((b) => ({
          bucket: b,
          ...stats(g.items.filter((i) => bucketStart(i.created_at, q.bucket) === b)),
        })),
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
        overall: stats(incidents),
      },
    } satisfies Report;
  }

  /** Incidents by severity and by service. */
  async incidents(actor: Actor, q: ReportQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const incidents = await selectIncidentsCreated(this.deps.db, teamIds, from, to);
    const bySeverity = new Map<string, number>();
    const byService = new Map<
      string,
      { serviceId: string; service: string; total: number; severities: Record<string, number> }
    >();
    for (const i of incidents) {
      const sev = i.severity ?? 'unclassified';
      bySeverity.set(sev, (bySeverity.get(sev) ?? 0) + 1);
      const s = byService.get(i.service_id) ?? {
        serviceId: i.service_id,
        service: i.service_name,
        total: 0,
        severities: {},
      };
      s.total += 1;
      s.severities[sev] = (s.severities[sev] ?? 0) + 1;
      byService.set(i.service_id, s);
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
        total: incidents.length,
        bySeverity: [...bySeverity]
          .map(([severity, count]) => ({ severity, count }))
          .sort((a, b) => a.severity.localeCompare(b.severity)),
        byService: services,
      },
    } satisfies Report;
  }

  /**
   * Availability per service: down while a SEV1 impacting it was open (until mitigated) or one
   * of its checks was confirmed down; overlapping causes count once.
   */
  async availability(actor: Actor, q: ReportQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const services = await selectServices(this.deps.db, teamIds);
    const { rows: outages, impacted } = await selectOutageIncidents(
      this.deps.db,
      teamIds,
      from,
      to,
    );
    const periods = await selectCheckDownPeriods(this.deps.db, teamIds, from, to);
    // A window that reaches past now is measured up to now: the future is neither up nor down.
    const until = Math.max(from, Math.min(to, this.deps.clock.now()));
    const intervals = new Map<string, Array<[number, number]>>();
    const incidentsOf = new Map<string, Set<string>>();
    const add = (serviceId: string, iv: [number, number]) => {
      const list = intervals.get(serviceId) ?? [];
      list.push(iv);
      intervals.set(serviceId, list);
    };
    for (const o of outages) {
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
    for (const p of periods) add(p.service_id, [p.started_at, p.ended_at ?? until]);
    const data = services.map((s) => {
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
    } satisfies Report;
  }

  /**
   * Alert noise: the loudest alerts (by alerts and events), flapping ones (opened again and
   * again), low-priority alerts' frequency and trend, and the share that became incidents.
   */
  async noise(actor: Actor, q: NoiseQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const alerts = await selectAlertsSeen(this.deps.db, teamIds, from, to);
    const buckets = bucketsBetween(from, to, q.bucket);
    type Top = {
      service: string;
      alert: string;
      alerts: number;
      events: number;
      incidents: number;
      lowPriority: boolean;
    };
    const top = new Map<string, Top>();
    const flaps = new Map<
      string,
      { service: string; dedupKey: string; alert: string; opened: number }
    >();
    const low = new Map<number, number>(buckets.map((b) => [b, 0]));
    const lowTop = new Map<
      string,
      { service: string; alert: string; severity: string; count: number }
    >();
    let becameIncidents = 0;
    let lowTotal = 0;
    for (const a of alerts) {
      const name = alertNameOf(a.labels_json, a.summary);
      const key = `${a.service_id}\u0000${name}`;
      const t = top.get(key) ?? {
        service: a.service_name,
        alert: name,
        alerts: 0,
        events: 0,
        incidents: 0,
        lowPriority: lowPriority.has(a.severity),
      };
      t.alerts += 1;
      t.events += a.event_count;
      if (a.incident_id) t.incidents += 1;
      top.set(key, t);
      if (a.incident_id) becameIncidents += 1;
      const fk = `${a.service_id}\u0000${a.dedup_key}`;
      const f = flaps.get(fk) ?? {
        service: a.service_name,
        dedupKey: a.dedup_key,
        alert: name,
        opened: 0,
      };
      f.opened += 1;
      flaps.set(fk, f);
      if (lowPriority.has(a.severity)) {
        lowTotal += 1;
        const b = bucketStart(a.first_seen_at, q.bucket);
        low.set(b, (low.get(b) ?? 0) + 1);
        const lk = `${key}\u0000${a.severity}`;
        const l = lowTop.get(lk) ?? {
          service: a.service_name,
          alert: name,
          severity: a.severity,
          count: 0,
        };
        l.count += 1;
        lowTop.set(lk, l);
      }
    }
    const topAlerts = [...top.values()]
      .sort((a, b) => b.alerts - a.alerts || b.events - a.events || a.alert.localeCompare(b.alert))
      .slice(0, 50);
    const series = buckets.map((b) => ({ bucket: b, count: low.get(b) ?? 0 }));
    return {
      from,
      to,
      columns: ['service', 'alert', 'alerts', 'events', 'incidents', 'lowPriority'],
      rows: topAlerts,
      data: {
        totals: {
          alerts: alerts.length,
          becameIncidents,
          incidentShare: alerts.length
            ? Math.round((becameIncidents / alerts.length) * 1000) / 1000
            : null,
          lowPriority: lowTotal,
        },
        topAlerts,
        flapping: [...flaps.values()]
          .filter((f) => f.opened >= q.flapThreshold)
          .sort((a, b) => b.opened - a.opened)
          .slice(0, 50),
        lowPriority: {
          total: lowTotal,
          perDay: Math.round((lowTotal / Math.max(1, (to - from) / DAY)) * 100) / 100,
          bucket: q.bucket,
          series,
          trend: trendOf(series.map((s) => s.count)),
          top: [...lowTop.values()].sort((a, b) => b.count - a.count).slice(0, 20),
        },
      },
    } satisfies Report;
  }

  /** Pages per person, off-hours and sleep-hour pages (in `timeZone`), time to acknowledge. */
  async oncallLoad(actor: Actor, q: OncallLoadQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const pages = await selectPages(this.deps.db, teamIds, from, to);
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
      }
    >();
    const firstPage = new Map<string, number>();
    for (const p of pages) {
      const who = people.get(p.user_id) ?? {
        userId: p.user_id,
        name: p.name,
        pages: 0,
        offHours: 0,
        sleepHours: 0,
        acks: [],
        incidents: new Set<string>(),
      };
      who.pages += 1;
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
    } satisfies Report;
  }

  /** Open action items past their due date. */
  async overdueActionItems(actor: Actor, q: ReportQuery) {
    const { teamIds, from, to } = this.scope(actor, q);
    const now = this.deps.clock.now();
    const items = (await selectOverdueItems(this.deps.db, teamIds, now)).map((i) => ({
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
    } satisfies Report;
  }
}
