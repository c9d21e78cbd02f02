import { z } from 'zod';
import { isValidPlainDate, isValidTimeZone } from './time-zone.js';

const id = z.string().min(1).max(64);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
// A real calendar date: "2026-02-31" passes the pattern but would break every computation
// over the layer (and with it who is on call and escalation), so it is refused here.
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(isValidPlainDate, 'must be a real calendar date');

export const rotationSchema = z
  .object({
    kind: z.enum(['hourly', 'daily', 'weekly', 'custom']),
    length: z.number().int().min(1).max(365).optional(),
    unit: z.enum(['hours', 'days']).optional(),
    handoffTime: hhmm.default('09:00'),
  })
  .refine((r) => r.kind !== 'custom' || (r.length !== undefined && r.unit !== undefined), {
    message: 'custom rotations need length and unit',
    path: ['length'],
  });

export const restrictionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily'), start: hhmm, end: hhmm }),
  z.object({
    kind: z.literal('weekly'),
    startDay: z.number().int().min(1).max(7),
    start: hhmm,
    endDay: z.number().int().min(1).max(7),
    end: hhmm,
  }),
]);

export const layerSchema = z.object({
  id: id.optional(),
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(100).default(0),
  participants: z.array(id).min(1).max(100),
  rotation: rotationSchema,
  startDate: isoDate,
  restrictions: z.array(restrictionSchema).max(20).default([]),
});

const timeZone = z.string().min(1).max(64).refine(isValidTimeZone, 'unknown time zone');

/** `POST /api/schedules` */
export const createScheduleSchema = z.object({
  teamId: id,
  name: z.string().trim().min(1).max(100),
  timeZone,
  layers: z.array(layerSchema).min(1).max(10),
});
export type CreateScheduleInput = z.infer<typeof createScheduleSchema>;

/** `PUT /api/schedules/:id` */
export const updateScheduleSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: timeZone.optional(),
  layers: z.array(layerSchema).min(1).max(10).optional(),
});
export type UpdateScheduleInput = z.infer<typeof updateScheduleSchema>;

/** `POST /api/schedules/:id/overrides` */
export const createOverrideSchema = z
  .object({ userId: id, start: z.number().int().min(0), end: z.number().int().min(0) })
  .refine((o) => o.end > o.start, { message: 'must be after start', path: ['end'] });

/** `GET /api/schedules/:id/shifts` and the CLI */
export const shiftsQuerySchema = z
  .object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) })
  .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= 366 * 24 * 3_600_000, {
    message: 'at most a year at a time',
    path: ['to'],
  });

export const targetSchema = z.object({ type: z.enum(['user', 'schedule', 'team']), id });

/** `POST /api/escalation-policies` */
export const createPolicySchema = z.object({
  teamId: id,
  name: z.string().trim().min(1).max(100),
  repeatCount: z.number().int().min(0).max(9).default(0),
  levels: z
    .array(
      z.object({
        delayMinutes: z.number().int().min(1).max(1440).default(5),
        targets: z.array(targetSchema).min(1).max(20),
      }),
    )
    .min(1)
    .max(10),
});
export type CreatePolicyInput = z.infer<typeof createPolicySchema>;

/** `PUT /api/escalation-policies/:id`: the whole policy but its team. */
export const updatePolicySchema = createPolicySchema.omit({ teamId: true });
export type UpdatePolicyInput = z.infer<typeof updatePolicySchema>;

/** `POST /api/incidents/:id/escalate`: the next level, or `level` (1-based). */
export const escalateSchema = z
  .object({ level: z.number().int().min(1).max(10).optional() })
  .nullish();

/** `POST /api/incidents/:id/responders` */
export const addRespondersSchema = z.object({
  userIds: z.array(id).min(1).max(20),
  message: z.string().trim().min(1).max(500),
});

export const contactTypes = ['email', 'sms', 'voice', 'slack', 'webhook', 'teams'] as const;

/** `POST /api/me/contact-methods` */
export const createContactMethodSchema = z
  .object({
    type: z.enum(contactTypes),
    label: z.string().trim().min(1).max(100),
    address: z.string().trim().min(1).max(500),
  })
  .superRefine((v, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', path: ['address'], message });
    if ((v.type === 'sms' || v.type === 'voice') && !/^\+[1-9]\d{6,14}$/.test(v.address))
      bad('must be a phone number in E.164 form, e.g. +4915123456789');
    if (v.type === 'email' && !z.email().safeParse(v.address).success)
      bad('must be an email address');
    if (v.type === 'slack' && !/^[UW][A-Z0-9]{2,}$/.test(v.address))
      bad('must be a Slack member ID such as U024BE7LH');
    if ((v.type === 'webhook' || v.type === 'teams') && !/^https?:\/\/[^\s]+$/.test(v.address))
      bad('must be an http(s) URL');
  });

/** `POST /api/me/contact-methods/:id/verify` */
export const verifyContactSchema = z.object({
  code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});

/** `POST /api/me/notification-rules` */
export const createRuleSchema = z.object({
  contactMethodId: id,
  urgency: z.enum(['high', 'low']),
  delayMinutes: z.number().int().min(0).max(120),
});

/** `POST /api/me/calendar-feeds` */
export const createCalendarFeedSchema = z
  .object({ kind: z.enum(['user', 'schedule']), scheduleId: id.optional() })
  .refine((f) => f.kind === 'user' || f.scheduleId, {
    message: 'a schedule feed needs scheduleId',
    path: ['scheduleId'],
  });

/** `POST /api/incidents/:id/reassign`: to a policy, or to people. */
export const reassignSchema = z
  .object({ policyId: id.optional(), userIds: z.array(id).min(1).max(20).optional() })
  .refine((r) => (r.policyId ? 1 : 0) + (r.userIds ? 1 : 0) === 1, {
    message: 'give either policyId or userIds',
    path: ['policyId'],
  });
