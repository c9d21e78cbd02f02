import { z } from 'zod';
import { checkedMatchersSchema, matcherHolds } from './matchers.js';

const id = z.string().min(1).max(64);
const time = z.number().int().min(0);

/** `POST /api/silences` */
export const createSilenceSchema = z
  .object({
    teamId: id,
    // As Alertmanager: a silence must not mute every alert that lacks some label. Like its
    // `matchesEmpty`, only `=` and `=~` matchers are judged: `env != "prod"` alone is accepted.
    matchers: checkedMatchersSchema.refine(
      (ms) => ms.some((m) => !m.isEqual || !matcherHolds(m, {})),
      'at least one matcher must not match the empty string (a silence of everything)',
    ),
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
  sourceMatchers: checkedMatchersSchema,
  targetMatchers: checkedMatchersSchema,
  equal: z.array(z.string().min(1).max(200)).max(20).default([]),
});
export type CreateInhibitRuleInput = z.infer<typeof createInhibitRuleSchema>;

/** `POST /api/silences/preview`: which open alerts would these matchers mute? */
export const previewMatchersSchema = z.object({
  teamId: id,
  matchers: checkedMatchersSchema,
});
