import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import {
  eventActions,
  severities,
  type EventAction,
  type NormalizedEvent,
  type Severity,
} from '../../../domains/alerts/index.js';
import { labelsFromDetails, maxNameLength } from '../limits.js';
import { issueField } from '../source-response.js';
import { jsonPathField, parseJsonPath, readJsonPath } from './json-path.js';

/*
 * The generic webhook's per-integration mapping: where in an arbitrary JSON (or form) body the
 * summary, severity, dedup key, action and source are, what to use when they are absent, and how
 * the sender's words map to Tocsin's ("P1" → critical, "ok" → resolve). Every path is optional
 * and defaults to the field of the same name at the top level, so a body that already says
 * `{"summary":…,"severity":…}` needs no mapping at all.
 */

/** Where each field is read when the mapping does not say. */
export const defaultGenericPaths = {
  summary: '$.summary',
  severity: '$.severity',
  dedupKey: '$.dedupKey',
  action: '$.action',
  source: '$.source',
} as const;

/** A normalised mapping: every path present, defaults filled in. */
export interface GenericMapping {
  summary: string;
  severity: string;
  dedupKey: string;
  action: string;
  source: string;
  defaults: { severity: Severity; action: EventAction; summary?: string | undefined };
  severityMap: Record<string, Severity>;
  actionMap: Record<string, EventAction>;
}

const jsonPath = z
  .string({ error: 'must be a JSON path string such as "$.alert.title"' })
  .superRefine((path, ctx) => {
    const parsed = parseJsonPath(path);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `JSON path ${parsed.message}` });
  });

const mapKey = z.string().min(1).max(100);

/** The stored mapping as an admin writes it (all optional). */
export const genericMappingSchema = z
  .object({
    summary: jsonPath.optional(),
    severity: jsonPath.optional(),
    dedupKey: jsonPath.optional(),
    action: jsonPath.optional(),
    source: jsonPath.optional(),
    defaults: z
      .object({
        severity: z.enum(severities).optional(),
        action: z.enum(eventActions).optional(),
        summary: z.string().trim().min(1).max(1024).optional(),
      })
      .strict()
      .optional(),
    severityMap: z
      .record(mapKey, z.enum(severities))
      .refine((m) => Object.keys(m).length <= 100, { message: 'has more than 100 entries' })
      .optional(),
    actionMap: z
      .record(mapKey, z.enum(eventActions))
      .refine((m) => Object.keys(m).length <= 100, { message: 'has more than 100 entries' })
      .optional(),
  })
  .strict();

/**
 * Validates a generic integration's config and returns the normalised mapping; `{}` (or no
 * config) is the default mapping. Throws AppError VALIDATION_FAILED naming the bad field.
 */
export function parseGenericConfig(config: unknown): GenericMapping {
  const parsed = genericMappingSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown key (a typo such as "sumary") is reported on the object; name the key itself.
    const path =
      issue?.code === 'unrecognized_keys'
        ? [...issue.path, ...issue.keys.slice(0, 1)]
        : issue?.path;
    const field = path ? issueField(path) : undefined;
    throw new AppError({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      message: `${field ?? 'config'}: ${issue?.message ?? 'invalid mapping'}`,
      ...(field ? { field } : {}),
    });
  }
  const m = parsed.data;
  return {
    summary: m.summary ?? defaultGenericPaths.summary,
    severity: m.severity ?? defaultGenericPaths.severity,
    dedupKey: m.dedupKey ?? defaultGenericPaths.dedupKey,
    action: m.action ?? defaultGenericPaths.action,
    source: m.source ?? defaultGenericPaths.source,
    defaults: {
      severity: m.defaults?.severity ?? 'error',
      action: m.defaults?.action ?? 'trigger',
      summary: m.defaults?.summary,
    },
    severityMap: { ...m.severityMap },
    actionMap: { ...m.actionMap },
  };
}

/** A mapped event, or the field the body lacks for it. */
export type GenericMapResult =
  { ok: true; event: NormalizedEvent } | { ok: false; message: string; field?: string };

/** Longest dedup key taken from a body (the same limit as PagerDuty's). */
export const maxGenericDedupKeyLength = 255;

/** Longest source taken from a body (the same as a PagerDuty event's, limits.ts). */
export const maxGenericSourceLength = maxNameLength;

/** Applies a mapping to a decoded body. */
export function mapGenericEvent(body: unknown, mapping: GenericMapping): GenericMapResult {
  const read = (path: string): string | undefined => scalarText(readJsonPath(body, path));

  const summary = read(mapping.summary) ?? mapping.defaults.summary;
  if (summary === undefined) {
    return failure(
      mapping.summary,
      `nothing usable at ${mapping.summary} and the mapping has no default summary`,
    );
  }

  const rawAction = read(mapping.action);
  const action =
    rawAction === undefined
      ? mapping.defaults.action
      : lookup(rawAction, mapping.actionMap, eventActions);
  if (action === undefined) {
    return failure(
      mapping.action,
      `"${rawAction}" at ${mapping.action} is not trigger, acknowledge or resolve, and the mapping's actionMap does not name it`,
    );
  }

  const rawSeverity = read(mapping.severity);
  // An unknown severity word still pages (at the default severity) rather than being refused:
  // losing an alert over its wording is worse than a wrong urgency.
  const severity =
    (rawSeverity === undefined
      ? undefined
      : lookup(rawSeverity, mapping.severityMap, severities)) ?? mapping.defaults.severity;

  const dedupKey = read(mapping.dedupKey);
  if (dedupKey !== undefined && Array.from(dedupKey).length > maxGenericDedupKeyLength) {
    return failure(mapping.dedupKey, `is longer than ${maxGenericDedupKeyLength} characters`);
  }
  if (action !== 'trigger' && dedupKey === undefined) {
    return failure(mapping.dedupKey, `nothing at ${mapping.dedupKey}: ${action} needs a dedup key`);
  }

  const source = read(mapping.source);
  if (source !== undefined && source.length > maxGenericSourceLength) {
    return failure(mapping.source, `is longer than ${maxGenericSourceLength} characters`);
  }

  return {
    ok: true,
    event: {
      action,
      dedupKey,
      summary,
      severity,
      source,
      // The body is kept whole as details; only its first few short top-level strings are labels.
      labels: labelsFromDetails(body),
      details: body,
      raw: body,
    },
  };
}

/** A string, number or boolean as trimmed text; anything else (or blank) is nothing. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** The sender's word through its map (exact, then any case), else a Tocsin word in any case. */
function lookup<T extends string>(
  word: string,
  map: Record<string, T>,
  allowed: readonly T[],
): T | undefined {
  if (Object.hasOwn(map, word)) return map[word];
  const lower = word.toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lower) return v;
  return allowed.find((a) => a === lower);
}

function failure(path: string, problem: string): GenericMapResult {
  const field = jsonPathField(path);
  return field
    ? { ok: false, message: `${field}: ${problem}`, field }
    : { ok: false, message: problem };
}
