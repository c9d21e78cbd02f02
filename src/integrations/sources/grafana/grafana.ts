import type { NormalizedEvent } from '../../../domains/alerts/index.js';
import {
  compact,
  firstText,
  imageOf,
  linkOf,
  safeUrl,
  severityFromLabel,
} from '../alert-fields.js';
import { labelLimits, labelsFromDetails } from '../limits.js';
import { isPlainRecord } from '../parse-body.js';
import { prometheusEventCore } from '../prometheus-alert.js';
import type { GrafanaLegacy, GrafanaUnified } from './grafana.schema.js';

/*
 * Pure translation of Grafana webhook bodies into normalised events.
 */

/** Which of Grafana's two webhook formats a body is. */
export type GrafanaFormat = 'unified' | 'legacy' | 'unknown';

/**
 * Unified alerting always carries an `alerts` list (it also has a top-level `state`, so that
 * field cannot decide); a legacy body is one rule's `ruleName`/`ruleId`/`state`.
 */
export function detectGrafanaFormat(body: unknown): GrafanaFormat {
  if (!isPlainRecord(body)) return 'unknown';
  if ('alerts' in body) return 'unified';
  if ('ruleName' in body || 'ruleId' in body || 'state' in body) return 'legacy';
  return 'unknown';
}

/** One event per alert of a unified-alerting notification. */
export function grafanaUnifiedToEvents(body: GrafanaUnified): NormalizedEvent[] {
  return body.alerts.map((alert) => {
    const details: Record<string, unknown> = { annotations: alert.annotations ?? {} };
    if (alert.values) details.values = alert.values;
    if (alert.valueString) details.valueString = alert.valueString;
    return {
      ...prometheusEventCore(alert, firstText(body.title ?? undefined) ?? 'Grafana alert'),
      details,
      links: compact([
        linkOf(alert.generatorURL ?? undefined, 'Alert rule'),
        linkOf(alert.silenceURL ?? undefined, 'Silence'),
        linkOf(alert.dashboardURL ?? undefined, 'Dashboard'),
        linkOf(alert.panelURL ?? undefined, 'Panel'),
      ]),
      images: compact([imageOf(alert.imageURL ?? undefined)]),
      client: 'Grafana',
      clientUrl: safeUrl(body.externalURL ?? undefined),
      raw: alert,
    };
  });
}

/**
 * A legacy rule state as an event: alerting → trigger (severity from the `severity` tag),
 * no_data → trigger at warning, ok → resolve; paused and pending are not alerts (no event).
 * The dedup key is the rule, so the ok that follows an alerting resolves it.
 */
export function grafanaLegacyToEvents(body: GrafanaLegacy): NormalizedEvent[] {
  if (body.state === 'paused' || body.state === 'pending') return [];
  const ruleName = firstText(body.ruleName ?? undefined);
  // A blank ruleId (some Grafana versions send "") falls back to the rule's name.
  const ruleId = body.ruleId == null ? '' : String(body.ruleId).trim();
  const dedupKey = `grafana-rule:${ruleId || (ruleName ?? '')}`;
  // The rule's tags are its labels: those that fit a label's limits (the schema caps the count).
  const tags = labelsFromDetails(body.tags, labelLimits.count);
  const labels: Record<string, string> = { ...tags };
  if (ruleName) labels.alertname = ruleName;
  const details: Record<string, unknown> = {};
  if (body.message) details.message = body.message;
  if (body.evalMatches && body.evalMatches.length > 0) details.evalMatches = body.evalMatches;
  if (body.tags) details.tags = body.tags;
  return [
    {
      action: body.state === 'ok' ? 'resolve' : 'trigger',
      dedupKey,
      summary: firstText(body.title ?? undefined, ruleName) ?? 'Grafana alert',
      severity: body.state === 'no_data' ? 'warning' : severityFromLabel(tags.severity),
      labels,
      details,
      links: compact([linkOf(body.ruleUrl ?? undefined, 'Alert rule')]),
      images: compact([imageOf(body.imageUrl ?? undefined)]),
      client: 'Grafana',
      raw: body,
    },
  ];
}
