import { z } from 'zod';
import { isValidTimeZone } from '../oncall/index.js';
import { reportBuckets } from './report.js';

const time = z.coerce.number().int().min(0).max(8_640_000_000_000_000);

/** The query every report takes: a window (30 days to now by default), a team, CSV or JSON. */
export const reportQuerySchema = z.object({
  from: time.optional(),
  to: time.optional(),
  teamId: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** `GET /api/reports/response-times` */
export const responseTimesQuerySchema = reportQuerySchema.extend({
  groupBy: z.enum(['service', 'team', 'severity']).default('service'),
  bucket: z.enum(reportBuckets).default('week'),
});
export type ResponseTimesQuery = z.infer<typeof responseTimesQuerySchema>;

/** `GET /api/reports/noise` */
export const noiseQuerySchema = reportQuerySchema.extend({
  bucket: z.enum(reportBuckets).default('day'),
  /** An alert (service + dedup key) opened this many times in the window is flapping. */
  flapThreshold: z.coerce.number().int().min(2).max(1000).default(3),
});
export type NoiseQuery = z.infer<typeof noiseQuerySchema>;

/** `GET /api/reports/oncall-load` */
export const oncallLoadQuerySchema = reportQuerySchema.extend({
  timeZone: z
    .string()
    .max(100)
    .refine((tz) => isValidTimeZone(tz), 'an IANA time zone')
    .default('UTC'),
});
export type OncallLoadQuery = z.infer<typeof oncallLoadQuerySchema>;
