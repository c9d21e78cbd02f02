import type { z } from 'zod';
import {
  severities,
  type EventAction,
  type NormalizedChange,
  type NormalizedEvent,
  type Severity,
} from '../../../domains/alerts/index.js';
import { compact, imageOf, linkOf, parseTimestamp, safeUrl } from '../alert-fields.js';
import { labelsFromDetails } from '../limits.js';
import { isPlainRecord } from '../parse-body.js';
import {
  pagerDutyAlertEnvelopeSchema,
  pagerDutyChangeSchema,
  pagerDutyMessage,
  pagerDutyTriggerPayloadSchema,
} from './pagerduty-v2.schema.js';

/*
 * Pure translation of PagerDuty Events API v2 bodies into normalised events. Validation collects
 * every problem at once, as PagerDuty does, so a sender fixes its integration in one round.
 */

/** A parsed alert event, or every reason it is invalid (PagerDuty's `errors[]`). */
export type PagerDutyAlertParse =
  { ok: true; routingKey: string; event: NormalizedEvent } | { ok: false; errors: string[] };

/** A parsed change event, or every reason it is invalid. */
export type PagerDutyChangeParse =
  { ok: true; routingKey: string; change: NormalizedChange } | { ok: false; errors: string[] };

const notAnObject = ['Event object must be a JSON object'];

/** Validates and normalises a `POST /v2/enqueue` body. */
export function parsePagerDutyAlert(body: unknown): PagerDutyAlertParse {
  if (!isPlainRecord(body)) return { ok: false, errors: notAnObject };
  const envelope = pagerDutyAlertEnvelopeSchema.safeParse(body);
  const errors = envelope.success ? [] : messages(envelope.error);
  const action = envelope.success ? envelope.data.event_action : undefined;

  // The payload (PD-CEF) is required for a trigger only; acknowledge and resolve may omit it,
  // and Alertmanager sends one anyway, so for those it is read leniently below.
  const isTrigger =
    typeof body.event_action === 'string' && body.event_action.trim().toLowerCase() === 'trigger';
  const payload = isTrigger ? pagerDutyTriggerPayloadSchema.safeParse(body.payload) : undefined;
  if (payload && !payload.success) errors.push(...messages(payload.error, ['payload']));

  if (envelope.success && action !== 'trigger' && !envelope.data.dedup_key?.trim()) {
    errors.push(`'dedup_key' is missing or blank (it is required for ${action} events)`);
  }
  if (!envelope.success || errors.length > 0 || action === undefined) return { ok: false, errors };
  const e = envelope.data;
  const dedupKey = e.dedup_key?.trim() === '' ? undefined : e.dedup_key;
  const raw = withoutRoutingKey(body);

  if (action === 'trigger') {
    if (!payload?.success) return { ok: false, errors: ["'payload' is missing or blank"] };
    const p = payload.data;
    // custom_details is kept whole as details; only its first few short strings become labels.
    const labels: Record<string, string> = { ...labelsFromDetails(p.custom_details) };
    labels.severity = p.severity;
    labels.source = p.source;
    if (p.component !== undefined) labels.component = p.component;
    if (p.group !== undefined) labels.group = p.group;
    if (p.class !== undefined) labels.class = p.class;
    return {
      ok: true,
      routingKey: e.routing_key,
      event: {
        action,
        dedupKey,
        summary: p.summary,
        severity: p.severity,
        source: p.source,
        component: p.component,
        group: p.group,
        class: p.class,
        labels,
        details: p.custom_details,
        links: compact((e.links ?? []).map((l) => linkOf(l.href, l.text))),
        images: compact((e.images ?? []).map((i) => imageOf(i.src, i.href, i.alt))),
        client: e.client,
        clientUrl: safeUrl(e.client_url),
        occurredAt: parseTimestamp(p.timestamp),
        raw,
      },
    };
  }
  return {
    ok: true,
    routingKey: e.routing_key,
    event: followUpEvent(action, dedupKey ?? '', body.payload, raw),
  };
}

/** Validates and normalises a `POST /v2/change/enqueue` body. */
export function parsePagerDutyChange(body: unknown): PagerDutyChangeParse {
  if (!isPlainRecord(body)) return { ok: false, errors: notAnObject };
  const parsed = pagerDutyChangeSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: messages(parsed.error) };
  const { routing_key: routingKey, payload, links } = parsed.data;
  return {
    ok: true,
    routingKey,
    change: {
      summary: payload.summary,
      source: payload.source,
      occurredAt: parseTimestamp(payload.timestamp),
      details: payload.custom_details,
      links: compact((links ?? []).map((l) => linkOf(l.href, l.text))),
      raw: withoutRoutingKey(body),
    },
  };
}

/**
 * An acknowledge or resolve: only the dedup key matters to the pipeline, but whatever usable
 * payload came along (Alertmanager sends its full payload on resolve) is kept for the timeline.
 */
function followUpEvent(
  action: Exclude<EventAction, 'trigger'>,
  dedupKey: string,
  payload: unknown,
  raw: unknown,
): NormalizedEvent {
  const p = isPlainRecord(payload) ? payload : {};
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v : undefined;
  const severity = text(p.severity)?.toLowerCase();
  const known = severities.find((s) => s === severity);
  return {
    action,
    dedupKey,
    summary: text(p.summary) ?? `${action} ${dedupKey}`,
    severity: known ?? ('info' satisfies Severity),
    source: text(p.source),
    labels: {},
    details: p.custom_details,
    raw,
  };
}

/** The body without its routing key: the key is a credential and must not be stored. */
function withoutRoutingKey(body: Record<string, unknown>): unknown {
  const { routing_key: _key, ...rest } = body;
  return rest;
}

function messages(error: z.ZodError, prefix: PropertyKey[] = []): string[] {
  return error.issues.map((issue) =>
    pagerDutyMessage({ ...issue, path: [...prefix, ...issue.path] }),
  );
}
