import { z } from 'zod';
import { integrationTypes } from '../alerts/index.js';

/** `POST /api/services/:id/integrations`, `tocsin integration create` */
export const createIntegrationSchema = z.object({
  type: z.enum(integrationTypes),
  name: z.string().trim().min(1).max(100).optional(),
  /** Source-specific settings (the generic webhook's mapping); validated by the source. */
  config: z.record(z.string(), z.unknown()).default({}),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
});
export type CreateIntegrationInput = z.infer<typeof createIntegrationSchema>;
