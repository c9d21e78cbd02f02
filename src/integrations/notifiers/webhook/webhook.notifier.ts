import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import {
  defineNotifier,
  outcomeOfError,
  outcomeOfStatus,
  type NotificationContent,
  type OutboundMessage,
  type SendOutcome,
} from '../notifier.js';

/*
 * An outgoing webhook per the Standard Webhooks spec (standardwebhooks.com): one JSON POST per
 * notification with `webhook-id` (the outbox message id, the same on every retry so receivers
 * can deduplicate), `webhook-timestamp` (seconds, the attempt's time, for replay protection) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`). Rotation: the spec lets
 * a sender sign with several keys, space-separated, and a receiver accept any that matches, so
 * during a rotation the config lists the new secret first and the old one after, and receivers
 * move over whenever they like.
 *
 * The receiver's body is never read into a reason: a hostile or chatty endpoint could echo the
 * request (signatures, payload) back, and the status says all the delivery code needs.
 */

/** Smallest and largest HMAC key the spec allows for whsec_ secrets (24 to 64 bytes). */
const SECRET_MIN_BYTES = 24;
const SECRET_MAX_BYTES = 64;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for `whsec_` + canonical base64 of 24 to 64 bytes. */
function isWebhookSecret(value: string): boolean {
  if (!value.startsWith('whsec_')) return false;
  const b64 = value.slice('whsec_'.length);
  if (!b64 || !base64Pattern.test(b64)) return false;
  const bytes = Buffer.from(b64, 'base64').length;
  return bytes >= SECRET_MIN_BYTES && bytes <= SECRET_MAX_BYTES;
}

/** The webhook notifier's settings: signing secrets, current first. */
export const webhookConfigSchema = z.object({
  secrets: z
    .array(
      z
        .string()
        .trim()
        .refine(isWebhookSecret, 'whsec_ followed by base64 of 24 to 64 random bytes'),
    )
    .min(1)
    // The current secret plus the ones being retired; more is a rotation that never finished.
    .max(5),
});

/** Settings of the webhook notifier. */
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** A new random signing secret in the spec's format (32 bytes, as the reference libraries do). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The event types a receiver can switch on. */
export type WebhookEventType =
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.mitigated'
  | 'incident.resolved'
  | 'notification.test'
  | 'notification.digest'
  | 'notification.verify';

/** The JSON body of a webhook: the spec's recommended `{ type, timestamp, data }` envelope. */
export interface WebhookPayload {
  type: WebhookEventType;
  /** When the notification was made (ISO 8601); `webhook-timestamp` is the attempt's time. */
  timestamp: string;
  data: {
    text: string;
    /** The incident, flattened; `createdAt` as ISO 8601. */
    id?: string;
    number?: number;
    title?: string;
    status?: 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
    urgency?: 'high' | 'low';
    serviceName?: string;
    url?: string;
    createdAt?: string;
    links?: { acknowledge?: string; resolve?: string };
    digest?: { count: number; incidents: Array<{ number: number; title: string }> };
  };
}

function eventType(content: NotificationContent): WebhookEventType {
  switch (content.kind) {
    case 'test':
      return 'notification.test';
    case 'verify':
      return 'notification.verify';
    case 'digest':
      return 'notification.digest';
    case 'page':
      return 'incident.triggered';
    case 'update':
      // An update carries the incident's new state; one without an incident is a re-page.
      return `incident.${content.incident?.status ?? 'triggered'}`;
  }
}

/** The payload a message is sent as (exported for tests and the docs' examples). */
export function webhookPayload(message: OutboundMessage, now = Date.now()): WebhookPayload {
  const c = message.content;
  const i = c.incident;
  return {
    type: eventType(c),
    timestamp: new Date(now).toISOString(),
    data: {
      ...(i ? { ...i, createdAt: new Date(i.createdAt).toISOString() } : {}),
      text: c.text,
      ...(c.links ? { links: c.links } : {}),
      ...(c.digest ? { digest: c.digest } : {}),
    },
  };
}

/**
 * The `webhook-signature` header: one `v1,<signature>` per secret, space-separated, in the
 * config's order. Signed with the standardwebhooks reference library so the bytes are exactly
 * what its verifiers compute.
 */
export function signWebhook(
  id: string,
  timestampSeconds: number,
  body: string,
  secrets: readonly string[],
): string {
  const at = new Date(timestampSeconds * 1000);
  return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
}

/** A user-entered URL as http(s), or undefined. */
function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Standard Webhooks: a signed JSON POST per notification to the contact method's URL. */
export const webhookNotifier = defineNotifier<WebhookConfig>({
  id: 'webhook',
  label: 'Webhook',
  configSchema: webhookConfigSchema,
  secretFields: ['secrets'],
  capabilities: {
    addressKind: 'url',
    updateInPlace: false,
    deliveryReceipts: false,
    interactive: false,
  },
  async send(message, ctx): Promise<SendOutcome> {
    // The URL itself may hold a token (`?key=`), so it is scrubbed like a secret.
    const secrets = [...ctx.config.secrets, message.to];
    const url = httpUrl(message.to);
    if (!url) return { ok: false, retryable: false, reason: 'webhook: not an http(s) URL' };
    // The spec forbids '.' in the id: it is the separator of the signed content.
    if (message.id.includes('.')) {
      return { ok: false, retryable: false, reason: 'webhook: message id contains "."' };
    }
    const body = JSON.stringify(webhookPayload(message));
    const timestamp = Math.floor(Date.now() / 1000);
    let res: Response;
    try {
      res = await ctx.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tocsin-Webhook/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(message.id, timestamp, body, ctx.config.secrets),
        },
        body,
        // The spec: a redirect is a failure (update the URL), and following one would let a
        // receiver bounce the signed request somewhere the SSRF guard never looked at.
        redirect: 'manual',
        signal: AbortSignal.timeout(ctx.timeoutMs),
      });
    } catch (err) {
      return outcomeOfError(err, secrets);
    }
    // Release the connection without reading what the receiver said.
    await res.body?.cancel().catch(() => undefined);
    return outcomeOfStatus(res.status, `webhook ${res.status}`, res.headers.get('retry-after'));
  },
});
