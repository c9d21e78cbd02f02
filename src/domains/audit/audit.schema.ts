import { z } from 'zod';

/** Query of `GET /api/audit`. */
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().max(64).optional(),
  teamId: z.string().max(64).optional(),
});
