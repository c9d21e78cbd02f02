import { z } from 'zod';
import {
  componentStatuses,
  contrastRatio,
  impacts,
  incidentStatuses,
  maintenanceStatuses,
  pageAccesses,
  templateStatuses,
  validIpEntry,
} from './statuspage.js';

/*
 * Inputs to the status page use cases, shared by HTTP and the service. Sizes are bounded so a
 * page stays small enough to render and cache.
 */

const id = z.string().min(1).max(64);
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
  .refine((c) => contrastRatio(c, '#ffffff') >= 4.5, {
    message: 'white text on this colour must reach 4.5:1 contrast (WCAG AA); pick a darker one',
  });
const httpsUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), { message: 'an http(s) URL' });
const domain = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'a host name')
  .transform((d) => d.toLowerCase());
const slug = z
  .string()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and dashes');
const timeZone = z.string().min(1).max(64);
const ipList = z
  .array(z.string().max(64).refine(validIpEntry, { message: 'an IP address or CIDR range' }))
  .max(100);

/** A new status page. */
export const createPageSchema = z.strictObject({
  teamId: id,
  slug,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(''),
  logoUrl: httpsUrl.nullable().default(null),
  brandColor: color.default('#1f5fbf'),
  customDomain: domain.nullable().default(null),
  timeZone: timeZone.default('UTC'),
  access: z.enum(pageAccesses).default('public'),
  password: z.string().min(8).max(200).optional(),
  ipAllow: ipList.default([]),
});
export type CreatePageInput = z.input<typeof createPageSchema>;

/** Changes to a page. */
export const updatePageSchema = z.strictObject({
  slug: slug.optional(),
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().max(2000).optional(),
  logoUrl: httpsUrl.nullable().optional(),
  brandColor: color.optional(),
  customDomain: domain.nullable().optional(),
  timeZone: timeZone.optional(),
  access: z.enum(pageAccesses).optional(),
  password: z.string().min(8).max(200).optional(),
  ipAllow: ipList.optional(),
  /** Per status: the page's own message template; null or blank goes back to Tocsin's default. */
  messageTemplates: z
    .partialRecord(z.enum(templateStatuses), z.string().max(2000).nullable())
    .optional(),
});
export type UpdatePageInput = z.input<typeof updatePageSchema>;

/** A new component. */
export const createComponentSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(1000).default(''),
  group: z.string().trim().min(1).max(120).nullable().default(null),
  position: z.number().int().min(0).max(10_000).optional(),
  manualStatus: z.enum(componentStatuses).nullable().default(null),
  serviceIds: z.array(id).max(50).default([]),
  checkIds: z.array(id).max(50).default([]),
});
export type CreateComponentInput = z.input<typeof createComponentSchema>;

/** Changes to a component; `manualStatus: null` returns it to derived status. */
export const updateComponentSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().max(1000).optional(),
  group: z.string().trim().min(1).max(120).nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  manualStatus: z.enum(componentStatuses).nullable().optional(),
  serviceIds: z.array(id).max(50).optional(),
  checkIds: z.array(id).max(50).optional(),
});
export type UpdateComponentInput = z.input<typeof updateComponentSchema>;

const body = z.string().trim().min(1).max(10_000);

/** A new public incident with its first update. */
export const createPublicIncidentSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  status: z.enum(incidentStatuses).default('investigating'),
  impact: z.enum(impacts).default('minor'),
  body,
  componentIds: z.array(id).max(100).default([]),
  /** The internal incident this one tells customers about (never shown publicly). */
  incidentId: id.nullable().default(null),
  notify: z.boolean().default(true),
});
export type CreatePublicIncidentInput = z.input<typeof createPublicIncidentSchema>;

/** An update to a public incident. */
export const publicIncidentUpdateSchema = z.strictObject({
  status: z.enum(incidentStatuses),
  body,
  impact: z.enum(impacts).optional(),
  componentIds: z.array(id).max(100).optional(),
  notify: z.boolean().default(true),
});
export type PublicIncidentUpdateInput = z.input<typeof publicIncidentUpdateSchema>;

/** A new scheduled maintenance. */
export const createMaintenanceSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    body,
    componentIds: z.array(id).max(100).default([]),
    scheduledFor: z.iso.datetime({ offset: true }),
    scheduledUntil: z.iso.datetime({ offset: true }),
    /** Start and complete it at those times without anyone posting. */
    autoTransition: z.boolean().default(true),
    /** How long before the start subscribers get the advance notice (null: none). */
    notifyBeforeMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 14)
      .nullable()
      .default(60 * 24),
    notify: z.boolean().default(true),
  })
  .refine((m) => Date.parse(m.scheduledUntil) > Date.parse(m.scheduledFor), {
    path: ['scheduledUntil'],
    message: 'must be after scheduledFor',
  });
export type CreateMaintenanceInput = z.input<typeof createMaintenanceSchema>;

/**
 * An update to a maintenance (moving it by hand through its statuses), which may also move its
 * end (an overrun) or hand it over from the timer to people (`autoTransition: false`).
 */
export const maintenanceUpdateSchema = z.strictObject({
  status: z.enum(maintenanceStatuses),
  body,
  notify: z.boolean().default(true),
  scheduledUntil: z.iso.datetime({ offset: true }).optional(),
  autoTransition: z.boolean().optional(),
});
export type MaintenanceUpdateInput = z.input<typeof maintenanceUpdateSchema>;

/** A Slack channel subscribed by the page's team (an incoming-webhook URL). */
export const slackSubscriberSchema = z.strictObject({
  kind: z.literal('slack'),
  webhookUrl: httpsUrl,
  componentIds: z.array(id).max(100).optional(),
});
export type SlackSubscriberInput = z.input<typeof slackSubscriberSchema>;

/** A subscription from the public page. */
export const subscribeSchema = z.strictObject({
  email: z.email().max(254).optional(),
  webhookUrl: httpsUrl.optional(),
  componentIds: z.array(id).max(100).optional(),
});
export type SubscribeInput = z.input<typeof subscribeSchema>;
