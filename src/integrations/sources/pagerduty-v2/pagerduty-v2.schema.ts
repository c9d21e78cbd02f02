import { z } from 'zod';
import { eventActions, severities } from '../../../domains/alerts/index.js';

/*
 * PagerDuty Events API v2 bodies (developer.pagerduty.com, "Send an Alert Event" and "Send a
 * Change Event"; PagerDuty/api-schema reference/events-v2/openapiv3.json). Every message is the
 * tail of PagerDuty's own error sentence ("'payload.summary' is missing or blank"); the issue path
 * supplies the field. Values PagerDuty documents as lower-case enums are accepted in any case,
 * because refusing "Critical" would drop a page over a spelling.
 */

/** PagerDuty's length limits. */
export const pagerDutyLimits = { summary: 1024, dedupKey: 255 } as const;

const missing = 'is missing or blank';

const absent = (input: unknown): boolean => input === undefined || input === null;

/** Counts code points, not UTF-16 units, as "characters" in PagerDuty's limits. */
const lengthOf = (s: string): number => Array.from(s).length;

/** A required, non-blank string of at most `max` characters. */
function requiredText(max?: number) {
  const base = z
    .string({ error: (iss) => (absent(iss.input) ? missing : 'must be a string') })
    .refine((v) => v.trim() !== '', { message: missing, abort: true });
  return max === undefined
    ? base
    : base.refine((v) => lengthOf(v) <= max, {
        message: `is too long (maximum is ${max} characters)`,
      });
}

/** An optional string; JSON null counts as absent. */
function optionalText(max?: number) {
  const base = z.string({ error: 'must be a string' });
  const limited =
    max === undefined
      ? base
      : base.refine((v) => lengthOf(v) <= max, {
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

/** `links[]` of an alert or change event. */
export const pagerDutyLinksSchema = z
  .array(z.object({ href: requiredText(), text: optionalText() }, { error: objectError }), {
    error: arrayError,
  })
  .nullish();

/** `images[]` of an alert event. */
export const pagerDutyImagesSchema = z
  .array(
    z.object(
      { src: requiredText(), href: optionalText(), alt: optionalText() },
      { error: objectError },
    ),
    { error: arrayError },
  )
  .nullish();

/** The envelope of `POST /v2/enqueue`; `payload` is checked separately (trigger only). */
export const pagerDutyAlertEnvelopeSchema = z.object({
  routing_key: requiredText(),
  event_action: lenientEnum(eventActions),
  dedup_key: optionalText(pagerDutyLimits.dedupKey),
  payload: z.unknown().optional(),
  client: optionalText(),
  client_url: optionalText(),
  links: pagerDutyLinksSchema,
  images: pagerDutyImagesSchema,
});

/** `payload` of a trigger event (PD-CEF). */
export const pagerDutyTriggerPayloadSchema = z.object(
  {
    summary: requiredText(pagerDutyLimits.summary),
    source: requiredText(),
    severity: lenientEnum(severities),
    timestamp: optionalText(),
    component: optionalText(),
    group: optionalText(),
    class: optionalText(),
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
      source: optionalText(),
      timestamp: optionalText(),
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
