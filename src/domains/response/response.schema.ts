import { z } from 'zod';
import { severities } from '../incidents/index.js';
import { responseRoles } from './response.js';

const id = z.string().min(1).max(64);
const severity = z.enum(severities);
const priority = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);
const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** `POST /api/incidents` — declare an incident by hand. */
export const declareSchema = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).default(''),
  severity,
  priority: priority.nullable().default(null),
  /** Impacted services; the first is the incident's own (its team responds). */
  serviceIds: z.array(id).min(1).max(20),
  businessImpact: z.string().max(5000).default(''),
  customerImpacting: z.boolean().default(false),
  commanderId: id.optional(),
  conferenceUrl: httpUrl.nullable().default(null),
});
export type DeclareInput = z.infer<typeof declareSchema>;

/** `PATCH /api/incidents/:id` */
export const updateIncidentSchema = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: z.string().max(20_000),
    severity,
    priority: priority.nullable(),
    serviceIds: z.array(id).min(1).max(20),
    businessImpact: z.string().max(5000),
    customerImpacting: z.boolean(),
    conferenceUrl: httpUrl.nullable(),
  })
  .partial()
  .strict();
export type UpdateIncidentInput = z.infer<typeof updateIncidentSchema>;

/** `POST /api/incidents/:id/status` */
export const statusSchema = z.object({ status: z.enum(['acknowledged', 'mitigated', 'resolved']) });

/** `POST /api/incidents/:id/roles` */
export const assignRoleSchema = z.object({ role: z.enum(responseRoles), userId: id });

/** `POST /api/incidents/:id/checklist` */
export const addChecklistItemSchema = z.object({
  role: z.enum(responseRoles),
  text: z.string().trim().min(1).max(300),
});

/** Attachments: images of graphs, text; 2 MB each, 5 per note. */
export const attachmentTypes = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'application/json',
] as const;

/** Control characters and bidi overrides/isolates: they make a saved file's name lie (`invoice\u202Egnp.exe`). */
const unsafeNameChars = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** `POST /api/incidents/:id/notes` — Markdown (code blocks for log excerpts) and attachments. */
export const noteSchema = z.object({
  markdown: z.string().trim().min(1).max(50_000),
  attachments: z
    .array(
      z.object({
        name: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .refine(
            (n) => !unsafeNameChars.test(n),
            'must not contain control characters or bidi overrides',
          ),
        contentType: z.enum(attachmentTypes),
        dataBase64: z
          .string()
          // `abort`: a longer value is not run through the base64 pattern, which overflows
          // the stack on several megabytes (a 500 instead of this 400).
          .max(Math.ceil((2 * 1024 * 1024 * 4) / 3) + 4, {
            message: 'must be at most 2 MB',
            abort: true,
          })
          .min(1, { message: 'must not be empty', abort: true })
          // Whole base64 groups; the last may be short, padded or not. "a" or "==" decode to nothing.
          .regex(
            /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/,
            'must be base64',
          ),
      }),
    )
    .max(5)
    .default([]),
});
export type NoteInput = z.infer<typeof noteSchema>;

/** `POST /api/incidents/:id/updates` — a stakeholder update. */
export const postUpdateSchema = z.object({ message: z.string().trim().min(1).max(5000) });

/** `GET /api/incidents/:id/timeline?kind=note,update.posted` */
export const timelineQuerySchema = z.object({
  kind: z
    .string()
    .max(500)
    .optional()
    .transform((s) =>
      s
        ? s
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean)
        : undefined,
    ),
});

/** `POST /api/tickets` — a customer's report, from a support tool or a form. */
export const createTicketSchema = z.object({
  customerName: z.string().trim().min(1).max(200),
  customerEmail: z.email().max(320),
  subject: z.string().trim().min(1).max(500),
  body: z.string().max(50_000).default(''),
  /** Join an existing incident… */
  incidentId: id.optional(),
  /** …or declare one from the ticket (on the intake service), at this severity. */
  declare: severity.optional(),
  externalRef: z.string().max(200).optional(),
});
export type CreateTicketInput = z.infer<typeof createTicketSchema>;

/** `PUT /api/response-settings` (org admins). */
export const responseSettingsSchema = z
  .object({
    severities: z
      .array(
        z.object({
          id: severity,
          name: z.string().trim().min(1).max(100),
          description: z.string().trim().min(1).max(1000),
        }),
      )
      .length(3),
    roles: z
      .array(
        z.object({
          id: z.enum(responseRoles),
          name: z.string().trim().min(1).max(100),
          description: z.string().trim().min(1).max(1000),
          checklist: z.array(z.string().trim().min(1).max(300)).max(30),
        }),
      )
      .length(4),
    reminderMinutes: z.object({
      SEV1: z.number().int().min(5).max(1440).nullable(),
      SEV2: z.number().int().min(5).max(1440).nullable(),
      SEV3: z.number().int().min(5).max(1440).nullable(),
    }),
    warRoomSeverities: z.array(severity).max(3),
    ticketTeamId: id.nullable(),
    ticketServiceId: id.nullable(),
  })
  .partial()
  .strict();
