import { z } from 'zod';
import { snoozeMinutes } from './incident.js';

/** `POST /api/incidents/:id/snooze`: for how long, in minutes (1 to 1440). */
export const snoozeSchema = z.object({
  minutes: z.number().int().min(snoozeMinutes.min).max(snoozeMinutes.max),
});
export type SnoozeInput = z.infer<typeof snoozeSchema>;
