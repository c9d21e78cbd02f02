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
 * Alertmanager's two inbound shapes. The webhook body is `webhook_config`'s payload, version "4"
 * (prometheus.io/docs/alerting/latest/configuration/#webhook_config); the alert list is the
 * `postableAlerts` body of Alertmanager's own API, `POST /api/v2/alerts` (api/v2/openapi.yaml),
 * which Prometheus sends. Go marshals empty maps as `{}` but other senders write null, so the
 * optional maps accept null too. Alert objects are loose: fields this version does not know are
 * kept, because the parsed alert is what the event stores as its raw payload.
 */

/** A label set: string keys to string values, within limits.ts's `labelLimits`. */
export const labelSetSchema = boundedStringMap(labelLimits, 'labels');

/** An annotation set: like labels, but a value may be long text (`annotationLimits`). */
export const annotationSetSchema = boundedStringMap(annotationLimits, 'annotations');

/** A URL field; longer ones are refused rather than stored (limits.ts). */
const url = z.string().max(maxUrlLength, { message: `is longer than ${maxUrlLength} characters` });

const timestamp = z
  .string({ error: 'must be a string' })
  .refine(isTimestamp, { message: 'must be an RFC 3339 date-time' });

/** One alert of a webhook notification. */
export const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSetSchema,
  annotations: annotationSetSchema.nullish(),
  startsAt: timestamp.nullish(),
  endsAt: timestamp.nullish(),
  generatorURL: url.nullish(),
  fingerprint: z.string().max(255, { message: 'is longer than 255 characters' }).nullish(),
});

/** The webhook notification (version "4"). Only `alerts` is required to act on it. */
export const alertmanagerWebhookSchema = z.object({
  version: z.string().nullish(),
  groupKey: z.string().nullish(),
  truncatedAlerts: z.number().int().nonnegative().nullish(),
  status: z.enum(['firing', 'resolved']).nullish(),
  receiver: z.string().nullish(),
  groupLabels: labelSetSchema.nullish(),
  commonLabels: labelSetSchema.nullish(),
  commonAnnotations: annotationSetSchema.nullish(),
  externalURL: url.nullish(),
  // One group's alerts; Alertmanager's `max_alerts` on the webhook_config keeps it under this.
  alerts: z.array(webhookAlertSchema).max(maxEventsPerRequest, {
    message: `${maxItemsMessage(maxEventsPerRequest, 'alerts')}; set max_alerts on the webhook_config`,
  }),
});

/** The webhook body as parsed. */
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;

/** One alert of `POST /api/v2/alerts` (PostableAlert): labels required, the rest optional. */
export const postableAlertSchema = z.looseObject({
  labels: labelSetSchema,
  annotations: annotationSetSchema.nullish(),
  startsAt: timestamp.nullish(),
  endsAt: timestamp.nullish(),
  generatorURL: url.nullish(),
});

/** The `POST /api/v2/alerts` body: Prometheus sends at most 256 alerts a request (64 before 3.0). */
export const postableAlertsSchema = z
  .array(postableAlertSchema)
  .max(maxEventsPerRequest, { message: maxItemsMessage(maxEventsPerRequest, 'alerts') });

/** One postable alert as parsed. */
export type PostableAlert = z.infer<typeof postableAlertSchema>;
