import type { IntegrationRef, Severity } from '../alerts/index.js';
import {
  targetOf,
  type Check,
  type CheckForEvent,
  type CheckKind,
  type CheckState,
  type HeartbeatSchedule,
  type Streak,
  type Thresholds,
} from './check.js';
import { maskHeaders } from './check-secrets.js';
import type { CheckRow } from './checks.store.js';

// Row ↔ domain mapping shared by the services of this domain.

/** A stored check as the API shows it: header values masked (check-secrets.ts). */
export function toCheck(row: CheckRow): Check {
  const kind = row.kind as CheckKind;
  return {
    id: row.id,
    teamId: row.team_id,
    serviceId: row.service_id,
    name: row.name,
    kind,
    enabled: row.enabled === 1,
    intervalSeconds: Math.round(Number(row.interval_ms) / 1000),
    timeoutSeconds: Math.round(Number(row.timeout_ms) / 1000),
    graceSeconds: Math.round(Number(row.grace_ms) / 1000),
    cron: row.cron,
    timeZone: row.time_zone,
    failuresToAlert: row.failures_to_alert,
    successesToResolve: row.successes_to_resolve,
    severity: row.severity as Severity,
    allowPrivate: row.allow_private === 1,
    config: maskHeaders(JSON.parse(row.config_json) as Record<string, unknown>),
    state: row.state as CheckState,
    stateChangedAt: row.state_changed_at,
    failures: row.failures,
    successes: row.successes,
    certWarning: row.cert_warning,
    lastResult:
      row.last_at === null
        ? null
        : {
            at: row.last_at,
            ok: row.last_ok === 1,
            latencyMs: row.last_latency_us === null ? null : Number(row.last_latency_us) / 1000,
            error: row.last_error,
          },
    nextRunAt: row.next_run_at,
    heartbeat:
      kind === 'heartbeat'
        ? { tokenPrefix: row.token_prefix ?? '', lastPingAt: row.last_ping_at }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The streak counters of a row. */
export function streakOf(row: CheckRow): Streak {
  return {
    state: row.state as CheckState,
    failures: row.failures,
    failingSince: row.failing_since,
    successes: row.successes,
    passingSince: row.passing_since,
  };
}

/** The confirmation counts of a row. */
export function thresholdsOf(row: CheckRow): Thresholds {
  return { failuresToAlert: row.failures_to_alert, successesToResolve: row.successes_to_resolve };
}

/** A heartbeat row's schedule. */
export function scheduleOf(row: CheckRow): HeartbeatSchedule {
  return {
    intervalMs: Number(row.interval_ms),
    graceMs: Number(row.grace_ms),
    cron: row.cron,
    timeZone: row.time_zone,
  };
}

/** What the alert events of a row need. */
export function forEvent(row: CheckRow): CheckForEvent {
  const kind = row.kind as CheckKind;
  return {
    id: row.id,
    name: row.name,
    kind,
    severity: row.severity as Severity,
    target: targetOf(kind, JSON.parse(row.config_json) as Record<string, unknown>),
  };
}

/**
 * The synthetic integration a check's events come from, as app/ does for Tocsin's own alerts:
 * the check's service and team, so routing, muting and escalation are the service's.
 */
export function integrationOf(
  row: Pick<CheckRow, 'service_id' | 'team_id' | 'name'>,
): IntegrationRef {
  return {
    id: 'tocsin-checks',
    serviceId: row.service_id,
    teamId: row.team_id,
    type: 'generic',
    name: `check ${row.name}`,
    config: {},
  };
}

/** The row columns that put a check back to "no result yet". */
export const resetState = {
  state: 'unknown',
  state_changed_at: null,
  failures: 0,
  failing_since: null,
  successes: 0,
  passing_since: null,
  cert_warning: null,
} as const;
