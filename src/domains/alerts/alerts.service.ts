import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, userIdOf, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { storableText } from '../../core/text.js';
import {
  inTransaction,
  isUniqueViolation,
  type ConfigVersion,
  type Database,
  type Executor,
  type NewRow,
  type Row,
} from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { selectTeamById } from '../identity/index.js';
import {
  acknowledgeIncidentIn,
  addTimelineEntry,
  AlertIncidents,
  IncidentResolvedMeanwhile,
  lockIncidentIn,
  resolveIncidentIn,
  type Incident,
} from '../incidents/index.js';
import {
  allMatch,
  decideMute,
  loadInhibitRules,
  loadMuteRules,
  type InhibitRule,
  type Matcher,
  type MuteContext,
} from '../muting/index.js';
import { queueDistributionList, startEscalation } from '../oncall/index.js';
import { loadService, type Service } from '../services/index.js';
import { decideDedup, groupKeyOf, repeatNote, toAlert, type Alert } from './alert.js';
import type { AlertQueryInput, CreateEventRuleInput } from './alerts.schema.js';
import {
  acknowledgeIfAllMuted,
  inhibitionEquals,
  inhibitionScanLimit,
  isInhibitionSource,
  MuteRejudge,
  requestRejudge,
  retriggerIfAckedByMuting,
} from './mute-rejudge.js';
import {
  countAlertEvents,
  countOpenAlertsOfIncident,
  deleteEventRuleRow,
  insertAlertEvent,
  insertAlertEvents,
  insertAlerts,
  insertChange,
  insertEventRule,
  lockAlert,
  selectAlert,
  selectAlertEvents,
  selectAlerts,
  selectChanges,
  selectEventRule,
  selectEventRules,
  selectExpiredAlerts,
  selectOpenAlert,
  selectInhibitionCandidates,
  selectOpenAlertOfIntegration,
  selectOpenAlertsByKeys,
  selectOpenAlertsOfIncident,
  updateAlertOnRepeat,
  updateAlertRow,
} from './alerts.store.js';
import type {
  IngestOutcome,
  MuteReason,
  NormalizedChange,
  NormalizedEvent,
  Route,
} from './event.js';
import { maxEventsPerRequest, type IntegrationRef } from './ingest-port.js';
import { RateLimiter } from './rate-limit.js';
import {
  applyEventRules,
  lowUrgencyNotice,
  matchableFields,
  notifyResponseTargetMs,
  routeBySeverity,
  type EventRule,
} from './routing.js';

/** An open alert's timeline entry, for the alert detail page. */
export interface AlertEvent {
  id: string;
  at: number;
  action: string;
  actorName: string;
  note: string | null;
}

/** Most timeline rows `get` returns for one alert (the newest). */
export const alertEventsShown = 200;

/** An alert as its page shows it: the raw payload and the newest of its timeline. */
export type AlertDetail = Alert & {
  raw: unknown;
  /** The newest `alertEventsShown` rows, oldest first. */
  events: AlertEvent[];
  /** All of its rows; more than `events.length` when older ones are left out. */
  eventsTotal: number;
};

/** A stored change event. */
export interface ChangeEvent {
  id: string;
  serviceId: string;
  summary: string;
  source: string | null;
  occurredAt: number;
  details: unknown;
  links: unknown;
}

export function toEventRule(r: Row<'event_rules'>): EventRule {
  return {
    id: r.id,
    teamId: r.team_id,
    position: r.position,
    name: r.name,
    matchers: JSON.parse(r.matchers_json) as Matcher[],
    actions: JSON.parse(r.actions_json) as EventRule['actions'],
    enabled: r.enabled === 1,
  };
}

/** Longest summary kept (PagerDuty's limit); a longer one is cut. */
const maxSummaryChars = 1024;

/** Most requests committed in one group transaction. */
const groupCommitMax = 64;

/** A unique-index violation on either store: a concurrent writer got there first. */
/**
 * Worth running the request again in a new transaction: a concurrent writer created the same
 * alert or incident first, resolved the incident an alert was joining, or (Postgres) the two
 * deadlocked or could not be serialised.
 */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return (
    isUniqueViolation(err) ||
    err instanceof IncidentResolvedMeanwhile ||
    code === '40P01' ||
    code === '40001'
  );
}

/**
 * What ingesting reads and never writes (services, event rules, muting rules), kept across
 * requests for one value of the configuration counter (db/config-version.ts: triggers bump it on
 * every write to those tables, on any node). Muting rules are kept with every window not ended
 * when they were read; whether one is in force is decided at each event's instant.
 */
interface ConfigCache {
  version: number;
  services: Map<string, Service | undefined>;
  eventRules: Map<string, EventRule[]>;
  muteRules: Map<string, Omit<MuteContext, 'openAlerts'>>;
}
const newConfigCache = (version: number): ConfigCache => ({
  version,
  services: new Map(),
  eventRules: new Map(),
  muteRules: new Map(),
});

/** An event after its rules: the service it goes to (none when dropped) and its dedup key. */
interface PreparedEvent {
  ruled: ReturnType<typeof applyEventRules>;
  dedupKey: string;
  svc: Service | undefined;
  /** The key was generated here (a trigger without one): no alert can have it yet. */
  generatedKey: boolean;
  /** A trigger's labels, group key and route (before muting). */
  trigger?: { labels: Record<string, string>; groupKey: string; route: Route | null };
}

