import { z } from 'zod';
import { checkedMatchersSchema } from '../muting/index.js';
import { severities } from '../services/index.js';
import { alertStatuses } from './alert.js';

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)));

/** `GET /api/alerts` */
export const alertQuerySchema = z.object({
  teamId: z.string().max(64).optional(),
  serviceId: z.string().max(64).optional(),
  incidentId: z.string().max(64).optional(),
  status: csv(alertStatuses).optional(),
  severity: csv(severities).optional(),
  muted: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.string().max(64).optional(),
});
export type AlertQueryInput = z.infer<typeof alertQuerySchema>;

/** `POST /api/event-rules` */
export const createEventRuleSchema = z.object({
  teamId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(10_000).default(100),
  matchers: checkedMatchersSchema,
  actions: z
    .object({
      severity: z.enum(severities).optional(),
      routeToServiceId: z.string().min(1).max(64).optional(),
      suppress: z.boolean().optional(),
      drop: z.boolean().optional(),
    })
    .refine(
      (a) => a.severity || a.routeToServiceId || a.suppress || a.drop,
      'name at least one action',
    ),
  enabled: z.boolean().default(true),
});
export type CreateEventRuleInput = z.infer<typeof createEventRuleSchema>;
