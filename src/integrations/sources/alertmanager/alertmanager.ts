import type { NormalizedEvent } from '../../../domains/alerts/index.js';
import { compact, linkOf, parseTimestamp, safeUrl } from '../alert-fields.js';
import { prometheusEventCore } from '../prometheus-alert.js';
import type { AlertmanagerWebhook, PostableAlert } from './alertmanager.schema.js';

/*
 * Pure translation of Alertmanager's webhook notifications and of Alertmanager-API alert lists
 * (what Prometheus posts) into normalised events.
 */

/** Alertmanager's default `resolve_timeout`: an alert posted without endsAt ends after it. */
export const defaultResolveTimeoutMs = 5 * 60_000;

/** One event per alert of a webhook notification. */
export function webhookToEvents(webhook: AlertmanagerWebhook): NormalizedEvent[] {
  return webhook.alerts.map((alert) => ({
    ...prometheusEventCore(alert),
    details: alert.annotations ?? {},
    links: compact([linkOf(alert.generatorURL ?? undefined, 'Source')]),
    client: 'Alertmanager',
    clientUrl: safeUrl(webhook.externalURL ?? undefined),
    raw: alert,
  }));
}

/** The events of a valid `POST /api/v2/alerts` body, and why the others were refused. */
export interface PostableAlertsResult {
  events: NormalizedEvent[];
  /** Alertmanager's own wording, one entry per refused alert. */
  errors: string[];
}

/**
 * Alertmanager's API semantics, applied at `now`: an alert without startsAt starts now (or at
 * its endsAt), one without endsAt ends after the resolve timeout unless posted again, and one
 * whose endsAt is not after now is resolved. Like Alertmanager, the valid alerts of a batch are
 * kept when some are refused ("best effort"), so one bad rule does not silence the others.
 */
export function postableAlertsToEvents(alerts: PostableAlert[], now: number): PostableAlertsResult {
  const events: NormalizedEvent[] = [];
  const errors: string[] = [];
  for (const alert of alerts) {
    const problem = validatePostable(alert);
    if (problem) {
      errors.push(problem);
      continue;
    }
    const postedEnd = parseTimestamp(alert.endsAt ?? undefined);
    const endsAt = postedEnd ?? now + defaultResolveTimeoutMs;
    const resolved = endsAt <= now;
    const core = prometheusEventCore({
      status: resolved ? 'resolved' : 'firing',
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      endsAt: alert.endsAt,
    });
    events.push({
      ...core,
      occurredAt: resolved ? endsAt : (core.occurredAt ?? now),
      endsAt,
      details: alert.annotations ?? {},
      links: compact([linkOf(alert.generatorURL ?? undefined, 'Source')]),
      client: 'Prometheus',
      raw: alert,
    });
  }
  return { events, errors };
}

/** Alertmanager's per-alert checks (model.Alert.Validate), in its words. */
function validatePostable(alert: PostableAlert): string | undefined {
  const names = Object.keys(alert.labels);
  if (names.length === 0) return 'at least one label pair required';
  if (names.some((n) => n === '')) return 'invalid label set: invalid name ""';
  const startsAt = parseTimestamp(alert.startsAt ?? undefined);
  const endsAt = parseTimestamp(alert.endsAt ?? undefined);
  if (startsAt !== undefined && endsAt !== undefined && endsAt < startsAt) {
    return 'start time must be before end time';
  }
  return undefined;
}
