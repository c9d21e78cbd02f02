import { z } from 'zod';
import { isTimestamp } from '../alert-fields.js';

/*
 * Alertmanager's two inbound shapes. The webhook body is `webhook_config`'s payload, version "4"
 * (prometheus.io/docs/alerting/latest/configuration/#webhook_config); the alert list is the
 * `postableAlerts` body of Alertmanager's own API, `POST /api/v2/alerts` (api/v2/openapi.yaml),
 * which Prometheus sends. Go marshals empty maps as `{}` but other senders write null, so the
 * optional maps accept null too. Alert objects are loose: fields this version does not know are
 * kept, because the parsed alert is what the event stores as its raw payload.
 */

/** A label or annotation set: string keys to string values. */
export const labelSetSchema = z.record(z.string(), z.string({ error: 'must be a string' }));

const timestamp = z
  .string({ error: 'must be a string' })
  .refine(isTimestamp, { message: 'must be an RFC 3339 date-time' });

/** One alert of a webhook notification. */
export const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSetSchema,
  annotations: labelSetSchema.nullish(),
  startsAt: timestamp.nullish(),
  endsAt: timestamp.nullish(),
  generatorURL: z.string().nullish(),
  fingerprint: z.string().nullish(),
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
  commonAnnotations: labelSetSchema.nullish(),
  externalURL: z.string().nullish(),
  alerts: z.array(webhookAlertSchema),
});

/** The webhook body as parsed. */
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;

/** One alert of `POST /api/v2/alerts` (PostableAlert): labels required, the rest optional. */
export const postableAlertSchema = z.looseObject({
  labels: labelSetSchema,
  annotations: labelSetSchema.nullish(),
  startsAt: timestamp.nullish(),
  endsAt: timestamp.nullish(),
  generatorURL: z.string().nullish(),
});

/** The `POST /api/v2/alerts` body. */
export const postableAlertsSchema = z.array(postableAlertSchema);

/** One postable alert as parsed. */
export type PostableAlert = z.infer<typeof postableAlertSchema>;
