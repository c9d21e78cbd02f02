import type { NormalizedEvent } from '../../domains/alerts/index.js';
import {
  firstText,
  parseTimestamp,
  prometheusFingerprint,
  severityFromLabel,
} from './alert-fields.js';

/*
 * The alert model Alertmanager and Grafana's unified alerting share (labels, annotations,
 * startsAt/endsAt, status, fingerprint), turned into the parts of a normalised event both
 * sources fill the same way. Each source adds its own links, details and raw payload.
 */

/** The fields of an Alertmanager-model alert this mapping reads. */
export interface PrometheusModelAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string> | null | undefined;
  startsAt?: string | null | undefined;
  endsAt?: string | null | undefined;
  fingerprint?: string | null | undefined;
}

/** The event fields common to every Alertmanager-model source. */
export type PrometheusEventCore = Pick<
  NormalizedEvent,
  'action' | 'dedupKey' | 'summary' | 'severity' | 'source' | 'labels' | 'occurredAt' | 'endsAt'
>;

/**
 * Status → action (resolved → resolve, firing → trigger); dedup key = the sender's fingerprint,
 * else Prometheus' fingerprint of the labels; summary = summary or description annotation, else
 * the alertname; severity from the `severity` label (error when absent or unknown); endsAt only
 * when it is not Go's zero time. A resolve happened at endsAt, a trigger at startsAt.
 */
export function prometheusEventCore(
  alert: PrometheusModelAlert,
  fallbackSummary = 'Alert',
): PrometheusEventCore {
  const annotations = alert.annotations ?? {};
  const labels = { ...alert.labels };
  const startsAt = parseTimestamp(alert.startsAt ?? undefined);
  const endsAt = parseTimestamp(alert.endsAt ?? undefined);
  const action = alert.status === 'resolved' ? 'resolve' : 'trigger';
  return {
    action,
    dedupKey: firstText(alert.fingerprint ?? undefined) ?? prometheusFingerprint(labels),
    summary:
      firstText(annotations.summary, annotations.description, labels.alertname) ?? fallbackSummary,
    severity: severityFromLabel(labels.severity),
    source: firstText(labels.instance, labels.job),
    labels,
    occurredAt: action === 'resolve' ? (endsAt ?? startsAt) : startsAt,
    endsAt,
  };
}
