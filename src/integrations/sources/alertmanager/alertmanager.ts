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
 * whose endsAt is not after now is resolved. Labels with an empty value are dropped first, as
 * Alertmanager's `removeEmptyLabels` does, so the fingerprint (the dedup key) is the one its
 * webhook would carry. Like Alertmanager, the valid alerts of a batch are kept when some are
 * refused ("best effort"), so one bad rule does not silence the others.
 */
export function postableAlertsToEvents(alerts: PostableAlert[], now: number): PostableAlertsResult {
  const events: NormalizedEvent[] = [];
  const errors: string[] = [];
  for (const alert of alerts) {
    const labels = Object.fromEntries(Object.entries(alert.labels).filter(([, v]) => v !== ''));
    const postedStart = parseTimestamp(alert.startsAt ?? undefined);
    const postedEnd = parseTimestamp(alert.endsAt ?? undefined);
    const startsAt = postedStart ?? postedEnd ?? now;
    const endsAt = postedEnd ?? now + defaultResolveTimeoutMs;
    const problem = validatePostable(labels, startsAt, endsAt);
    if (problem) {
      errors.push(problem);
      continue;
    }
    const resolved = endsAt <= now;
    const core = prometheusEventCore({
      status: resolved ? 'resolved' : 'firing',
      labels,
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

/**
 * Alertmanager's per-alert checks (model.Alert.Validate), in its words, on the alert as it
 * judges it: empty labels dropped, start and end filled in. So a startsAt further ahead than the
 * resolve timeout, with no endsAt, is refused as Alertmanager refuses it.
 */
function validatePostable(
  labels: Record<string, string>,
  startsAt: number,
  endsAt: number,
): string | undefined {
  const names = Object.keys(labels);
  if (names.length === 0) return 'at least one label pair required';
  if (names.some((n) => n === '')) return 'invalid label set: invalid name ""';
  if (endsAt < startsAt) return 'start time must be before end time';
  return undefined;
}
