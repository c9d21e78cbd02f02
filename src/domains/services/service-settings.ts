import { z } from 'zod';

/** PagerDuty's four severities; Tocsin routes on them. */
export const severities = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

/**
 * What severity routing does with an alert: `page` opens or joins an incident and pages through
 * the escalation policy; `notify` opens or joins an incident with a 24-hour response target and
 * tells the service's distribution list, waking nobody; `record` stores it for the trend reports.
 */
export const routes = ['page', 'notify', 'record'] as const;
export type Route = (typeof routes)[number];

export type SeverityRouting = Record<Severity, Route>;

/**
 * The seed teams' defaults: critical pages on-call; error (high) goes to the distribution list
 * with a 24-hour response target; warning and info are recorded only.
 */
export const defaultSeverityRouting: SeverityRouting = {
  critical: 'page',
  error: 'notify',
  warning: 'record',
  info: 'record',
};

const labelName = z.string().min(1).max(200);

/** Minutes of an acknowledgement timeout: a minute to a day. */
export const ackTimeoutMinutes = z.number().int().min(1).max(1440);

/** Per-service routing, grouping and distribution-list settings. */
export const serviceSettingsSchema = z.object({
  routing: z
    .object({
      critical: z.enum(routes),
      error: z.enum(routes),
      warning: z.enum(routes),
      info: z.enum(routes),
    })
    .default(defaultSeverityRouting),
  /** Labels whose values make the group key; alerts sharing it join one open incident. */
  groupBy: z.array(labelName).max(20).default(['alertname']),
  /** Resolve the incident when all its alerts have resolved. */
  autoResolve: z.boolean().default(true),
  /** The distribution list for `notify` routing (delivered by the notifications work). */
  notifyEmails: z.array(z.email()).max(50).default([]),
  notifySlackChannel: z.string().max(100).nullable().default(null),
  /**
   * Acknowledgement timeout (PagerDuty's): an incident still acknowledged this many minutes after
   * its acknowledgement is re-triggered and escalation restarts at level 1. Null: never (the
   * default, for new services and for those stored before the setting existed). The incidents
   * domain reads it from the stored JSON (`ackTimeoutOf`), keep the two in step.
   */
  ackTimeoutMinutes: ackTimeoutMinutes.nullable().default(null),
});
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;

/** Settings as stored (missing keys take their defaults). */
export function parseServiceSettings(json: string): ServiceSettings {
  return serviceSettingsSchema.parse(JSON.parse(json));
}
