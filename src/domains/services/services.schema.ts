import { z } from 'zod';
import { ackTimeoutMinutes, serviceSettingsSchema } from './service-settings.js';

const tags = z.array(z.string().trim().min(1).max(50)).max(30);
const ids = z.array(z.string().min(1).max(64)).max(50);

/** `POST /api/services`, `tocsin service create` */
export const createServiceSchema = z.object({
  teamId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(''),
  tags: tags.default([]),
  dependsOn: ids.default([]),
  /** One of the team's escalation policies; without one the service pages nobody. */
  escalationPolicyId: z.string().min(1).max(64).nullable().optional(),
  settings: serviceSettingsSchema.optional(),
});
export type CreateServiceInput = z.input<typeof createServiceSchema>;

/** `PATCH /api/services/:id` */
export const updateServiceSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    tags: tags.optional(),
    dependsOn: ids.optional(),
    escalationPolicyId: z.string().min(1).max(64).nullable().optional(),
    // Without defaults: a patch that names only `routing` must keep the other settings as they are.
    settings: z
      .object({
        routing: serviceSettingsSchema.shape.routing.unwrap().optional(),
        groupBy: serviceSettingsSchema.shape.groupBy.unwrap().optional(),
        autoResolve: z.boolean().optional(),
        notifyEmails: serviceSettingsSchema.shape.notifyEmails.unwrap().optional(),
        notifySlackChannel: z.string().max(100).nullable().optional(),
        ackTimeoutMinutes: ackTimeoutMinutes.nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type UpdateServiceInput = z.infer<typeof updateServiceSchema>;
