import type { z } from 'zod';
import type {
  NotificationContent,
  NotifierCapabilities,
  OutboundMessage,
  SendOutcome,
} from '../../domains/notifications/index.js';

/*
 * One interface for every outbound notifier (DESIGN.md convention 7). A notifier is plain data
 * and functions: it renders a notification in its vendor's format, hands it to the vendor, and
 * says what happened as data — it never throws for a vendor's 4xx/5xx or a timeout (convention
 * 5). Retrying, backing off, falling back to another contact method and recording attempts are
 * the notifications domain's job, not the notifier's. Every notifier passes the shared
 * conformance suite in test/notifiers/.
 */

export type { NotificationContent, OutboundMessage, SendOutcome, NotifierCapabilities };

/** What a notifier gets besides the message. */
export interface NotifierContext<C> {
  /** The notifier's settings, secrets decrypted. */
  config: C;
  /**
   * fetch for every outbound HTTP request of a notifier: vendor APIs and user-configured URLs
   * alike go through the SSRF guard (integrations/net), with the admin allow-list applied.
   */
  fetch: typeof fetch;
  /** Abort any one request after this long; a timeout is a retryable failure. */
  timeoutMs: number;
  /** Tocsin's public base URL (callbacks, links), when configured. */
  publicUrl: string | undefined;
}

/** A notifier: one folder under integrations/notifiers/ and one line in integrations/index.ts. */
export interface Notifier<C = unknown> {
  /** Also the contact-method type it serves: email, slack, sms, voice, webhook, teams. */
  id: string;
  label: string;
  /** Validates the notifier's settings (admin UI/API); defaults fill what is left out. */
  configSchema: z.ZodType<C>;
  /** Config keys holding secrets: encrypted at rest, never returned by the API, never logged. */
  secretFields: readonly string[];
  capabilities: NotifierCapabilities;
  send(message: OutboundMessage, ctx: NotifierContext<C>): Promise<SendOutcome>;
  /** Re-renders a sent message in place (capabilities.updateInPlace). */
  update?(
    providerRef: string,
    message: OutboundMessage,
    ctx: NotifierContext<C>,
  ): Promise<SendOutcome>;
}

/** Identity helper that gives a notifier its config type. */
export function defineNotifier<C>(notifier: Notifier<C>): Notifier<C> {
  return notifier;
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `[redacted]`. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/** The values of a config's secret fields (strings, or arrays of strings for rotated secrets). */
export function secretValues(config: unknown, fields: readonly string[]): string[] {
  const out: string[] = [];
  const c = (config ?? {}) as Record<string, unknown>;
  for (const f of fields) {
    const v = c[f];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/**
 * Parses Retry-After (seconds or an HTTP date) into milliseconds from `now`; undefined when
 * absent or unreadable. Capped at one hour so a hostile header cannot park a page for a day.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const cap = 60 * 60_000;
  if (/^\s*\d+\s*$/.test(value)) return Math.min(Number(value) * 1000, cap);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), cap);
}

/**
 * The outcome of a vendor's HTTP answer by status alone: 2xx ok; 408, 429 and 5xx retryable
 * (429 with its Retry-After); any other 4xx permanent. `reason` is built by the caller and must
 * already be scrubbed.
 */
export function outcomeOfStatus(
  status: number,
  reason: string,
  retryAfter?: string | null,
): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(retryAfter);
  return {
    ok: false,
    retryable,
    reason,
    status,
    ...(retryAfterMs !== undefined && retryable ? { retryAfterMs } : {}),
  };
}

/**
 * The outcome of a thrown fetch error: a timeout or a network failure is retryable; a request
 * the SSRF guard refused is not (retrying will not make the address public).
 */
export function outcomeOfError(
  err: unknown,
  secrets: ReadonlyArray<string | undefined>,
): SendOutcome {
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string };
  };
  const blocked = e?.code === 'SSRF_BLOCKED' || e?.cause?.code === 'SSRF_BLOCKED';
  const timeout = e?.name === 'TimeoutError' || e?.name === 'AbortError';
  const detail = e?.cause?.message ?? e?.message ?? String(err);
  return {
    ok: false,
    retryable: !blocked,
    reason: scrubSecrets(timeout ? 'timed out' : detail, secrets),
  };
}