/**
 * What a group writes, kept and written together: new incidents (and the counts of joined ones)
 * first, then new alerts and their timeline rows, then incident timeline entries, then what
 * refers to new incidents (escalations, distribution-list messages). Flushed before any other
 * write and before any read that must see them, so every statement sees the rows before it.
 */
class GroupWrites {
  alerts: NewRow<'alerts'>[] = [];
  events: NewRow<'alert_events'>[] = [];
  readonly incidents = new AlertIncidents();
  after: Array<(trx: Executor) => Promise<void>> = [];

  async flush(trx: Executor): Promise<void> {
    await this.incidents.writeIncidents(trx);
    if (this.alerts.length > 0) await insertAlerts(trx, this.alerts);
    if (this.events.length > 0) await insertAlertEvents(trx, this.events);
    this.alerts = [];
    this.events = [];
    await this.incidents.writeTimeline(trx);
    const after = this.after;
    this.after = [];
    for (const write of after) await write(trx);
  }
}

/** One group transaction: its instant (the group commits together), caches and buffers. */
interface GroupContext {
  trx: Executor;
  now: number;
  cache: ConfigCache;
  writes: GroupWrites;
  /** Prefetched open alerts by pairKey (null: known to have none); each is used once. */
  open: Map<string, Row<'alerts'> | null>;
  /** An incident was acknowledged or re-triggered by a change of muting (wake the engine). */
  incidentChanged?: boolean;
}

const pairKey = (serviceId: string, dedupKey: string) => `${serviceId}\u0000${dedupKey}`;

/**
 * The alert pipeline (normalise happened in the source adapter):
 * event rules → dedup → mute → route by severity → group into an incident.
 * Every decision is a pure function (alert.ts, routing.ts, muting); this class loads their
 * inputs, applies their results in one transaction per request, and answers after the commit.
 */
/** Longest raw payload kept as sent (JSON text); a longer one is kept as a marked prefix. */
const maxRawChars = 600_000;

/** The raw payload as stored: valid JSON always, a `{truncated, chars, prefix}` object when long. */
export function storableRaw(raw: unknown): string {
  const text = JSON.stringify(raw ?? null);
  if (text.length <= maxRawChars) return text;
  return JSON.stringify({
    truncated: true,
    chars: text.length,
    prefix: storableText(text, maxRawChars / 6), // escaping grows it at most 6×
  });
}

/** A stored raw payload; rows written before payloads were cut cleanly may hold broken JSON. */
function readRaw(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { truncated: true, chars: text.length, prefix: text.slice(0, maxRawChars / 6) };
  }
}

