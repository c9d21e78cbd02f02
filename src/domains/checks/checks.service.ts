import type { Kysely } from 'kysely';
import { canInTeam, isOrgAdmin, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { ResealCount } from '../../core/secrets.js';
import { AppError, forbidden, invalid, notFound, parseInput } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { definedFields } from '../../core/objects.js';
import { inTransaction, type Database, type NewRow, type RowUpdate } from '../../db/index.js';
import type { NormalizedEvent } from '../alerts/index.js';
import type { AuditService } from '../audit/index.js';
import { isValidTimeZone } from '../oncall/index.js';
import { loadService } from '../services/index.js';
import {
  certEvent,
  deadlineAfterPing,
  hashHeartbeatToken,
  newHeartbeatToken,
  nextSlot,
  phaseOffset,
  probeKinds,
  upEvent,
  type Check,
  type CheckKind,
  type CheckResult,
  type ProbeKind,
} from './check.js';
import type { CheckIngest, CheckRecorder } from './check-recorder.js';
import { forEvent, integrationOf, resetState, scheduleOf, toCheck } from './check-rows.js';
import {
  checkKeptHeadersOrigin,
  hasHeaders,
  maskHeaders,
  openHeaders,
  resealHeaders,
  resolveMaskedHeaders,
  sealHeaders,
  type HeaderCipher,
} from './check-secrets.js';
import {
  checkQuerySchema,
  configSchemas,
  createCheckSchema,
  rangeQuerySchema,
  resultsQuerySchema,
  updateCheckSchema,
  type CheckQuery,
  type CreateCheckInput,
  type RangeQuery,
  type ResultsQuery,
  type UpdateCheckInput,
} from './checks.schema.js';
import {
  deleteCheckRow,
  endOpenPeriod,
  insertCheck,
  insertPeriod,
  selectCheck,
  selectCheckByTokenHash,
  selectChecks,
  selectPeriods,
  selectResultPoints,
  selectResults,
  selectRollupMark,
  selectRollupsOfCheck,
  updateCheckRow,
  type CheckRow,
} from './checks.store.js';
import { parseCron } from './cron.js';
import {
  addResult,
  chooseResolution,
  emptySummary,
  histogramFromJson,
  seriesFromResults,
  seriesFromRollups,
  type LatencyPoint,
  type LatencySummary,
  type Resolution,
} from './latency.js';
import type { CheckProber, ProbeKindInfo, ProbeResult } from './prober.js';
import { uptimeOver, uptimeWindows, type CheckPeriod, type UptimeFigures } from './uptime.js';

/** How long raw results, minute rollups and hour rollups (and outages) are kept. */
export interface CheckRetention {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

/** A list entry: the check and its uptime over the last 24 hours. */
export type CheckListItem = Check & { uptime24h: number | null };

/** A created check, with its heartbeat token the one time it is shown. */
export interface CreatedCheck {
  check: Check;
  heartbeat: { token: string } | null;
}

/** An outage as the API shows it. */
export interface Downtime {
  startedAt: number;
  endedAt: number | null;
  durationMs: number;
  ongoing: boolean;
  cause: string | null;
}

/** "Test now": a probe's outcome, not recorded. */
export type ProbeOutcome = ProbeResult & { at: number };

const minute = 60_000;
const hour = 3_600_000;

/**
 * The first run of a (resumed or rescheduled) probe: the next slot of its grid, but within a
 * minute for long intervals, so a new daily check shows a result soon; later runs follow the
 * grid (check-runner.ts).
 */
export function firstRunAt(id: string, intervalMs: number, now: number): number {
  const offset = phaseOffset(id, intervalMs);
  return Math.min(nextSlot(now, intervalMs, offset), now + 1 + (offset % minute));
}

/**
 * Checks: create and change them (team responders; reaching private addresses is an org
 * admin's decision), read their results, outages, uptime and latency, run one now, and take
 * heartbeat pings. State changes go through the recorder; pausing, moving or deleting a check
 * that is down resolves its alert first.
 */
export class ChecksService {
  private readonly pingWindows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      prober: CheckProber;
      recorder: CheckRecorder;
      ingest: CheckIngest;
      retention: CheckRetention;
      /** Encrypts and decrypts HTTP header values (check-secrets.ts). */
      cipher: HeaderCipher;
      /** Heartbeat pings per check per minute before 429. */
      pingsPerMinute?: number;
    },
  ) {}

  // ---- reading

  /** Kinds and whether this node can run them (ping needs the system's `ping`). */
  kinds(): ProbeKindInfo[] {
    return [...this.deps.prober.kinds(), { kind: 'heartbeat', available: true }];
  }

  /** Checks the actor can read, with uptime over 24 hours. */
  async list(actor: Actor, rawQuery: CheckQuery = {}): Promise<CheckListItem[]> {
    const query = parseInput(checkQuerySchema, rawQuery);
    let teamIds: string[] | 'all';
    if (isOrgAdmin(actor)) teamIds = query.teamId ? [query.teamId] : 'all';
    else {
      const mine =
        actor.type === 'apikey'
          ? [actor.teamId]
          : actor.type === 'user'
            ? [...actor.roles.keys()]
            : [];
      teamIds = query.teamId ? mine.filter((t) => t === query.teamId) : mine;
    }
    const rows = await selectChecks(this.deps.db, {
      teamIds,
      ...(query.serviceId ? { serviceId: query.serviceId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.state ? { state: query.state } : {}),
    });
    const now = this.deps.clock.now();
    const from = now - 24 * hour;
    const periods = await this.periodsOf(
      rows.map((r) => r.id),
      from,
      now,
    );
    return rows.map((r) => ({
      ...toCheck(r),
      uptime24h: uptimeOver(periods.get(r.id) ?? [], { from, to: now }, r.created_at, now)
        .uptimePercent,
    }));
  }

  /** One check the actor can read (404 otherwise). */
  async get(actor: Actor, id: string): Promise<Check> {
    return toCheck(await this.readable(actor, id));
  }

  /** Results, newest first; `nextCursor` is the `before` of the next page. */
  async results(
    actor: Actor,
    id: string,
    rawQuery: Partial<ResultsQuery> = {},
  ): Promise<{ items: CheckResult[]; nextCursor: number | null }> {
    await this.readable(actor, id);
    const q = parseInput(resultsQuerySchema, rawQuery);
    const rows = await selectResults(this.deps.db, id, {
      ...definedFields({ from: q.from, to: q.to, before: q.before }),
      limit: q.limit,
      failed: q.failed === true,
    });
    const items = rows.map((r) => ({
      at: r.at,
      scheduledAt: r.scheduled_at,
      ok: r.ok === 1,
      latencyMs: r.latency_us === null ? null : Number(r.latency_us) / 1000,
      error: r.error,
      details:
        r.details_json === null ? null : (JSON.parse(r.details_json) as Record<string, unknown>),
    }));
    return { items, nextCursor: rows.length === q.limit ? (items.at(-1)?.at ?? null) : null };
  }

  /** Outages overlapping the range (default: the last 90 days), newest first. */
  async downtimes(
    actor: Actor,
    id: string,
    rawRange: RangeQuery = {},
  ): Promise<{ items: Downtime[] }> {
    await this.readable(actor, id);
    const now = this.deps.clock.now();
    const range = parseInput(rangeQuerySchema, rawRange);
    const from = range.from ?? now - 90 * 86_400_000;
    const to = range.to ?? now;
    const rows = await selectPeriods(this.deps.db, [id], from, to, 'down');
    return {
      items: rows
        .map((p) => ({
          startedAt: p.started_at,
          endedAt: p.ended_at,
          durationMs: (p.ended_at ?? now) - p.started_at,
          ongoing: p.ended_at === null,
          cause: p.cause,
        }))
        .reverse(),
    };
  }

  /**
   * Uptime over the last 24 h, 7, 30, 90 and 365 days, and over `from`–`to` when given, from
   * the outage periods (uptime.ts), exact to the millisecond.
   */
  async uptime(
    actor: Actor,
    id: string,
    rawRange: RangeQuery = {},
  ): Promise<{
    windows: Array<UptimeFigures & { window: string }>;
    range: UptimeFigures | null;
  }> {
    const row = await this.readable(actor, id);
    const now = this.deps.clock.now();
    const range = parseInput(rangeQuerySchema, rawRange);
    const custom =
      range.from !== undefined || range.to !== undefined
        ? { from: range.from ?? row.created_at, to: range.to ?? now }
        : undefined;
    if (custom && custom.to <= custom.from)
      throw invalid('CHECK_RANGE_INVALID', 'to', '`to` must be after `from`');
    const earliest = Math.min(now - uptimeWindows.at(-1)!.ms, custom?.from ?? now);
    const periods =
      (await this.periodsOf([id], earliest, Math.max(now, custom?.to ?? now))).get(id) ?? [];
    return {
      windows: uptimeWindows.map((w) => ({
        window: w.name,
        ...uptimeOver(periods, { from: now - w.ms, to: now }, row.created_at, now),
      })),
      range: custom ? uptimeOver(periods, custom, row.created_at, now) : null,
    };
  }

  /**
   * Latency percentiles (p50, p95) and failure counts per step over the range (default: the
   * last 24 hours): from raw results while kept, else from minute or hour rollups, with the
   * most recent, not yet rolled-up stretch read from the finer data.
   */
  async latency(
    actor: Actor,
    id: string,
    rawRange: RangeQuery = {},
  ): Promise<{ resolution: Resolution; stepMs: number; items: LatencyPoint[] }> {
    await this.readable(actor, id);
    const { db, retention } = this.deps;
    const now = this.deps.clock.now();
    const range = parseInput(rangeQuerySchema, rawRange);
    // Default: up to and including now (ranges are half-open).
    const to = range.to ?? now + 1;
    const from = range.from ?? now - 24 * hour;
    if (to <= from) throw invalid('CHECK_RANGE_INVALID', 'to', '`to` must be after `from`');
    const { resolution, stepMs } = chooseResolution(from, to, now, retention);
    const start = from - (((from % stepMs) + stepMs) % stepMs);
    if (resolution === 'raw') {
      const points = await selectResultPoints(db, id, from, to);
      return {
        resolution,
        stepMs,
        items: seriesFromResults(
          points.map((p) => ({
            at: p.at,
            ok: p.ok === 1,
            latencyUs: p.latency_us === null ? null : Number(p.latency_us),
          })),
          start,
          stepMs,
        ),
      };
    }
    const rollups: Array<{ bucketAt: number; summary: LatencySummary }> = [];
    let cursor = from;
    if (resolution === '1h') {
      const hourMark = Math.min((await selectRollupMark(db, hour)) ?? from, to);
      if (hourMark > cursor) {
        rollups.push(...(await this.rollupsOf(id, hour, cursor, hourMark)));
        cursor = hourMark;
      }
    }
    const minuteMark = Math.min((await selectRollupMark(db, minute)) ?? cursor, to);
    if (minuteMark > cursor) {
      rollups.push(...(await this.rollupsOf(id, minute, cursor, minuteMark)));
      cursor = minuteMark;
    }
    if (cursor < to) {
      const perMinute = new Map<number, LatencySummary>();
      for (const p of await selectResultPoints(db, id, cursor, to)) {
        const bucket = p.at - (p.at % minute);
        let s = perMinute.get(bucket);
        if (!s) perMinute.set(bucket, (s = emptySummary()));
        addResult(s, p.ok === 1, p.latency_us === null ? null : Number(p.latency_us));
      }
      for (const [bucketAt, summary] of perMinute) rollups.push({ bucketAt, summary });
    }
    return { resolution, stepMs, items: seriesFromRollups(rollups, start, stepMs) };
  }

  // ---- changing

  /** Creates a check; a heartbeat's token is returned this once. */
  async create(actor: Actor, rawInput: CreateCheckInput): Promise<CreatedCheck> {
    const input = parseInput(createCheckSchema, rawInput);
    const { db, clock } = this.deps;
    const service = await loadService(db, input.serviceId);
    if (!service || roleInTeam(actor, service.teamId) === undefined)
      throw notFound('Service', 'SERVICE_NOT_FOUND');
    if (!canInTeam(actor, service.teamId, 'responder'))
      throw forbidden('Only team responders can add checks', 'CHECK_FORBIDDEN');
    if (input.allowPrivate && !isOrgAdmin(actor)) throw this.privateForbidden();
    if (input.kind === 'http' && input.checkId !== undefined)
      throw invalid('VALIDATION_FAILED', 'checkId', 'checkId: only for "test now"');
    // A new check has no saved header values: a mask here is refused, not stored.
    if (input.kind === 'http')
      resolveMaskedHeaders(this.deps.cipher, input.config.headers, undefined);
    const now = clock.now();
    const id = newId();
    const intervalMs = input.intervalSeconds * 1000;
    const token = input.kind === 'heartbeat' ? newHeartbeatToken() : undefined;
    let timeoutMs = 0;
    let graceMs = 0;
    let cron: string | null = null;
    let timeZone = 'UTC';
    if (input.kind === 'heartbeat') {
      graceMs = input.graceSeconds * 1000;
      cron = input.cron;
      timeZone = input.timeZone;
      this.checkSchedule(cron, timeZone);
    } else {
      timeoutMs = input.timeoutSeconds * 1000;
      if (input.timeoutSeconds > input.intervalSeconds) throw this.timeoutTooLong();
      this.deps.prober.validate(input.kind, input.config as Record<string, unknown>);
    }
    const row: NewRow<'checks'> = {
      id,
      team_id: service.teamId,
      service_id: service.id,
      name: input.name,
      kind: input.kind,
      enabled: input.enabled ? 1 : 0,
      interval_ms: intervalMs,
      timeout_ms: timeoutMs,
      grace_ms: graceMs,
      cron,
      time_zone: timeZone,
      failures_to_alert: input.failuresToAlert ?? (input.kind === 'heartbeat' ? 1 : 2),
      successes_to_resolve: input.successesToResolve,
      severity: input.severity,
      allow_private: input.allowPrivate ? 1 : 0,
      config_json: JSON.stringify(sealHeaders(this.deps.cipher, input.config)),
      token_hash: token?.hash ?? null,
      token_prefix: token?.prefix ?? null,
      ...resetState,
      last_at: null,
      last_ok: null,
      last_latency_us: null,
      last_error: null,
      last_ping_at: null,
      // Heartbeats wait for their first ping (a new job may not have run yet).
      next_run_at:
        input.kind !== 'heartbeat' && input.enabled ? firstRunAt(id, intervalMs, now) : null,
      version: 0,
      created_by: actor.type === 'user' ? actor.userId : null,
      created_at: now,
      updated_at: now,
    };
    await inTransaction(db, async (trx) => {
      await insertCheck(trx, row);
      if (!input.enabled)
        await insertPeriod(trx, {
          id: newId(),
          check_id: id,
          kind: 'paused',
          started_at: now,
          ended_at: null,
          cause: null,
        });
      await this.deps.audit.record(trx, actor, {
        action: 'check.created',
        targetType: 'check',
        targetId: id,
        teamId: service.teamId,
        after: { ...row, ...this.auditedConfig(row), token_hash: undefined },
      });
    });
    return {
      check: toCheck((await selectCheck(db, id))!),
      heartbeat: token ? { token: token.token } : null,
    };
  }

  /** Changes a check (see the class comment for what pausing and moving do to an outage). */
  async update(actor: Actor, id: string, rawInput: UpdateCheckInput): Promise<Check> {
    const input = parseInput(updateCheckSchema, rawInput);
    for (let attempt = 1; ; attempt++) {
      const before = await this.writable(actor, id);
      const done = await this.tryUpdate(actor, before, input);
      if (done) return toCheck((await selectCheck(this.deps.db, id))!);
      if (attempt >= 3)
        throw new AppError({
          kind: 'conflict',
          code: 'CHECK_BUSY',
          message: 'The check changed while saving; try again',
        });
    }
  }

  private async tryUpdate(
    actor: Actor,
    before: CheckRow,
    input: UpdateCheckInput,
  ): Promise<boolean> {
    const { db, clock } = this.deps;
    const kind = before.kind as CheckKind;
    const now = clock.now();
    let teamId = before.team_id;
    if (input.serviceId !== undefined && input.serviceId !== before.service_id) {
      const service = await loadService(db, input.serviceId);
      if (!service || roleInTeam(actor, service.teamId) === undefined)
        throw notFound('Service', 'SERVICE_NOT_FOUND');
      if (!canInTeam(actor, service.teamId, 'responder'))
        throw forbidden('Only team responders can move checks there', 'CHECK_FORBIDDEN');
      teamId = service.teamId;
    }
    const stored = JSON.parse(before.config_json) as Record<string, unknown>;
    let config: Record<string, unknown> | undefined;
    let storedPlain: Record<string, unknown> | undefined;
    if (input.config !== undefined) {
      const { cipher } = this.deps;
      storedPlain = openHeaders(cipher, stored);
      // `headers` replaces the saved set (a header left out is removed); a value sent as the
      // mask keeps the saved one. Not sent, the saved headers stay as they are.
      const incoming = { ...input.config };
      let kept = hasHeaders(stored);
      if (incoming.headers !== undefined) {
        const resolved = resolveMaskedHeaders(cipher, incoming.headers, stored);
        incoming.headers = resolved.headers;
        kept = resolved.kept;
      }
      config = parseInput(configSchemas[kind], { ...storedPlain, ...incoming }, 'config') as Record<
        string,
        unknown
      >;
      if (kind === 'http') checkKeptHeadersOrigin(kept, stored, config);
      if (kind !== 'heartbeat') this.deps.prober.validate(kind, config);
    }
    const allowPrivate = input.allowPrivate ?? before.allow_private === 1;
    // Pointing a check that may reach private addresses somewhere else is the same decision as
    // allowing it: an org admin's.
    if (
      !isOrgAdmin(actor) &&
      ((allowPrivate && before.allow_private !== 1) ||
        (allowPrivate &&
          config !== undefined &&
          JSON.stringify(config) !== JSON.stringify(storedPlain)))
    )
      throw this.privateForbidden();
    const intervalMs = (input.intervalSeconds ?? Number(before.interval_ms) / 1000) * 1000;
    const timeoutMs = (input.timeoutSeconds ?? Number(before.timeout_ms) / 1000) * 1000;
    if (kind !== 'heartbeat') {
      if (intervalMs > 86_400_000)
        throw invalid(
          'VALIDATION_FAILED',
          'intervalSeconds',
          'intervalSeconds: at most 86400 for probes',
        );
      if (timeoutMs > intervalMs) throw this.timeoutTooLong();
    }
    if (kind !== 'heartbeat') {
      // Only heartbeats have a schedule; a probe runs every interval.
      if (input.cron !== undefined && input.cron !== null)
        throw invalid('VALIDATION_FAILED', 'cron', 'cron: only heartbeats take a cron schedule');
      if (input.timeZone !== undefined)
        throw invalid(
          'VALIDATION_FAILED',
          'timeZone',
          'timeZone: only heartbeats take a time zone',
        );
    }
    const cron = input.cron !== undefined ? input.cron : before.cron;
    const timeZone = input.timeZone ?? before.time_zone;
    if (kind === 'heartbeat') this.checkSchedule(cron, timeZone);
    const enabled = input.enabled ?? before.enabled === 1;

    const set: RowUpdate<'checks'> = {
      updated_at: now,
      ...definedFields({
        name: input.name,
        failures_to_alert: input.failuresToAlert,
        successes_to_resolve: input.successesToResolve,
        severity: input.severity,
      }),
      ...(input.serviceId !== undefined ? { service_id: input.serviceId, team_id: teamId } : {}),
      ...(input.allowPrivate !== undefined ? { allow_private: input.allowPrivate ? 1 : 0 } : {}),
      ...(config !== undefined
        ? { config_json: JSON.stringify(sealHeaders(this.deps.cipher, config)) }
        : this.resealed(stored)),
      interval_ms: intervalMs,
      timeout_ms: kind === 'heartbeat' ? 0 : timeoutMs,
      ...(input.graceSeconds !== undefined ? { grace_ms: input.graceSeconds * 1000 } : {}),
      cron,
      time_zone: timeZone,
      enabled: enabled ? 1 : 0,
    };
    const pausing = before.enabled === 1 && !enabled;
    const resuming = before.enabled !== 1 && enabled;
    const moving = set.service_id !== undefined && set.service_id !== before.service_id;
    // Whatever the outage was, it ends here when the check stops watching (or changes service).
    const endOutage = (pausing || moving) && before.state === 'down';
    const events: NormalizedEvent[] = [];
    if (endOutage)
      events.push(
        upEvent(forEvent(before), pausing ? 'check paused' : 'check moved to another service'),
      );
    if ((pausing || moving) && before.cert_warning !== null)
      events.push(certEvent(forEvent(before), null));
    if (pausing || moving) Object.assign(set, resetState);
    if (pausing) set.next_run_at = null;
    else if (enabled && kind !== 'heartbeat') {
      if (resuming || intervalMs !== Number(before.interval_ms))
        set.next_run_at = firstRunAt(before.id, intervalMs, now);
    } else if (enabled && kind === 'heartbeat') {
      const schedule = {
        ...scheduleOf(before),
        intervalMs,
        cron,
        timeZone,
        graceMs: Number(set.grace_ms ?? before.grace_ms),
      };
      // Resumed: the clock restarts now, as if it had just pinged (a heartbeat that never
      // pinged still waits for its first ping). Without a deadline it could never be missed.
      if (resuming)
        set.next_run_at = before.last_ping_at === null ? null : deadlineAfterPing(schedule, now);
      else if (before.last_ping_at !== null)
        set.next_run_at = deadlineAfterPing(schedule, before.last_ping_at);
    }
    if (events.length > 0) await this.deps.ingest(integrationOf(before), events);
    return inTransaction(db, async (trx) => {
      if (!(await updateCheckRow(trx, before.id, set, before.version))) return false;
      if (endOutage) await endOpenPeriod(trx, before.id, 'down', now);
      if (pausing)
        await insertPeriod(trx, {
          id: newId(),
          check_id: before.id,
          kind: 'paused',
          started_at: now,
          ended_at: null,
          cause: null,
        });
      if (resuming) await endOpenPeriod(trx, before.id, 'paused', now);
      await this.deps.audit.record(trx, actor, {
        action: 'check.updated',
        targetType: 'check',
        targetId: before.id,
        teamId,
        before: { ...before, ...this.auditedConfig(before), token_hash: undefined },
        after: input.config !== undefined ? { ...input, config: maskHeaders(input.config) } : input,
      });
      return true;
    });
  }

  /** Deletes a check with its results; an open alert of it is resolved first. */
  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.writable(actor, id);
    const events: NormalizedEvent[] = [];
    if (row.state === 'down') events.push(upEvent(forEvent(row), 'check deleted'));
    if (row.cert_warning !== null) events.push(certEvent(forEvent(row), null));
    if (events.length > 0) await this.deps.ingest(integrationOf(row), events);
    await inTransaction(this.deps.db, async (trx) => {
      await deleteCheckRow(trx, id);
      await this.deps.audit.record(trx, actor, {
        action: 'check.deleted',
        targetType: 'check',
        targetId: id,
        teamId: row.team_id,
        before: { ...row, ...this.auditedConfig(row), token_hash: undefined },
      });
    });
  }

  /** A new heartbeat token; the old one stops working at once. Shown this once. */
  async rotateHeartbeatToken(actor: Actor, id: string): Promise<{ token: string }> {
    const row = await this.writable(actor, id);
    if (row.kind !== 'heartbeat')
      throw invalid('CHECK_NOT_HEARTBEAT', 'id', 'Only heartbeat checks have a token');
    const token = newHeartbeatToken();
    await inTransaction(this.deps.db, async (trx) => {
      await updateCheckRow(trx, id, {
        token_hash: token.hash,
        token_prefix: token.prefix,
        updated_at: this.deps.clock.now(),
      });
      await this.deps.audit.record(trx, actor, {
        action: 'check.token_rotated',
        targetType: 'check',
        targetId: id,
        teamId: row.team_id,
      });
    });
    return { token: token.token };
  }

  /**
   * Re-encrypts every check's saved header values with the current key (org admins; part of
   * `tocsin notify rotate-secrets`). Each row is written only if nobody wrote it since it was
   * read; a check changed meanwhile is left to that write (which seals with the current key)
   * or to the next rotation.
   */
  async resealSecrets(actor: Actor): Promise<ResealCount> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins rotate keys');
    const count: ResealCount = { changed: 0, unreadable: 0 };
    for (const row of await selectChecks(this.deps.db, { teamIds: 'all' })) {
      const stored = JSON.parse(row.config_json) as Record<string, unknown>;
      const { config, unreadable } = resealHeaders(this.deps.cipher, stored);
      count.unreadable += unreadable;
      if (!config) continue;
      const written = await updateCheckRow(
        this.deps.db,
        row.id,
        { config_json: JSON.stringify(config) },
        row.version,
      );
      if (written) count.changed++;
    }
    return count;
  }

  /**
   * "Test now": runs the probe at once and returns what it saw. Nothing is recorded: the
   * check's state, results, uptime and alerts are as they were.
   */
  async runNow(actor: Actor, id: string, signal?: AbortSignal): Promise<ProbeOutcome> {
    const row = await this.writable(actor, id);
    const kind = row.kind as CheckKind;
    if (!(probeKinds as readonly string[]).includes(kind))
      throw invalid('CHECK_NOT_PROBED', 'id', 'A heartbeat is not probed: the job calls Tocsin');
    const at = this.deps.clock.now();
    const result = await this.deps.prober.probe(
      {
        checkId: row.id,
        kind: kind as ProbeKind,
        config: openHeaders(
          this.deps.cipher,
          JSON.parse(row.config_json) as Record<string, unknown>,
        ),
        timeoutMs: Number(row.timeout_ms),
        allowPrivate: row.allow_private === 1,
      },
      signal,
    );
    return { at, ...result };
  }

  /**
   * "Test now" for a check not saved yet (the create form): the same checks as creating it
   * (team responder; private addresses only for org admins), then one probe. Stores nothing.
   */
  async testDraft(
    actor: Actor,
    rawInput: CreateCheckInput,
    signal?: AbortSignal,
  ): Promise<ProbeOutcome> {
    const input = parseInput(createCheckSchema, rawInput);
    const service = await loadService(this.deps.db, input.serviceId);
    if (!service || roleInTeam(actor, service.teamId) === undefined)
      throw notFound('Service', 'SERVICE_NOT_FOUND');
    if (!canInTeam(actor, service.teamId, 'responder'))
      throw forbidden('Only team responders can test checks', 'CHECK_FORBIDDEN');
    if (input.allowPrivate && !isOrgAdmin(actor)) throw this.privateForbidden();
    if (input.kind === 'heartbeat')
      throw invalid('CHECK_NOT_PROBED', 'kind', 'A heartbeat is not probed: the job calls Tocsin');
    if (input.timeoutSeconds > input.intervalSeconds) throw this.timeoutTooLong();
    let config = input.config as Record<string, unknown>;
    if (input.kind === 'http') {
      // From the edit form: header values sent as the mask are the saved check's, and only for
      // the origin they were saved for. Without a saved check, a mask is refused.
      const saved =
        input.checkId !== undefined ? await this.writable(actor, input.checkId) : undefined;
      const stored =
        saved?.kind === 'http'
          ? (JSON.parse(saved.config_json) as Record<string, unknown>)
          : undefined;
      const resolved = resolveMaskedHeaders(this.deps.cipher, input.config.headers, stored);
      if (stored) checkKeptHeadersOrigin(resolved.kept, stored, config);
      config = { ...config, headers: resolved.headers };
    }
    this.deps.prober.validate(input.kind, config);
    const at = this.deps.clock.now();
    const result = await this.deps.prober.probe(
      {
        checkId: 'draft',
        kind: input.kind,
        config,
        timeoutMs: input.timeoutSeconds * 1000,
        allowPrivate: input.allowPrivate,
      },
      signal,
    );
    return { at, ...result };
  }

  /**
   * A heartbeat ping (`ok`) or failure report, authenticated by its token alone. Answers after
   * the ping is committed. A paused check takes the ping without recording it.
   */
  async ping(
    token: string,
    ok: boolean,
    message: string | null = null,
  ): Promise<{ checkId: string; recorded: boolean }> {
    const row =
      token.length >= 16 && token.length <= 128
        ? await selectCheckByTokenHash(this.deps.db, hashHeartbeatToken(token))
        : undefined;
    if (!row || row.kind !== 'heartbeat')
      throw new AppError({
        kind: 'not_found',
        code: 'HEARTBEAT_NOT_FOUND',
        message: 'Unknown heartbeat',
      });
    const now = this.deps.clock.now();
    this.limitPings(row.id, now);
    if (row.enabled !== 1) return { checkId: row.id, recorded: false };
    const [applied] = await this.deps.recorder.record([
      { type: 'ping', checkId: row.id, at: now, ok, message: message?.slice(0, 1000) || null },
    ]);
    return { checkId: row.id, recorded: applied ?? false };
  }

  // ---- helpers

  /** A row's config for the audit log: header values masked. */
  private auditedConfig(row: Pick<CheckRow, 'config_json'>): { config_json: string } {
    return {
      config_json: JSON.stringify(
        maskHeaders(JSON.parse(row.config_json) as Record<string, unknown>),
      ),
    };
  }

  /**
   * The stored config re-encrypted when it holds header values saved before encryption or with
   * an older key (any save of the check brings them up to date), else nothing.
   */
  private resealed(stored: Record<string, unknown>): { config_json?: string } {
    const fresh = resealHeaders(this.deps.cipher, stored).config;
    return fresh ? { config_json: JSON.stringify(fresh) } : {};
  }

  private limitPings(checkId: string, now: number): void {
    const limit = this.deps.pingsPerMinute ?? 60;
    const w = this.pingWindows.get(checkId);
    if (!w || now - w.start >= minute) {
      if (this.pingWindows.size > 10_000) this.pingWindows.clear();
      this.pingWindows.set(checkId, { start: now, count: 1 });
      return;
    }
    if (++w.count > limit) {
      throw new AppError({
        kind: 'rate_limited',
        code: 'HEARTBEAT_RATE_LIMITED',
        message: `More than ${limit} pings a minute`,
        retryAfterSeconds: Math.max(1, Math.ceil((w.start + minute - now) / 1000)),
      });
    }
  }

  private async readable(actor: Actor, id: string): Promise<CheckRow> {
    const row = await selectCheck(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Check', 'CHECK_NOT_FOUND');
    return row;
  }

  private async writable(actor: Actor, id: string): Promise<CheckRow> {
    const row = await this.readable(actor, id);
    if (!canInTeam(actor, row.team_id, 'responder'))
      throw forbidden('Only team responders can change or run checks', 'CHECK_FORBIDDEN');
    return row;
  }

  private async periodsOf(
    ids: string[],
    from: number,
    to: number,
  ): Promise<Map<string, CheckPeriod[]>> {
    const out = new Map<string, CheckPeriod[]>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const p of await selectPeriods(this.deps.db, ids.slice(i, i + 500), from, to)) {
        let list = out.get(p.check_id);
        if (!list) out.set(p.check_id, (list = []));
        list.push({
          kind: p.kind as CheckPeriod['kind'],
          startedAt: p.started_at,
          endedAt: p.ended_at,
          cause: p.cause,
        });
      }
    }
    return out;
  }

  private async rollupsOf(id: string, resolutionMs: number, from: number, to: number) {
    return (await selectRollupsOfCheck(this.deps.db, id, resolutionMs, from, to)).map((r) => ({
      bucketAt: r.bucket_at,
      summary: {
        count: r.count,
        failures: r.failures,
        latencyCount: r.latency_count,
        latencySumUs: Number(r.latency_sum_us),
        latencyMinUs: r.latency_min_us === null ? null : Number(r.latency_min_us),
        latencyMaxUs: r.latency_max_us === null ? null : Number(r.latency_max_us),
        histogram: histogramFromJson(r.histogram_json),
      },
    }));
  }

  private checkSchedule(cron: string | null, timeZone: string): void {
    if (!isValidTimeZone(timeZone))
      throw invalid('CHECK_TIME_ZONE_INVALID', 'timeZone', `Unknown time zone ${timeZone}`);
    if (cron !== null) {
      const parsed = parseCron(cron);
      if (!parsed.ok) throw invalid('CHECK_CRON_INVALID', 'cron', `cron: ${parsed.message}`);
    }
  }

  private privateForbidden(): AppError {
    return new AppError({
      kind: 'forbidden',
      code: 'CHECK_ALLOW_PRIVATE_ADMIN_ONLY',
      field: 'allowPrivate',
      message:
        'Only organisation admins may let a check reach private addresses (or retarget one that may)',
    });
  }

  private timeoutTooLong(): AppError {
    return invalid(
      'CHECK_TIMEOUT_TOO_LONG',
      'timeoutSeconds',
      'The timeout must not exceed the interval',
    );
  }
}
