import { createHash } from 'node:crypto';
import { randomToken } from '../../core/ids.js';
import type { NormalizedEvent, Severity } from '../alerts/index.js';
import { nextCronTime, parseCron } from './cron.js';

/*
 * Checks: Tocsin probing a target on a schedule (http, tcp, dns, tls, ping), or waiting for a
 * job to call in (heartbeat). This file holds the types and the pure decisions: when a check
 * runs next, what a result does to its confirmed state, when a heartbeat is late, and which
 * event goes into the alert pipeline. No I/O here.
 */

/** What a check does. Heartbeats are not probed: the job calls Tocsin. */
export const checkKinds = ['http', 'tcp', 'dns', 'tls', 'ping', 'heartbeat'] as const;
export type CheckKind = (typeof checkKinds)[number];

/** The kinds Tocsin probes itself. */
export const probeKinds = ['http', 'tcp', 'dns', 'tls', 'ping'] as const;
export type ProbeKind = (typeof probeKinds)[number];

/**
 * The confirmed state: `unknown` until the first result (or while paused), `up`, or `down`
 * (confirmed by N consecutive failures; an alert is open in the pipeline).
 */
export const checkStates = ['unknown', 'up', 'down'] as const;
export type CheckState = (typeof checkStates)[number];

/** One result as stored and shown. Latency is null when nothing was measured (heartbeats). */
export interface CheckResult {
  at: number;
  /** When the run was due (probes only): `at - scheduledAt` is how late it started. */
  scheduledAt: number | null;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
  details: Record<string, unknown> | null;
}

/** A check as the API shows it. */
export interface Check {
  id: string;
  teamId: string;
  serviceId: string;
  name: string;
  kind: CheckKind;
  enabled: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Heartbeats: how late a ping may be before it counts as missing. */
  graceSeconds: number;
  /** Heartbeats: when pings are expected (cron expression), instead of every interval. */
  cron: string | null;
  timeZone: string;
  failuresToAlert: number;
  successesToResolve: number;
  severity: Severity;
  /** May reach private, loopback and reserved addresses (set by org admins only). */
  allowPrivate: boolean;
  /** Kind-specific settings (checks.schema.ts). */
  config: Record<string, unknown>;
  state: CheckState;
  stateChangedAt: number | null;
  /** Consecutive failures (while not yet confirmed down) or 0. */
  failures: number;
  successes: number;
  /** The TLS certificate expires soon (http with certExpiryDays, tls): a warning alert is open. */
  certWarning: string | null;
  lastResult: {
    at: number;
    ok: boolean;
    latencyMs: number | null;
    error: string | null;
  } | null;
  /** Probes: the next run; heartbeats: the deadline for the next ping (null before the first). */
  nextRunAt: number | null;
  heartbeat: { tokenPrefix: string; lastPingAt: number | null } | null;
  createdAt: number;
  updatedAt: number;
}

// ---- scheduling

/**
 * Where in its interval a check runs: a hash of its id, so start times spread evenly over the
 * interval (2,000 checks at 30 s do not all fire at :00) and stay put across restarts.
 */
export function phaseOffset(id: string, intervalMs: number): number {
  const h = createHash('sha256').update(id).digest();
  return h.readUInt32BE(0) % intervalMs;
}

/**
 * The first run time strictly after `after` on the check's grid: `offset + k × interval`. A
 * check that fell behind (node down, pool full) skips the missed slots rather than running
 * them back to back.
 */
export function nextSlot(after: number, intervalMs: number, offset: number): number {
  const k = Math.floor((after - offset) / intervalMs) + 1;
  return offset + k * intervalMs;
}

// ---- confirmation

/** The streak counters a result moves. */
export interface Streak {
  state: CheckState;
  failures: number;
  failingSince: number | null;
  successes: number;
  passingSince: number | null;
}

/** How many results confirm a change. */
export interface Thresholds {
  failuresToAlert: number;
  successesToResolve: number;
}

/** What one result does. */
export interface ResultDecision {
  next: Streak;
  /**
   * `down`: confirmed down; the downtime began at `since` (the first failure of the streak).
   * `up`: confirmed up after being down; the downtime ended at `since` (the first success of
   * the streak). `first-up`: the first success of a check in `unknown` (nothing to resolve).
   */
  transition:
    { to: 'down'; since: number } | { to: 'up'; since: number } | { to: 'first-up' } | null;
}

/**
 * Applies one result. N consecutive failures confirm `down` (and the downtime is dated from the
 * first of them, so uptime counts the whole outage); N consecutive successes confirm `up`, with
 * the downtime ending at the first of them. A success between failures resets the failure
 * streak (a blip shorter than the confirmation count is no outage), and a failure during
 * recovery resets the success streak (the outage goes on).
 */
export function decideOnResult(
  s: Streak,
  t: Thresholds,
  r: { at: number; ok: boolean },
): ResultDecision {
  if (r.ok) {
    const successes = s.successes + 1;
    const passingSince = s.successes === 0 ? r.at : (s.passingSince ?? r.at);
    const base = { failures: 0, failingSince: null, successes, passingSince };
    if (s.state === 'down') {
      if (successes >= t.successesToResolve) {
        return { next: { ...base, state: 'up' }, transition: { to: 'up', since: passingSince } };
      }
      return { next: { ...base, state: 'down' }, transition: null };
    }
    if (s.state === 'unknown') {
      return { next: { ...base, state: 'up' }, transition: { to: 'first-up' } };
    }
    return { next: { ...base, state: 'up' }, transition: null };
  }
  const failures = s.failures + 1;
  const failingSince = s.failures === 0 ? r.at : (s.failingSince ?? r.at);
  const base = { failures, failingSince, successes: 0, passingSince: null };
  if (s.state === 'down') return { next: { ...base, state: 'down' }, transition: null };
  if (failures >= t.failuresToAlert) {
    return { next: { ...base, state: 'down' }, transition: { to: 'down', since: failingSince } };
  }
  return { next: { ...base, state: s.state }, transition: null };
}

