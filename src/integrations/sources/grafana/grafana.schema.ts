import { z } from 'zod';
import { isTimestamp } from '../alert-fields.js';

/*
 * Grafana's two webhook bodies. Unified alerting (Grafana 8+, "Configure the webhook notifier")
 * sends Alertmanager's notification plus Grafana fields: orgId, title, state, message, and per
 * alert values, silenceURL, dashboardURL, panelURL, imageURL. Legacy dashboard alerting (up to
 * Grafana 10) sent one rule's state: title, ruleId, ruleName, ruleUrl, state, imageUrl, message,
 * evalMatches, tags. Optional fields accept null, which Grafana writes for empty values. The
 * alert and legacy objects are loose, so unknown fields survive into the stored raw payload.
 */

const labelSet = z.record(z.string(), z.string({ error: 'must be a string' }));
const timestamp = z
  .string({ error: 'must be a string' })
  .refine(isTimestamp, { message: 'must be an RFC 3339 date-time' });
const text = z.string({ error: 'must be a string' }).nullish();

/** One alert of a unified-alerting notification. */
export const grafanaAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.nullish(),
  startsAt: timestamp.nullish(),
  endsAt: timestamp.nullish(),
  values: z.record(z.string(), z.unknown()).nullish(),
  valueString: text,
  generatorURL: text,
  fingerprint: text,
  silenceURL: text,
  dashboardURL: text,
  panelURL: text,
  imageURL: text,
});

/** A unified-alerting webhook notification (`version: "1"`). */
export const grafanaUnifiedSchema = z.object({
  receiver: text,
  status: z.enum(['firing', 'resolved']).nullish(),
  orgId: z.number().nullish(),
  alerts: z.array(grafanaAlertSchema),
  groupLabels: labelSet.nullish(),
  commonLabels: labelSet.nullish(),
  commonAnnotations: labelSet.nullish(),
  externalURL: text,
  version: text,
  groupKey: text,
  truncatedAlerts: z.number().int().nonnegative().nullish(),
  title: text,
  state: text,
  message: text,
});

/** The states of a legacy alert rule. */
export const legacyStates = ['ok', 'alerting', 'no_data', 'paused', 'pending'] as const;

/** A legacy dashboard-alerting webhook body; `ruleId` or `ruleName` identifies the rule. */
export const grafanaLegacySchema = z
  .looseObject({
    title: text,
    ruleId: z.union([z.number(), z.string()], { error: 'must be a number or a string' }).nullish(),
    ruleName: text,
    ruleUrl: text,
    state: z.enum(legacyStates),
    imageUrl: text,
    message: text,
    evalMatches: z
      .array(
        z.object({
          value: z.number().nullish(),
          metric: text,
          tags: z.record(z.string(), z.unknown()).nullish(),
        }),
      )
      .nullish(),
    tags: z.record(z.string(), z.unknown()).nullish(),
    orgId: z.number().nullish(),
    dashboardId: z.number().nullish(),
    panelId: z.number().nullish(),
  })
  .refine((b) => b.ruleId != null || (b.ruleName != null && b.ruleName.trim() !== ''), {
    message: 'ruleId or ruleName is required to identify the rule',
    path: ['ruleId'],
  });

/** A unified-alerting body as parsed. */
export type GrafanaUnified = z.infer<typeof grafanaUnifiedSchema>;
/** A legacy body as parsed. */
export type GrafanaLegacy = z.infer<typeof grafanaLegacySchema>;