export class AlertsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      onNewWork?: () => void;
      /** The configuration counter; without it nothing is cached across transactions. */
      configVersion?: ConfigVersion;
      /**
       * Group concurrent requests into one transaction. Right for SQLite (one writer; the fsync
       * is the cost); on Postgres, concurrent transactions on the pool measured faster.
       */
      groupCommit?: boolean;
      /**
       * Group transactions at once (default 1). More overlap the round trips of one with the
       * work of another on Postgres; SQLite has one connection, so one.
       */
      concurrentGroups?: number;
    },
  ) {}

  /**
   * Ingests one request's events atomically and answers after the commit. Requests that arrive
   * while a commit is in progress are committed together in the next transaction (group commit):
   * one commit — one fsync on SQLite — for the whole group, each request still answered only
   * once its events are durable. If a grouped transaction fails, its requests are retried one by
   * one, so one bad request never fails another.
   */
  ingest(integration: IntegrationRef, events: NormalizedEvent[]): Promise<IngestOutcome[]> {
    const refused = this.admit(integration, events.length);
    if (refused) return Promise.reject(refused);
    if (this.deps.groupCommit === false) return this.ingestAlone(integration, events);
    return new Promise((resolve, reject) => {
      this.pending.push({ integration, events, resolve, reject });
      if (this.flushers < (this.deps.concurrentGroups ?? 1)) {
        this.flushers++;
        // Let the requests already parsed in this turn of the event loop join the first group.
        setImmediate(() => void this.flush());
      }
    });
  }

  private readonly limiter = new RateLimiter();

  /**
   * Charges a request's events to its key's per-minute limit, before anything is queued or read:
   * the error when the request is refused (whole, so a sender's retry stores each event once).
   * Sources cap a request's events first, with their own 4xx; the cap here only backs them up.
   */
  private admit(integration: IntegrationRef, events: number): AppError | undefined {
    const limit = integration.rateLimitPerMinute;
    // Refs built inside Tocsin (checks, tests) carry no limit and may batch more.
    if (limit === undefined) return undefined;
    if (events > maxEventsPerRequest) {
      return new AppError({
        kind: 'too_large',
        code: 'INGEST_TOO_MANY_EVENTS',
        message: `A request may carry at most ${maxEventsPerRequest} events; this one has ${events}`,
      });
    }
    const wait = this.limiter.take(integration.id, limit, events, this.deps.clock.now());
    if (wait === 0) return undefined;
    return new AppError({
      kind: 'rate_limited',
      code: 'INTEGRATION_RATE_LIMITED',
      message: `This key is limited to ${limit} events a minute`,
      retryAfterSeconds: wait,
    });
  }

  private readonly pending: Array<{
    integration: IntegrationRef;
    events: NormalizedEvent[];
    resolve: (o: IngestOutcome[]) => void;
    reject: (e: unknown) => void;
  }> = [];
  /** Group transactions under way (each a loop taking groups off `pending` until it is empty). */
  private flushers = 0;

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, groupCommitMax);
        if (group.length === 1) {
          const only = group[0]!;
          await this.ingestAlone(only.integration, only.events).then(only.resolve, only.reject);
          continue;
        }
        try {
          const results = await this.ingestGroup(group);
          if (results.some((r) => r.newWork)) this.deps.onNewWork?.();
          group.forEach((item, i) => item.resolve(results[i]!.outcomes));
        } catch {
          // One bad request (or a concurrent group that created the same alert first) must not
          // fail the others: each is retried alone.
          for (const item of group)
            await this.ingestAlone(item.integration, item.events).then(item.resolve, item.reject);
        }
      }
    } finally {
      this.flushers--;
    }
  }

  /**
   * One request in its own transaction, retried (up to 3 times) when a concurrent writer created
   * the same alert or incident first (the retry then finds and joins it) or resolved the incident
   * it was joining (the retry opens a new one).
   */
  private async ingestAlone(
    integration: IntegrationRef,
    events: NormalizedEvent[],
  ): Promise<IngestOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [result] = await this.ingestGroup([{ integration, events }]);
        if (result!.newWork) this.deps.onNewWork?.();
        return result!.outcomes;
      } catch (err) {
        if (attempt >= 3 || !isRetryable(err)) throw err;
      }
    }
  }

  private cache: ConfigCache = newConfigCache(-1);

  /**
   * The cache for the configuration as it is now: a fresh read of the counter (not a shared one),
   * so a group sees every silence or rule committed before it began. Without a counter, a new
   * cache every time (read per transaction).
   */
  private async configCache(): Promise<ConfigCache> {
    if (!this.deps.configVersion) return newConfigCache(-1);
    const version = await this.deps.configVersion.fresh();
    if (version !== this.cache.version) this.cache = newConfigCache(version);
    return this.cache;
  }

  /**
   * The requests of one group in one transaction, in arrival order. First every event gets its
   * rules, service and dedup key; then the open alerts of keys that occur once in the group are
   * read together; then each event is applied. New alerts and their timeline rows are buffered
   * and inserted many to a statement, before any other write and at the end, so every statement
   * sees the rows before it.
   */
  private async ingestGroup(
    items: Array<{ integration: IntegrationRef; events: NormalizedEvent[] }>,
  ): Promise<Array<{ outcomes: IngestOutcome[]; newWork: boolean }>> {
    const cache = await this.configCache();
    return inTransaction(this.deps.db, async (trx) => {
      // The group's requests share one instant and what they read that ingesting does not change.
      const ctx: GroupContext = {
        trx,
        now: this.deps.clock.now(),
        cache,
        writes: new GroupWrites(),
        open: new Map(),
      };
      const prepared: PreparedEvent[][] = [];
      for (const item of items)
        prepared.push(await this.prepareEvents(ctx, item.integration, item.events));
      await this.prefetchOpenAlerts(ctx, prepared.flat());
      const out = [];
      for (const [i, item] of items.entries())
        out.push(await this.applyEvents(ctx, item.integration, prepared[i]!));
      await ctx.writes.flush(trx);
      if (ctx.incidentChanged && out[0]) out[0].newWork = true;
      return out;
    });
  }

  /** Event rules, the (possibly re-routed) service and the dedup key of each event. */
  private async prepareEvents(
    ctx: GroupContext,
    integration: IntegrationRef,
    events: NormalizedEvent[],
  ): Promise<PreparedEvent[]> {
    const { cache, trx } = ctx;
    const service = async (id: string) => {
      if (!cache.services.has(id)) cache.services.set(id, await loadService(trx, id));
      return cache.services.get(id);
    };
    let rules = cache.eventRules.get(integration.teamId);
    if (!rules) {
      rules = (await selectEventRules(trx, [integration.teamId])).map(toEventRule);
      cache.eventRules.set(integration.teamId, rules);
    }
    const out: PreparedEvent[] = [];
    for (const sent of events) {
      // Cut before the labels are made: matchers see the summary as a label, which must not be
      // the whole annotation or subject line a source took it from.
      const original =
        sent.summary.length > maxSummaryChars
          ? { ...sent, summary: storableText(sent.summary, maxSummaryChars) }
          : sent;
      const ruled = applyEventRules(original, integration.serviceId, rules);
      const generatedKey = ruled.event.dedupKey === undefined;
      const dedupKey = storableText(ruled.event.dedupKey ?? newId(), 255);
      if (ruled.outcome === 'drop') {
        out.push({ ruled, dedupKey, svc: undefined, generatedKey });
        continue;
      }
      // A rule may send the event to another service, but only one of the same team.
      let svc = await service(ruled.serviceId);
      if (!svc || svc.teamId !== integration.teamId) svc = await service(integration.serviceId);
      if (!svc)
        throw new AppError({
          kind: 'not_found',
          code: 'SERVICE_NOT_FOUND',
          message: "The integration's service is gone",
        });
      if (ruled.event.action !== 'trigger') {
        out.push({ ruled, dedupKey, svc, generatedKey });
        continue;
      }
      const labels = matchableFields(ruled.event);
      const trigger = {
        labels,
        groupKey: groupKeyOf(labels, svc.settings.groupBy, dedupKey),
        route:
          ruled.outcome === 'suppress'
            ? null
            : routeBySeverity(ruled.event.severity, svc.settings.routing),
      };
      out.push({ ruled, dedupKey, svc, generatedKey, trigger });
    }
    return out;
  }

  /**
   * Reads, one statement per service, the open alerts of the (service, dedup key) pairs that occur
   * once in the group; a pair that occurs more often is read when its turn comes, after the writes
   * of the events before it. A generated key is new by construction.
   */
  private async prefetchOpenAlerts(ctx: GroupContext, events: PreparedEvent[]): Promise<void> {
    const counts = new Map<string, number>();
    for (const e of events) {
      if (!e.svc) continue;
      const key = pairKey(e.svc.id, e.dedupKey);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const byService = new Map<string, string[]>();
    for (const e of events) {
      if (!e.svc) continue;
      const key = pairKey(e.svc.id, e.dedupKey);
      if (counts.get(key) !== 1) continue;
      ctx.open.set(key, null);
      if (e.generatedKey) continue;
      const keys = byService.get(e.svc.id);
      if (keys) keys.push(e.dedupKey);
      else byService.set(e.svc.id, [e.dedupKey]);
    }
    for (const [serviceId, keys] of byService)
      for (const row of await selectOpenAlertsByKeys(ctx.trx, serviceId, keys))
        ctx.open.set(pairKey(serviceId, row.dedup_key), row);
    // The open incidents of the groups that page or notify, one statement per service.
    const groupKeys = new Map<string, string[]>();
    for (const e of events) {
      if (!e.svc || (e.trigger?.route !== 'page' && e.trigger?.route !== 'notify')) continue;
      const keys = groupKeys.get(e.svc.id);
      if (keys) keys.push(e.trigger.groupKey);
      else groupKeys.set(e.svc.id, [e.trigger.groupKey]);
    }
    for (const [serviceId, keys] of groupKeys)
      await ctx.writes.incidents.prefetch(ctx.trx, serviceId, keys);
  }

  /** The open alert of a pair: the prefetched row (once), else read after the buffered writes. */
  private async openAlert(
    ctx: GroupContext,
    serviceId: string,
    dedupKey: string,
  ): Promise<Row<'alerts'> | undefined> {
    const key = pairKey(serviceId, dedupKey);
    const known = ctx.open.get(key);
    if (known !== undefined) {
      ctx.open.delete(key);
      return known ?? undefined;
    }
    await ctx.writes.flush(ctx.trx);
    return selectOpenAlert(ctx.trx, serviceId, dedupKey);
  }

  /**
   * The open alert with `dedupKey` that this integration's trigger left on another service of its
   * team, one an event rule routes to (or the integration's own, when a rule moved the follow-up
   * but not the trigger), with that service.
   */
  private async movedOpenAlert(
    ctx: GroupContext,
    integration: IntegrationRef,
    serviceId: string,
    dedupKey: string,
  ): Promise<[Row<'alerts'>, Service] | undefined> {
    const candidates = new Set<string>([integration.serviceId]);
    for (const rule of ctx.cache.eventRules.get(integration.teamId) ?? [])
      if (rule.enabled && rule.actions.routeToServiceId)
        candidates.add(rule.actions.routeToServiceId);
    candidates.delete(serviceId);
    if (candidates.size === 0) return undefined;
    await ctx.writes.flush(ctx.trx);
    const alert = await selectOpenAlertOfIntegration(
      ctx.trx,
      [...candidates],
      dedupKey,
      integration.id,
    );
    if (!alert) return undefined;
    if (!ctx.cache.services.has(alert.service_id))
      ctx.cache.services.set(alert.service_id, await loadService(ctx.trx, alert.service_id));
    const svc = ctx.cache.services.get(alert.service_id);
    return svc && svc.teamId === integration.teamId ? [alert, svc] : undefined;
  }

  private async applyEvents(
    ctx: GroupContext,
    integration: IntegrationRef,
    events: PreparedEvent[],
  ): Promise<{ outcomes: IngestOutcome[]; newWork: boolean }> {
    const { now, cache, trx, writes } = ctx;
    let muteRules: Omit<MuteContext, 'openAlerts'> | undefined;
    const rulesOf = async (teamId: string) => {
      let rules = cache.muteRules.get(teamId);
      if (!rules) {
        rules = await loadMuteRules(trx, teamId, now);
        cache.muteRules.set(teamId, rules);
      }
      return rules;
    };
    const outcomes: IngestOutcome[] = [];
    let newWork = false;
    for (const { ruled, dedupKey, svc, trigger } of events) {
      if (ruled.outcome === 'drop' || !svc) {
        outcomes.push({
          dedupKey,
          alertId: null,
          result: 'dropped',
          muted: null,
          route: null,
          incidentId: null,
        });
        continue;
      }
      const event = ruled.event;
      let existing = await this.openAlert(ctx, svc.id, dedupKey);
      let alertService = svc;
      if (!existing && event.action !== 'trigger') {
        // An acknowledge or resolve carries no labels of its own (PagerDuty's), so the rule that
        // moved its trigger to another service may not match it: look where rules send events.
        const moved = await this.movedOpenAlert(ctx, integration, svc.id, dedupKey);
        if (moved) [existing, alertService] = moved;
      }
      const decision = decideDedup(
        existing ? { status: existing.status as Alert['status'] } : undefined,
        event.action,
      );
      const actorName = `integration ${integration.name}`;
      const at = event.occurredAt ?? now;

      if (decision === 'ignore') {
        outcomes.push({
          dedupKey,
          alertId: existing?.id ?? null,
          result: 'ignored',
          muted: null,
          route: null,
          incidentId: existing?.incident_id ?? null,
        });
        continue;
      }
      if (decision === 'acknowledge' || decision === 'resolve') {
        const alert = existing!;
        await writes.flush(trx);
        const result = await this.changeAlertState(
          trx,
          alert,
          decision,
          now,
          actorName,
          alertService,
          null,
          (await rulesOf(alertService.teamId)).inhibitRules,
        );
        if (result.incidentChanged) {
          newWork = true;
          // Its incident may be resolved now: the next alert of its group opens a new one.
          writes.incidents.forgetLookups();
        }
        outcomes.push({
          dedupKey,
          alertId: alert.id,
          result: decision === 'acknowledge' ? 'acknowledged' : 'resolved',
          muted: alert.muted_kind
            ? { kind: alert.muted_kind as MuteReason['kind'], id: alert.muted_by! }
            : null,
          route: alert.route as Route | null,
          incidentId: alert.incident_id,
        });
        continue;
      }

      // trigger: create or repeat
      const { labels, groupKey, route } = trigger!;
      if (!muteRules) muteRules = await rulesOf(svc.teamId);
      const muteInput = {
        serviceId: svc.id,
        labels,
        ...(existing ? { alertId: existing.id } : {}),
      };
      // Windows are in force or not at this transaction's instant, not the cache's.
      let muted =
        route === null ? null : decideMute(muteInput, { ...muteRules, now, openAlerts: [] });
      if (
        route !== null &&
        muted === null &&
        muteRules.inhibitRules.some((r) => allMatch(r.targetMatchers, labels))
      ) {
        // Only an alert some inhibition rule targets looks for a source among the team's open
        // alerts (the group's new ones included); the others skip the read.
        await writes.flush(trx);
        const rows = new Map<string, { id: string; labels_json: string }>();
        for (const rule of muteRules.inhibitRules) {
          if (!allMatch(rule.targetMatchers, labels)) continue;
          for (const row of await selectInhibitionCandidates(
            trx,
            svc.teamId,
            inhibitionEquals(rule, labels),
            inhibitionScanLimit,
          ))
            rows.set(row.id, row);
        }
        const openAlerts: MuteContext['openAlerts'] = [...rows.values()].map((a) => ({
          id: a.id,
          labels: JSON.parse(a.labels_json) as Record<string, string>,
        }));
        muted = decideMute(muteInput, { ...muteRules, now, openAlerts });
      }

      const fields = {
        severity: event.severity,
        summary: event.summary.slice(0, maxSummaryChars),
        source: event.source ?? null,
        component: event.component ?? null,
        group_name: event.group ?? null,
        class: event.class ?? null,
        labels_json: JSON.stringify(labels),
        details_json: event.details === undefined ? null : JSON.stringify(event.details),
        links_json: event.links ? JSON.stringify(event.links) : null,
        images_json: event.images ? JSON.stringify(event.images) : null,
        client: event.client ?? null,
        client_url: event.clientUrl ?? null,
        group_key: groupKey,
        route,
        suppressed: ruled.outcome === 'suppress' ? 1 : 0,
        muted_kind: muted?.kind ?? null,
        muted_by: muted?.id ?? null,
        ends_at: event.endsAt ?? null,
        raw_json: storableRaw(event.raw),
      };

      // Muting changed at the alert's own event (ADR 0004, addendum 2026-11-22b): once all its
      // incident's open alerts are muted, the incident is acknowledged on the muting's behalf; an
      // alert no longer muted re-triggers an incident muting acknowledged. After the group's
      // writes, so the incident's other alerts (new ones included) are counted.
      const before = existing;
      if (before?.incident_id && route !== null && !muted !== !before.muted_kind) {
        const incidentOf = before.incident_id;
        if (muted) {
          const mute = muted;
          writes.after.push(async (t) => {
            if (await acknowledgeIfAllMuted(t, incidentOf, mute, now)) ctx.incidentChanged = true;
          });
        } else {
          const message = `Paging again: an alert of the incident fires and is no longer muted (${event.summary.slice(0, 200)})`;
          writes.after.push(async (t) => {
            if (await retriggerIfAckedByMuting(t, incidentOf, message, now))
              ctx.incidentChanged = true;
          });
        }
      }
      // An inhibition source opening (or changing its labels) may mute the team's other open
      // alerts: the re-judge module looks at them again.
      if (
        (!before || before.labels_json !== fields.labels_json) &&
        (isInhibitionSource(muteRules.inhibitRules, labels) ||
          (before !== undefined &&
            isInhibitionSource(
              muteRules.inhibitRules,
              JSON.parse(before.labels_json) as Record<string, string>,
            )))
      ) {
        const teamId = svc.teamId;
        writes.after.push((t) => requestRejudge(t, teamId));
      }

      // An unmuted page/notify alert without an incident opens or joins one. This also covers a
      // repeat of an alert that was muted before and no longer is.
      let incidentId: string | null = existing?.incident_id ?? null;
      let joined = false;
      if (!muted && (route === 'page' || route === 'notify') && incidentId === null) {
        const {
          incidentId: id,
          opened,
          raised,
        } = await writes.incidents.openOrJoin(trx, {
          serviceId: svc.id,
          teamId: svc.teamId,
          groupKey,
          title: event.summary,
          urgency: route === 'page' ? 'high' : 'low',
          responseDueAt: route === 'notify' ? now + notifyResponseTargetMs : null,
          now,
          actorName,
          alertSummary: event.summary.slice(0, 300),
        });
        incidentId = id;
        joined = true;
        if (route === 'page' && (opened || raised)) {
          const policyId = svc.escalationPolicyId;
          if (policyId) writes.after.push((t) => startEscalation(t, id, policyId, now));
          else
            writes.incidents.addTimeline(
              id,
              now,
              'escalation.none',
              'tocsin',
              `${svc.name} has no escalation policy: nobody is paged`,
            );
        }
        if (route === 'notify' && opened) {
          // Low urgency (error severity): the service's distribution list hears of it, and the
          // on-call of its policy's first level, by their low-urgency rules; nobody is woken.
          const list = lowUrgencyNotice(svc, id, event.summary, now);
          writes.after.push(async (t) => void (await queueDistributionList(t, list)));
        }
        newWork = true;
      }

      let alertId: string;
      if (existing) {
        alertId = existing.id;
        // The incident it joins may be one this group has not written yet.
        if (joined) await writes.flush(trx);
        await updateAlertOnRepeat(trx, existing.id, {
          ...fields,
          // When Tocsin last heard of it: a repeat's own time is often the alert's start
          // (Alertmanager's startsAt, Grafana's), the same on every notification.
          last_seen_at: now,
          ...(joined ? { incident_id: incidentId } : {}),
        });
        const note = repeatNote(existing, fields, joined, now);
        if (note !== undefined) {
          writes.events.push({
            id: newId(),
            alert_id: alertId,
            at: now,
            action: 'repeat',
            actor_name: actorName,
            note,
          });
        }
      } else {
        alertId = newId();
        writes.alerts.push({
          id: alertId,
          service_id: svc.id,
          team_id: svc.teamId,
          integration_id: integration.id,
          dedup_key: dedupKey,
          status: 'triggered',
          ...fields,
          incident_id: incidentId,
          event_count: 1,
          first_seen_at: at,
          last_seen_at: at,
          acknowledged_at: null,
          acknowledged_by: null,
          resolved_at: null,
          resolved_by: null,
        });
        writes.events.push({
          id: newId(),
          alert_id: alertId,
          at: now,
          action: 'trigger',
          actor_name: actorName,
          note: muted
            ? `muted by ${muted.kind}`
            : ruled.outcome === 'suppress'
              ? 'suppressed by an event rule'
              : `routed: ${route}`,
        });
      }
      outcomes.push({
        dedupKey,
        alertId,
        result: existing ? 'updated' : ruled.outcome === 'suppress' ? 'suppressed' : 'created',
        muted,
        route,
        incidentId,
      });
    }
    return { outcomes, newWork };
  }

  /**
   * Acknowledges or resolves an alert and carries it to its incident: an acknowledged alert
   * acknowledges a triggered incident; the last open alert resolving resolves the incident when
   * the service auto-resolves.
   */
  private async changeAlertState(
    trx: Executor,
    alert: Row<'alerts'>,
    change: 'acknowledge' | 'resolve',
    now: number,
    actorName: string,
    svc: Service | undefined,
    actorUserId: string | null = null,
    /** The team's inhibition rules, when the caller has them (read otherwise). */
    inhibitRules?: InhibitRule[],
  ): Promise<{ incidentChanged: boolean }> {
    let incidentChanged = false;
    if (change === 'acknowledge') {
      await updateAlertRow(trx, alert.id, {
        status: 'acknowledged',
        acknowledged_at: now,
        acknowledged_by: actorName,
      });
      await insertAlertEvent(trx, {
        id: newId(),
        alert_id: alert.id,
        at: now,
        action: 'acknowledge',
        actor_name: actorName,
        note: null,
      });
      if (alert.incident_id)
        incidentChanged = await acknowledgeIncidentIn(
          trx,
          alert.incident_id,
          now,
          actorName,
          actorUserId,
        );
      return { incidentChanged };
    }
    await updateAlertRow(trx, alert.id, {
      status: 'resolved',
      resolved_at: now,
      resolved_by: actorName,
    });
    await insertAlertEvent(trx, {
      id: newId(),
      alert_id: alert.id,
      at: now,
      action: 'resolve',
      actor_name: actorName,
      note: null,
    });
    // An inhibition source resolving may unmute the team's other open alerts.
    await this.noteSourceResolved(trx, [alert], inhibitRules);
    if (alert.incident_id) {
      await addTimelineEntry(trx, {
        incidentId: alert.incident_id,
        at: now,
        kind: 'alert.resolved',
        actorName,
        message: `Alert resolved: ${alert.summary.slice(0, 300)}`,
      });
      const service = svc ?? (await loadService(trx, alert.service_id));
      if (
        (service?.settings.autoResolve ?? true) &&
        // Locked first: an alert joining it on another connection either committed (and is
        // counted) or waits and then finds it resolved (and opens a new incident).
        (await lockIncidentIn(trx, alert.incident_id)) &&
        (await countOpenAlertsOfIncident(trx, alert.incident_id)) === 0
      ) {
        incidentChanged = await resolveIncidentIn(
          trx,
          alert.incident_id,
          now,
          actorName,
          'Resolved: all its alerts resolved',
        );
      }
    }
    return { incidentChanged };
  }

  /**
   * Asks the re-judge module to look at a team's open alerts again when one of `resolved` is an
   * inhibition source (its targets may be unmuted now).
   */
  private async noteSourceResolved(
    trx: Executor,
    resolved: ReadonlyArray<Pick<Row<'alerts'>, 'team_id' | 'labels_json'>>,
    inhibitRules?: InhibitRule[],
  ): Promise<void> {
    const first = resolved[0];
    if (!first) return;
    const rules = inhibitRules ?? (await loadInhibitRules(trx, first.team_id));
    if (rules.length === 0) return;
    if (
      resolved.some((a) =>
        isInhibitionSource(rules, JSON.parse(a.labels_json) as Record<string, string>),
      )
    )
      await requestRejudge(trx, first.team_id);
  }

  /** Stores a change event; it never pages. */
  async recordChange(
    integration: IntegrationRef,
    change: NormalizedChange,
  ): Promise<{ id: string }> {
    const refused = this.admit(integration, 1);
    if (refused) throw refused;
    const now = this.deps.clock.now();
    const id = newId();
    await insertChange(this.deps.db, {
      id,
      service_id: integration.serviceId,
      team_id: integration.teamId,
      integration_id: integration.id,
      summary: change.summary.slice(0, 1024),
      source: change.source ?? null,
      occurred_at: change.occurredAt ?? now,
      details_json: change.details === undefined ? null : JSON.stringify(change.details),
      links_json: change.links ? JSON.stringify(change.links) : null,
      raw_json: storableRaw(change.raw),
      created_at: now,
    });
    return { id };
  }

  private rejudger: MuteRejudge | undefined;

  /**
   * Re-judges the muting of open alerts where muting changed (the `mute-rejudge` engine module):
   * at most `batch` alerts a pass; 0 when there was nothing to do. See mute-rejudge.ts.
   */
  rejudgeMuting(now: number, batch: number): Promise<number> {
    this.rejudger ??= new MuteRejudge({ db: this.deps.db, onNewWork: this.deps.onNewWork });
    return this.rejudger.runOnce(now, batch);
  }

  /** When a silence or maintenance window next starts or ends (the module's next due time). */
  nextMuteBoundaryAt(): Promise<number | undefined> {
    this.rejudger ??= new MuteRejudge({ db: this.deps.db, onNewWork: this.deps.onNewWork });
    return this.rejudger.nextDueAt();
  }

  /** Resolves open alerts whose endsAt has passed (the `expire-alerts` engine module). */
  async expireAlerts(now: number, batch: number): Promise<number> {
    const expired = await selectExpiredAlerts(this.deps.db, now, batch);
    for (const alert of expired) {
      const changed = await inTransaction(this.deps.db, async (trx) => {
        // Locked: a repeat committed meanwhile (endsAt moved on) is seen, not overwritten.
        const current = await lockAlert(trx, alert.id);
        if (
          !current ||
          current.status === 'resolved' ||
          current.ends_at === null ||
          current.ends_at > now
        )
          return false;
        return (
          await this.changeAlertState(
            trx,
            current,
            'resolve',
            now,
            'tocsin (endsAt passed)',
            undefined,
          )
        ).incidentChanged;
      });
      if (changed) this.deps.onNewWork?.();
    }
    return expired.length;
  }

  // ---- reads and people's actions ------------------------------------------------------------

  private teamsFor(actor: Actor, teamId: string | undefined, all: string[]): string[] {
    const teams = teamId ? [teamId] : all;
    return teams.filter((t) => roleInTeam(actor, t) !== undefined);
  }

  /** Alerts the actor can read, newest first. `allTeamIds` is the organisation's team list. */
  async list(
    actor: Actor,
    query: AlertQueryInput,
    allTeamIds: string[],
  ): Promise<{ items: Alert[]; nextCursor: string | null }> {
    const rows = await selectAlerts(this.deps.db, {
      ...query,
      teamIds: this.teamsFor(actor, query.teamId, allTeamIds),
    });
    return {
      items: rows.map(toAlert),
      nextCursor: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * One alert with its raw payload and its newest events (at most `alertEventsShown`), oldest
   * first, with `eventsTotal` so a reader can say how many earlier ones are not shown. Alerts
   * stored before repeats were folded can hold tens of thousands of rows.
   */
  async get(actor: Actor, id: string): Promise<AlertDetail> {
    const row = await selectAlert(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Alert', 'ALERT_NOT_FOUND');
    const rows = await selectAlertEvents(this.deps.db, id, alertEventsShown);
    // Fewer rows than the page holds are all of them: the count is read only when it may differ.
    const eventsTotal =
      rows.length < alertEventsShown ? rows.length : await countAlertEvents(this.deps.db, id);
    const events = rows.map((e) => ({
      id: e.id,
      at: e.at,
      action: e.action,
      actorName: e.actor_name,
      note: e.note,
    }));
    return {
      ...toAlert(row),
      raw: row.raw_json === null ? null : readRaw(row.raw_json),
      events,
      eventsTotal,
    };
  }

  /** A person acknowledges or resolves an alert (responders). */
  async act(actor: Actor, id: string, change: 'acknowledge' | 'resolve'): Promise<Alert> {
    const row = await selectAlert(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Alert', 'ALERT_NOT_FOUND');
    if (!canInTeam(actor, row.team_id, 'responder')) throw forbidden(`Responders ${change} alerts`);
    if (row.status === 'resolved' || (change === 'acknowledge' && row.status === 'acknowledged'))
      return toAlert(row);
    await inTransaction(this.deps.db, async (trx) => {
      await this.changeAlertState(
        trx,
        row,
        change,
        this.deps.clock.now(),
        actor.name,
        undefined,
        userIdOf(actor),
      );
      await this.deps.audit.record(trx, actor, {
        action: `alert.${change}d`,
        targetType: 'alert',
        targetId: id,
        teamId: row.team_id,
      });
    });
    this.deps.onNewWork?.();
    return toAlert((await selectAlert(this.deps.db, id))!);
  }

  /** Resolves an incident and every open alert in it (PagerDuty: resolving an incident resolves its alerts). */
  async resolveIncident(actor: Actor, incident: Incident): Promise<void> {
    if (!canInTeam(actor, incident.teamId, 'responder'))
      throw forbidden('Responders resolve incidents');
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      // Locked before its alerts are read, so none joins it unseen meanwhile.
      await lockIncidentIn(trx, incident.id);
      const open = await selectOpenAlertsOfIncident(trx, incident.id);
      await this.noteSourceResolved(trx, open);
      for (const a of open) {
        await updateAlertRow(trx, a.id, {
          status: 'resolved',
          resolved_at: now,
          resolved_by: actor.name,
        });
        await insertAlertEvent(trx, {
          id: newId(),
          alert_id: a.id,
          at: now,
          action: 'resolve',
          actor_name: actor.name,
          note: 'with its incident',
        });
      }
      await resolveIncidentIn(trx, incident.id, now, actor.name, `Resolved by ${actor.name}`);
      await this.deps.audit.record(trx, actor, {
        action: 'incident.resolved',
        targetType: 'incident',
        targetId: incident.id,
        teamId: incident.teamId,
      });
    });
    this.deps.onNewWork?.();
  }

  /** Change events the actor can read. */
  async changes(
    actor: Actor,
    q: { teamId?: string | undefined; serviceId?: string | undefined; limit: number },
    allTeamIds: string[],
  ): Promise<ChangeEvent[]> {
    const rows = await selectChanges(this.deps.db, {
      teamIds: this.teamsFor(actor, q.teamId, allTeamIds),
      serviceId: q.serviceId,
      limit: q.limit,
    });
    return rows.map((r) => ({
      id: r.id,
      serviceId: r.service_id,
      summary: r.summary,
      source: r.source,
      occurredAt: r.occurred_at,
      details: r.details_json === null ? null : (JSON.parse(r.details_json) as unknown),
      links: r.links_json === null ? [] : (JSON.parse(r.links_json) as unknown),
    }));
  }

  /** Which open alerts of a team a set of matchers would catch (silence preview). */
  async preview(actor: Actor, teamId: string, matchers: Matcher[]): Promise<Alert[]> {
    if (roleInTeam(actor, teamId) === undefined) throw notFound('Team', 'TEAM_NOT_FOUND');
    const rows = await selectAlerts(this.deps.db, {
      teamIds: [teamId],
      status: ['triggered', 'acknowledged'],
      limit: 500,
    });
    return rows.map(toAlert).filter((a) => allMatch(matchers, a.labels));
  }

  async listEventRules(actor: Actor, teamIds: string[]): Promise<EventRule[]> {
    return (
      await selectEventRules(
        this.deps.db,
        teamIds.filter((t) => roleInTeam(actor, t) !== undefined),
      )
    ).map(toEventRule);
  }

  async createEventRule(actor: Actor, input: CreateEventRuleInput): Promise<EventRule> {
    // An org admin has a role in every team id, even one that does not exist.
    if (
      roleInTeam(actor, input.teamId) === undefined ||
      !(await selectTeamById(this.deps.db, input.teamId))
    )
      throw notFound('Team', 'TEAM_NOT_FOUND', 'teamId');
    if (!canInTeam(actor, input.teamId, 'admin')) throw forbidden('Team admins manage event rules');
    if (input.actions.routeToServiceId) {
      const target = await loadService(this.deps.db, input.actions.routeToServiceId);
      if (!target || target.teamId !== input.teamId) {
        throw new AppError({
          kind: 'invalid',
          code: 'SERVICE_NOT_IN_TEAM',
          field: 'actions.routeToServiceId',
          message: "Route to one of the team's services",
        });
      }
    }
    const row = {
      id: newId(),
      team_id: input.teamId,
      position: input.position,
      name: input.name,
      matchers_json: JSON.stringify(input.matchers),
      actions_json: JSON.stringify(input.actions),
      enabled: input.enabled ? 1 : 0,
      created_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertEventRule(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'event_rule.created',
        targetType: 'event_rule',
        targetId: row.id,
        teamId: row.team_id,
        after: toEventRule(row),
      });
    });
    return toEventRule(row);
  }

  async deleteEventRule(actor: Actor, id: string): Promise<void> {
    const row = await selectEventRule(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Event rule', 'EVENT_RULE_NOT_FOUND');
    if (!canInTeam(actor, row.team_id, 'admin')) throw forbidden('Team admins manage event rules');
    await inTransaction(this.deps.db, async (trx) => {
      await deleteEventRuleRow(trx, id);
      await this.deps.audit.record(trx, actor, {
        action: 'event_rule.deleted',
        targetType: 'event_rule',
        targetId: id,
        teamId: row.team_id,
        before: toEventRule(row),
      });
    });
  }
}
