import { z } from 'zod';
import { integrationTypes } from '../alerts/index.js';

/** `POST /api/services/:id/integrations`, `tocsin integration create` */
export const createIntegrationSchema = z.object({
  type: z.enum(integrationTypes),
  name: z.string().trim().min(1).max(100).optional(),
  /** Source-specific settings (the generic webhook's mapping); validated by the source. */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Events a minute; unset: `defaultRateLimitPerMinute(type)`. */
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
});

/**
 * A key's default events a minute. Alertmanager and Grafana send many alerts in one request (a
 * group, a Prometheus batch) and Alertmanager's webhook does not retry a 429, so their keys get
 * more room than keys that take one event a request (PagerDuty, generic, email).
 */
export function defaultRateLimitPerMinute(type: string): number {
  return type === 'alertmanager' || type === 'grafana' ? 6_000 : 600;
}
export type CreateIntegrationInput = z.infer<typeof createIntegrationSchema>;
