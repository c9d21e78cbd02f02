import { z } from 'zod';

/** `POST /api/services` */
export const createServiceSchema = z.object({
  teamId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(''),
});
export type CreateServiceInput = z.infer<typeof createServiceSchema>;