// ---- heartbeats

/** The heartbeat's schedule: every interval, or a cron expression in a zone. */
export interface HeartbeatSchedule {
  intervalMs: number;
  graceMs: number;
  cron: string | null;
  timeZone: string;
}

/**
 * When a ping is next due at the latest, given one arrived at `pingAt`: one interval plus the
 * grace later, or (cron) the next scheduled time after the ping plus the grace. A job should
 * ping after its scheduled time, not before it: a ping a little early counts for the run before.
 */
export function deadlineAfterPing(s: HeartbeatSchedule, pingAt: number): number | null {
  if (s.cron === null) return pingAt + s.intervalMs + s.graceMs;
  const parsed = parseCron(s.cron);
  if (!parsed.ok) return null;
  const next = nextCronTime(parsed.schedule, pingAt, s.timeZone);
  return next === undefined ? null : next + s.graceMs;
}

/**
 * The deadline after one that passed without a ping: each further missed run is one more
 * failure, so the confirmation count applies to heartbeats as to probes.
 */
export function deadlineAfterMiss(s: HeartbeatSchedule, missed: number): number | null {
  if (s.cron === null) return missed + s.intervalMs;
  const parsed = parseCron(s.cron);
  if (!parsed.ok) return null;
  const next = nextCronTime(parsed.schedule, missed - s.graceMs, s.timeZone);
  return next === undefined ? null : next + s.graceMs;
}

/** A new heartbeat token (shown once) and what is stored: its SHA-256 and a short prefix. */
export function newHeartbeatToken(): { token: string; hash: string; prefix: string } {
  const token = randomToken(24);
  return { token, hash: hashHeartbeatToken(token), prefix: token.slice(0, 6) };
}

/** SHA-256 hex of a heartbeat token: full-entropy secret, so a fast hash is right. */
export function hashHeartbeatToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// ---- the alert pipeline

/** What a check's alert events need of it. */
export interface CheckForEvent {
  id: string;
  name: string;
  kind: CheckKind;
  severity: Severity;
  target: string;
}

/** The dedup key of a check's down alert (and `:cert` for its certificate warning). */
export function checkDedupKey(checkId: string, what: 'down' | 'cert' = 'down'): string {
  return what === 'down' ? `check:${checkId}` : `check:${checkId}:cert`;
}

function labelsOf(c: CheckForEvent, alertname: string): Record<string, string> {
  return { alertname, check: c.name, check_id: c.id, check_kind: c.kind };
}

/** The trigger for a check confirmed down. */
export function downEvent(
  c: CheckForEvent,
  info: { since: number; failures: number; error: string | null },
): NormalizedEvent {
  const error = info.error ?? 'failed';
  return {
    action: 'trigger',
    dedupKey: checkDedupKey(c.id),
    summary: `${c.name} is down: ${error}`.slice(0, 300),
    severity: c.severity,
    source: c.target.slice(0, 255),
    component: c.kind,
    labels: labelsOf(c, 'CheckDown'),
    details: { checkId: c.id, kind: c.kind, target: c.target, error, failures: info.failures },
    occurredAt: info.since,
    raw: { checkId: c.id, since: info.since, error },
  };
}

/** The resolve for a check confirmed up again (or paused, or deleted, while down). */
export function upEvent(c: CheckForEvent, reason: string): NormalizedEvent {
  return {
    action: 'resolve',
    dedupKey: checkDedupKey(c.id),
    summary: `${c.name}: ${reason}`.slice(0, 300),
    severity: c.severity,
    source: c.target.slice(0, 255),
    component: c.kind,
    labels: labelsOf(c, 'CheckDown'),
    raw: { checkId: c.id, reason },
  };
}

/** The warning while a certificate nears expiry, and its resolve once renewed. */
export function certEvent(c: CheckForEvent, warning: string | null): NormalizedEvent {
  return {
    action: warning === null ? 'resolve' : 'trigger',
    dedupKey: checkDedupKey(c.id, 'cert'),
    summary: (warning === null ? `${c.name}: certificate renewed` : `${c.name}: ${warning}`).slice(
      0,
      300,
    ),
    severity: 'warning',
    source: c.target.slice(0, 255),
    component: c.kind,
    labels: labelsOf(c, 'CheckCertificateExpiry'),
    raw: { checkId: c.id, warning },
  };
}

/** What a check points at, for alert summaries and lists. */
export function targetOf(kind: CheckKind, config: Record<string, unknown>): string {
  switch (kind) {
    case 'http':
      return String(config.url ?? '');
    case 'tcp':
    case 'tls':
      return `${String(config.host ?? '')}:${String(config.port ?? '')}`;
    case 'dns':
      return `${String(config.name ?? '')} ${String(config.recordType ?? 'A')}`;
    case 'ping':
      return String(config.host ?? '');
    case 'heartbeat':
      return 'heartbeat';
  }
}
