import { z } from 'zod';
import { eventActions, severities } from '../../../domains/alerts/index.js';
import { maxLinksPerEvent, maxNameLength, maxUrlLength } from '../limits.js';

/*
 * PagerDuty Events API v2 bodies (developer.pagerduty.com, "Send an Alert Event" and "Send a
 * Change Event"; PagerDuty/api-schema reference/events-v2/openapiv3.json). Every message is the
 * tail of PagerDuty's own error sentence ("'payload.summary' is missing or blank"); the issue path
 * supplies the field. Values PagerDuty documents as lower-case enums are accepted in any case,
 * because refusing "Critical" would drop a page over a spelling.
 */

/**
 * Length and count limits. PagerDuty documents `summary` (1,024) and `dedup_key` (255); for the
 * other fields it documents none, so Tocsin takes the summary's 1,024 for the short names
 * (source, component, group, class, client, link text, image alt), limits.ts's `maxUrlLength`
 * for URLs, and at most 50 links and 50 images: each is far above what any integration sends,
 * and together they keep one event's stored fields small. custom_details is bounded by the
 * 512 KB body only.
 */
export const pagerDutyLimits = {
  summary: 1024,
  dedupKey: 255,
  text: maxNameLength,
  url: maxUrlLength,
  timestamp: 64,
  links: maxLinksPerEvent,
  images: maxLinksPerEvent,
} as const;

const missing = 'is missing or blank';

const absent = (input: unknown): boolean => input === undefined || input === null;

/**
 * True when `s` has at most `max` code points (PagerDuty's "characters", not UTF-16 units).
 * Counted only near the limit: a string of N units has between N/2 and N code points.
 */
const fits = (s: string, max: number): boolean =>
  s.length <= max || (s.length <= 2 * max && Array.from(s).length <= max);

/** A required, non-blank string of at most `max` characters. */
function requiredText(max?: number) {
  const base = z
    .string({ error: (iss) => (absent(iss.input) ? missing : 'must be a string') })
    .refine((v) => v.trim() !== '', { message: missing, abort: true });
  return max === undefined
    ? base
    : base.refine((v) => fits(v, max), {
        message: `is too long (maximum is ${max} characters)`,
      });
}

/** An optional string; JSON null counts as absent. */
function optionalText(max?: number) {
  const base = z.string({ error: 'must be a string' });
  const limited =
    max === undefined
      ? base
      : base.refine((v) => fits(v, max), {
          message: `is too long (maximum is ${max} characters)`,
        });
  return limited.nullish().transform((v) => v ?? undefined);
}

/** An enum matched case-insensitively, naming the allowed values when it fails. */
function lenientEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(values, {
      error: (iss) =>
        absent(iss.input) ? missing : `is invalid (must be one of: ${values.join(', ')})`,
    }),
  );
}

const objectError = (iss: { input?: unknown }): string =>
  absent(iss.input) ? missing : 'must be an object';
const arrayError = (iss: { input?: unknown }): string =>
  absent(iss.input) ? missing : 'must be an array';

const tooMany = (max: number) => `has more than ${max} items (the maximum is ${max})`;

/** `links[]` of an alert or change event. */
export const pagerDutyLinksSchema = z
  .array(
    z.object(
      {
        href: requiredText(pagerDutyLimits.url),
        text: optionalText(pagerDutyLimits.text),
      },
      { error: objectError },
    ),
    { error: arrayError },
  )
  .max(pagerDutyLimits.links, { message: tooMany(pagerDutyLimits.links) })
  .nullish();

/** `images[]` of an alert event. */
export const pagerDutyImagesSchema = z
  .array(
    z.object(
      {
        src: requiredText(pagerDutyLimits.url),
        href: optionalText(pagerDutyLimits.url),
        alt: optionalText(pagerDutyLimits.text),
      },
      { error: objectError },
    ),
    { error: arrayError },
  )
  .max(pagerDutyLimits.images, { message: tooMany(pagerDutyLimits.images) })
  .nullish();

/** The envelope of `POST /v2/enqueue`; `payload` is checked separately (trigger only). */
export const pagerDutyAlertEnvelopeSchema = z.object({
  routing_key: requiredText(),
  event_action: lenientEnum(eventActions),
  dedup_key: optionalText(pagerDutyLimits.dedupKey),
  payload: z.unknown().optional(),
  client: optionalText(pagerDutyLimits.text),
  client_url: optionalText(pagerDutyLimits.url),
  links: pagerDutyLinksSchema,
  images: pagerDutyImagesSchema,
});

/** `payload` of a trigger event (PD-CEF). */
export const pagerDutyTriggerPayloadSchema = z.object(
  {
    summary: requiredText(pagerDutyLimits.summary),
    source: requiredText(pagerDutyLimits.text),
    severity: lenientEnum(severities),
    timestamp: optionalText(pagerDutyLimits.timestamp),
    component: optionalText(pagerDutyLimits.text),
    group: optionalText(pagerDutyLimits.text),
    class: optionalText(pagerDutyLimits.text),
    custom_details: z.unknown().optional(),
  },
  { error: objectError },
);

/** The body of `POST /v2/change/enqueue`. */
export const pagerDutyChangeSchema = z.object({
  routing_key: requiredText(),
  payload: z.object(
    {
      summary: requiredText(pagerDutyLimits.summary),
      source: optionalText(pagerDutyLimits.text),
      timestamp: optionalText(pagerDutyLimits.timestamp),
      custom_details: z.unknown().optional(),
    },
    { error: objectError },
  ),
  links: pagerDutyLinksSchema,
});

/** `'links[0].href' is missing or blank`: PagerDuty's sentence for one zod issue. */
export function pagerDutyMessage(issue: z.core.$ZodIssue): string {
  let field = '';
  for (const part of issue.path) {
    if (typeof part === 'number') field += `[${part}]`;
    else field += field === '' ? String(part) : `.${String(part)}`;
  }
  return field === '' ? `Event ${issue.message}` : `'${field}' ${issue.message}`;
}
