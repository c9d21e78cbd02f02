import { z } from 'zod';
import { severities } from '../incidents/index.js';
import {
  actionPriorities,
  actionStatuses,
  postmortemStatuses,
  sectionIds,
  trackers,
} from './postmortem.js';

const id = z.string().min(1).max(64);
/** A section's Markdown: 100 kB each keeps a whole postmortem under about 1 MB. */
const markdown = z.string().max(100_000);
const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);
const time = z.number().int().min(0).max(8_640_000_000_000_000);

/** `PATCH /api/postmortems/:id` — any sections, title, review meeting; `version` guards edits. */
export const updatePostmortemSchema = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    sections: z.partialRecord(z.enum(sectionIds), markdown).optional(),
    reviewMeetingAt: time.nullable().optional(),
    /** The version the edit was made on; a newer stored version refuses it (409). */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type UpdatePostmortemInput = z.infer<typeof updatePostmortemSchema>;

/** `POST /api/postmortems/check` — the blameless check over unsaved text. */
export const checkTextSchema = z.object({ text: z.string().max(1_000_000) });

/** `POST /api/postmortems/:id/submit` — to review, with the reviewers. */
export const submitSchema = z.object({ reviewerIds: z.array(id).min(1).max(20) });

/** `POST /api/postmortems/:id/reviews` — a reviewer approves or comments. */
export const reviewSchema = z.object({
  decision: z.enum(['approve', 'comment']),
  body: z.string().trim().max(10_000).default(''),
  section: z.enum(sectionIds).optional(),
});
export type ReviewInput = z.infer<typeof reviewSchema>;

/** `POST /api/postmortems/:id/comments` */
export const commentSchema = z.object({
  body: z.string().trim().min(1).max(10_000),
  section: z.enum(sectionIds).optional(),
});

/** `GET /api/postmortems` */
export const postmortemQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(postmortemStatuses).optional(),
  teamId: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PostmortemQuery = z.infer<typeof postmortemQuerySchema>;

/** `POST /api/postmortems/:id/action-items` */
export const createActionItemSchema = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).default(''),
  ownerId: id.nullable().default(null),
  priority: z.enum(actionPriorities),
  dueAt: time.nullable().default(null),
});
export type CreateActionItemInput = z.infer<typeof createActionItemSchema>;

/** `PATCH /api/action-items/:id` */
export const updateActionItemSchema = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: z.string().max(20_000),
    ownerId: id.nullable(),
    priority: z.enum(actionPriorities),
    dueAt: time.nullable(),
    status: z.enum(actionStatuses),
  })
  .partial()
  .strict();
export type UpdateActionItemInput = z.infer<typeof updateActionItemSchema>;

/** `GET /api/action-items` */
export const actionItemQuerySchema = z.object({
  teamId: id.optional(),
  status: z.enum(actionStatuses).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  ownerId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ActionItemQuery = z.infer<typeof actionItemQuerySchema>;

/** `POST /api/action-items/:id/export` */
export const exportActionItemSchema = z.object({ tracker: z.enum(trackers) });

const token = z.string().max(2000);
/** Jira: base URL (Cloud or Data Center), project, issue type, auth (email + API token = Basic; token alone = Bearer). */
export const jiraSettingsSchema = z.object({
  baseUrl: httpUrl,
  projectKey: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[A-Z][A-Z0-9_]*$/, 'a Jira project key'),
  issueType: z.string().trim().min(1).max(100).default('Task'),
  email: z.string().trim().max(320).default(''),
  /** Empty keeps the stored token. */
  token: token.default(''),
  /** Labels put on every exported issue. */
  labels: z
    .array(z.string().trim().min(1).max(100).regex(/^\S+$/, 'no spaces'))
    .max(10)
    .default([]),
});
/** GitHub (or GitHub Enterprise's `/api/v3`): base URL, repository, token. */
export const githubSettingsSchema = z.object({
  baseUrl: httpUrl.default('https://api.github.com'),
  owner: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\w.-]+$/),
  repo: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\w.-]+$/),
  token: token.default(''),
  labels: z.array(z.string().trim().min(1).max(100)).max(10).default([]),
});

/** `PUT /api/settings/postmortems` (org admins). */
export const postmortemSettingsSchema = z
  .object({
    /** Severities whose incidents get a postmortem drafted when they resolve. */
    requiredSeverities: z.array(z.enum(severities)).max(3),
    /** Reminder interval for overdue action items, in hours. */
    reminderHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    /** How often exported issues are polled for their state, in minutes. */
    syncMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    blameless: z.object({
      /** Terms added to the default list. */
      terms: z
        .array(
          z.object({
            term: z.string().trim().min(2).max(100),
            suggestion: z.string().trim().max(300).default(''),
          }),
        )
        .max(500),
      /** Default terms switched off. */
      disabled: z.array(z.string().trim().min(1).max(100)).max(200),
    }),
    jira: jiraSettingsSchema.nullable(),
    github: githubSettingsSchema.nullable(),
    /** Team leads get the weekly digest (Monday 08:00 UTC) when on. */
    weeklyDigest: z.boolean(),
  })
  .partial()
  .strict();
export type PostmortemSettingsInput = z.infer<typeof postmortemSettingsSchema>;

/** `GET /api/service-reviews` */
export const serviceReviewQuerySchema = z.object({
  teamId: id.optional(),
  status: z.enum(['open', 'done']).optional(),
});

/** `PATCH /api/service-reviews/:id` — tick items (one boolean per item), notes, done. */
export const updateServiceReviewSchema = z
  .object({
    checklist: z.array(z.boolean()).max(50),
    notes: z.string().max(20_000),
    status: z.enum(['open', 'done']),
  })
  .partial()
  .strict();
