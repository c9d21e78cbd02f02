import { z } from 'zod';
import { isTimestamp } from '../alert-fields.js';
import {
  annotationLimits,
  boundedStringMap,
  labelLimits,
  maxEventsPerRequest,
  maxItemsMessage,
  maxUrlLength,
} from '../limits.js';

/*
 * Grafana's two webhook bodies. Unified alerting (Grafana 8+, "Configure the webhook notifier")
 * sends Alertmanager's notification plus Grafana fields: orgId, title, state, message, and per
 * alert values, silenceURL, dashboardURL, panelURL, imageURL. Legacy dashboard alerting (up to
 * Grafana 10) sent one rule's state: title, ruleId, ruleName, ruleUrl, state, imageUrl, message,
 * evalMatches, tags. Optional fields accept null, which Grafana writes for empty values. The
 * alert and legacy objects are loose, so unknown fields survive into the stored raw payload.
 */

// Limits as Alertmanager's (limits.ts): Grafana's alerts are Alertmanager's model.
const labelSet = boundedStringMap(labelLimits, 'labels');
const annotationSet = boundedStringMap(annotationLimits, 'annotations');
const timestamp = z
  .string({ error: 'must be a string' })
  .refine(isTimestamp, { message: 'must be an RFC 3339 date-time' });
const text = z.string({ error: 'must be a string' }).nullish();
/** A URL field; a longer one is refused rather than stored. */
const url = z
  .string({ error: 'must be a string' })
  .max(maxUrlLength, { message: `is longer than ${maxUrlLength} characters` })
  .nullish();
/** Query values and a legacy rule's tags: one entry per query or tag, as many as labels. */
const smallRecord = z
  .record(z.string(), z.unknown())
  .refine((r) => Object.keys(r).length <= labelLimits.count, {
    message: `has more than ${labelLimits.count} entries`,
  });

/** One alert of a unified-alerting notification. */
export const grafanaAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: annotationSet.nullish(),
  startsAt: timestamp.nullish(),
  endsAt: timestamp.nullish(),
  values: smallRecord.nullish(),
  valueString: z
    .string({ error: 'must be a string' })
    .max(annotationLimits.value, { message: `is longer than ${annotationLimits.value} characters` })
    .nullish(),
  generatorURL: url,
  fingerprint: z
    .string({ error: 'must be a string' })
    .max(255, { message: 'is longer than 255 characters' })
    .nullish(),
  silenceURL: url,
  dashboardURL: url,
  panelURL: url,
  imageURL: url,
});

/** A unified-alerting webhook notification (`version: "1"`). */
export const grafanaUnifiedSchema = z.object({
  receiver: text,
  status: z.enum(['firing', 'resolved']).nullish(),
  orgId: z.number().nullish(),
  alerts: z
    .array(grafanaAlertSchema)
    .max(maxEventsPerRequest, { message: maxItemsMessage(maxEventsPerRequest, 'alerts') }),
  groupLabels: labelSet.nullish(),
  commonLabels: labelSet.nullish(),
  commonAnnotations: annotationSet.nullish(),
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
    ruleName: z
      .string({ error: 'must be a string' })
      .max(labelLimits.value, { message: `is longer than ${labelLimits.value} characters` })
      .nullish(),
    ruleUrl: url,
    state: z.enum(legacyStates),
    imageUrl: url,
    message: text,
    evalMatches: z
      .array(
        z.object({
          value: z.number().nullish(),
          metric: text,
          tags: z.record(z.string(), z.unknown()).nullish(),
        }),
      )
      .max(maxEventsPerRequest, { message: maxItemsMessage(maxEventsPerRequest, 'matches') })
      .nullish(),
    tags: smallRecord.nullish(),
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
