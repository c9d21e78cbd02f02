import { z } from 'zod';
import { isValidPattern, matchersSchema } from './matchers.js';

const id = z.string().min(1).max(64);
const time = z.number().int().min(0);

const validRegexes = (ms: Array<{ isRegex: boolean; value: string }>) =>
  ms.every((m) => !m.isRegex || isValidPattern(m.value));

/** `POST /api/silences` */
export const createSilenceSchema = z
  .object({
    teamId: id,
    matchers: matchersSchema.min(1).refine(validRegexes, 'a regex matcher does not compile'),
    startsAt: time.optional(),
    endsAt: time,
    comment: z.string().trim().min(1).max(2000),
  })
  .refine((s) => s.startsAt === undefined || s.endsAt > s.startsAt, {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });
export type CreateSilenceInput = z.infer<typeof createSilenceSchema>;

/** `POST /api/maintenance-windows` */
export const createMaintenanceSchema = z
  .object({
    teamId: id,
    serviceIds: z.array(id).min(1).max(200),
    startsAt: time.optional(),
    endsAt: time,
    description: z.string().trim().min(1).max(2000),
  })
  .refine((s) => s.startsAt === undefined || s.endsAt > s.startsAt, {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });
export type CreateMaintenanceInput = z.infer<typeof createMaintenanceSchema>;

/** `POST /api/inhibit-rules` */
export const createInhibitRuleSchema = z.object({
  teamId: id,
  name: z.string().trim().min(1).max(200),
  sourceMatchers: matchersSchema.min(1).refine(validRegexes, 'a regex matcher does not compile'),
  targetMatchers: matchersSchema.min(1).refine(validRegexes, 'a regex matcher does not compile'),
  equal: z.array(z.string().min(1).max(200)).max(20).default([]),
});
export type CreateInhibitRuleInput = z.infer<typeof createInhibitRuleSchema>;

/** `POST /api/silences/preview`: which open alerts would these matchers mute? */
export const previewMatchersSchema = z.object({
  teamId: id,
  matchers: matchersSchema.min(1).refine(validRegexes, 'a regex matcher does not compile'),
});
