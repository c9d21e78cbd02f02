import { z } from 'zod';
import {
  defineNotifier,
  outcomeOfError,
  outcomeOfStatus,
  scrubSecrets,
  type Notifier,
  type NotifierContext,
  type OutboundMessage,
  type SendOutcome,
} from '../notifier.js';

/*
 * The one place Tocsin talks to Twilio's REST API (2010-04-01), shared by the SMS and voice
 * notifiers: both create a resource under the account with a form-encoded POST and Basic auth,
 * and both get the same error JSON back ({ code, message, more_info, status }). Plain fetch,
 * no SDK: the request goes through the SSRF-guarded `ctx.fetch` like every other notifier's.
 */

/** Settings shared by the SMS and voice notifiers (one Twilio account, one caller id). */
export const twilioConfigSchema = z.object({
  /** The account the resources are created under; also the Basic-auth user name. */
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio Account SID: AC followed by 32 hex digits'),
  /** The account's auth token: Basic-auth password and the key of X-Twilio-Signature. */
  authToken: z.string().trim().min(1, 'required'),
  /** The Twilio number messages and calls come from, in E.164 form. */
  fromNumber: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{1,14}$/, 'an E.164 phone number such as +14155550100'),
  /** Twilio's API base; configurable so tests (and regional edges) can point elsewhere. */
  apiUrl: z.url().default('https://api.twilio.com'),
});

/** Twilio settings after validation (defaults applied). */
export type TwilioConfig = z.infer<typeof twilioConfigSchema>;

/** The Twilio REST resources Tocsin creates. */
export type TwilioResource = 'Messages' | 'Calls';

/** Vendor text copied into a reason is capped: reasons land in the UI and the attempt log. */
const maxMessageLength = 300;

/**
 * Everything that could reveal the credentials. The Basic credential `sid:token` is listed as
 * a whole so its base64 form (the Authorization header value) is scrubbed too, should a proxy
 * or the vendor ever echo the header back.
 */
function credentialSecrets(config: TwilioConfig): string[] {
  return [`${config.accountSid}:${config.authToken}`, config.authToken, config.accountSid];
}

/** The endpoint of a resource under the account, e.g. `.../Accounts/AC…/Messages.json`. */
export function twilioResourceUrl(config: TwilioConfig, resource: TwilioResource): string {
  const base = config.apiUrl.replace(/\/+$/, '');
  return `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/${resource}.json`;
}

/** Where Twilio reports delivery (status callbacks), when Tocsin has a public URL. */
export function twilioStatusCallbackUrl(publicUrl: string | undefined): string | undefined {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/api/notify/twilio/status` : undefined;
}

/**
 * Creates a Twilio resource (an SMS or a call) and says what happened as data: 200/201 is
 * ok with the resource's SID as `providerRef` (status callbacks name it later); 429 is
 * retryable with its Retry-After; 5xx and timeouts are retryable; any other 4xx is permanent,
 * with Twilio's error code and message as the reason, scrubbed of the credentials. Undefined
 * parameters are left out of the form.
 */
export async function postTwilio(
  ctx: NotifierContext<TwilioConfig>,
  resource: TwilioResource,
  params: Record<string, string | undefined>,
): Promise<SendOutcome> {
  const { config } = ctx;
  const secrets = credentialSecrets(config);
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.append(k, v);
  const basic = Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64');
  try {
    const res = await ctx.fetch(twilioResourceUrl(config, resource), {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      // The timeout covers reading the body too: a vendor that stalls mid-answer is a timeout.
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    const body = parseJson(await res.text());
    if (res.ok) {
      const sid = typeof body?.sid === 'string' ? body.sid : undefined;
      return sid ? { ok: true, providerRef: sid } : { ok: true };
    }
    return outcomeOfStatus(
      res.status,
      scrubSecrets(twilioReason(res.status, body), secrets),
      res.headers.get('retry-after'),
    );
  } catch (err) {
    return outcomeOfError(err, secrets);
  }
}

/**
 * A notifier that pages by creating a Twilio resource from the account's number: SMS and voice
 * differ only in the resource, their label and the parameter carrying what is said (`Body` of a
 * message, `Twiml` of a call). Both reach phone numbers, learn of delivery through the status
 * callback and take the person's answer (a reply, a key press).
 */
export function defineTwilioNotifier(definition: {
  id: string;
  label: string;
  resource: TwilioResource;
  /** The resource's content parameters for `message`, e.g. `{ Body: … }`. */
  content(message: OutboundMessage, publicUrl: string | undefined): Record<string, string>;
}): Notifier<TwilioConfig> {
  return defineNotifier<TwilioConfig>({
    id: definition.id,
    label: definition.label,
    configSchema: twilioConfigSchema,
    secretFields: ['authToken'],
    capabilities: {
      addressKind: 'phone',
      updateInPlace: false,
      deliveryReceipts: true,
      interactive: true,
    },
    send(message, ctx) {
      return postTwilio(ctx, definition.resource, {
        To: message.to,
        From: ctx.config.fromNumber,
        ...definition.content(message, ctx.publicUrl),
        StatusCallback: twilioStatusCallbackUrl(ctx.publicUrl),
      });
    },
  });
}

/**
 * `twilio <status> <code>: <message>` from Twilio's error JSON; only the documented `code` and
 * `message` fields are used, never the rest of the body (it could echo the request).
 */
function twilioReason(status: number, body: Record<string, unknown> | undefined): string {
  const code = typeof body?.code === 'number' || typeof body?.code === 'string' ? body.code : '';
  const raw = typeof body?.message === 'string' ? body.message.replace(/\s+/g, ' ').trim() : '';
  const message =
    raw.length > maxMessageLength ? `${raw.slice(0, maxMessageLength - 1)}…` : raw || 'no detail';
  return code === '' ? `twilio ${status}: ${message}` : `twilio ${status} ${code}: ${message}`;
}

/** A JSON object body, or undefined (5xx pages from a proxy are often HTML). */
function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
