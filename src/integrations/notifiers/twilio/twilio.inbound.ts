import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * What Twilio sends back to Tocsin, as pure functions: the X-Twilio-Signature check, SMS
 * replies and call key presses turned into actions, status callbacks turned into receipts, and
 * the TwiML answers. The HTTP route (http/routes/notify-inbound.routes.ts) does the I/O.
 */

/** An action a person can take from a text or a call. */
export type TwilioAction = 'acknowledge' | 'resolve';

/** The signature Twilio computes for a form-encoded webhook: see {@link verifyTwilioSignature}. */
function twilioSignature(url: string, params: Record<string, string>, authToken: string): Buffer {
  // Keys sorted by code unit (as Twilio's own libraries sort them), each key then its value.
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return createHmac('sha1', authToken).update(data, 'utf8').digest();
}

/**
 * The URL as given plus the same URL with the scheme's default port added or removed: Twilio
 * signs the URL as it was configured, and a proxy or `publicUrl` may spell the port the other
 * way. Twilio's helper libraries accept both spellings for the same reason.
 */
function urlVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(url);
  if (!m) return [url];
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const port = scheme.toLowerCase() === 'https' ? '443' : '80';
  const host = authority.replace(/^[^@]*@/, '');
  const user = authority.slice(0, authority.length - host.length);
  // An IPv6 literal is bracketed; its colons are not a port.
  const explicit = /:(\d+)$/.exec(host.replace(/^\[[^\]]*\]/, ''));
  if (explicit) {
    return explicit[1] === port
      ? [url, `${scheme}://${user}${host.slice(0, -(port.length + 1))}${rest}`]
      : [url];
  }
  return [url, `${scheme}://${user}${host}:${port}${rest}`];
}

/**
 * Whether a webhook came from Twilio: X-Twilio-Signature must be the base64 HMAC-SHA1, keyed
 * with the account's auth token, of the full URL Twilio requested (query string included)
 * followed by every POST parameter, sorted by name, as name + value. Compared in constant
 * time; a missing or malformed signature is simply false.
 */
export function verifyTwilioSignature(input: {
  url: string;
  params: Record<string, string>;
  signature: string | undefined;
  authToken: string;
}): boolean {
  const { url, params, signature, authToken } = input;
  if (!signature || !authToken) return false;
  const given = Buffer.from(signature.trim(), 'base64');
  // A SHA-1 digest is 20 bytes; anything else cannot match and timingSafeEqual would throw.
  if (given.length !== 20) return false;
  let ok = false;
  for (const candidate of urlVariants(url)) {
    // No early exit: every variant is checked so timing does not tell which one matched.
    if (timingSafeEqual(given, twilioSignature(candidate, params, authToken))) ok = true;
  }
  return ok;
}

const replyPattern = /^(4|ack|acknowledge|6|res|resolve)(?:\s+#?\s*(\d{1,9}))?$/;

/**
 * An SMS reply as an action: "4", "ack", "acknowledge" acknowledge; "6", "res", "resolve"
 * resolve; either may be followed by an incident number ("ack 123", "4 #123"). Case and
 * surrounding space do not matter; anything else is undefined, so a stray "ok" or "thanks"
 * never acts on an incident.
 */
export function parseSmsReply(
  body: string,
): { action: TwilioAction; incidentNumber?: number } | undefined {
  const m = replyPattern.exec(body.trim().replace(/\s+/g, ' ').toLowerCase());
  if (!m) return undefined;
  const word = m[1]!;
  const action: TwilioAction = word === '6' || word.startsWith('res') ? 'resolve' : 'acknowledge';
  if (m[2] === undefined) return { action };
  const incidentNumber = Number(m[2]);
  return incidentNumber > 0 ? { action, incidentNumber } : undefined;
}

/** The key pressed during a call (<Gather> `Digits`): 4 acknowledges, 6 resolves. */
export function parseVoiceDigits(digits: string | undefined): TwilioAction | undefined {
  const d = digits?.trim();
  if (d === '4') return 'acknowledge';
  if (d === '6') return 'resolve';
  return undefined;
}

/** Escapes text for an XML element or attribute value (TwiML). */
export function xmlEscape(text: string): string {
  return (
    text
      // Control characters other than tab, newline and return are not allowed in XML 1.0.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
      )
  );
}

/** TwiML that answers an inbound SMS with one text. */
export function twimlMessage(text: string): string {
  return `<Response><Message>${xmlEscape(text)}</Message></Response>`;
}

/** TwiML that says one thing on a call (and then hangs up, as the document ends). */
export function twimlSay(text: string): string {
  return `<Response><Say>${xmlEscape(text)}</Say></Response>`;
}

/** A delivery receipt read from a status callback, in the terms delivery records. */
export interface TwilioStatus {
  /** The Message or Call SID: the `providerRef` the send returned. */
  sid: string;
  status: 'delivered' | 'failed' | 'sent' | 'other';
  /** Twilio's error code (ErrorCode), when it gave one. */
  errorCode?: string;
}

const messageStatuses: Record<string, TwilioStatus['status']> = {
  delivered: 'delivered',
  // "read" (WhatsApp and RCS) comes after delivered and implies it.
  read: 'delivered',
  sent: 'sent',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
};

const callStatuses: Record<string, TwilioStatus['status']> = {
  // A completed call was answered (by a person or a machine): the page was delivered.
  completed: 'delivered',
  busy: 'failed',
  'no-answer': 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * A status callback (MessageStatus with MessageSid, or CallStatus with CallSid) as a receipt:
 * delivered (a message delivered or read, a call completed), failed (undelivered, failed,
 * busy, no answer, canceled), sent, or other for the in-between states (queued, ringing, …).
 * Undefined when the parameters name neither a message nor a call.
 */
export function parseStatusCallback(params: Record<string, string>): TwilioStatus | undefined {
  const errorCode = params.ErrorCode?.trim() || undefined;
  const withCode = (s: TwilioStatus): TwilioStatus => (errorCode ? { ...s, errorCode } : s);
  const messageStatus = params.MessageStatus ?? params.SmsStatus;
  const messageSid = params.MessageSid ?? params.SmsSid;
  if (messageStatus && messageSid) {
    return withCode({
      sid: messageSid,
      status: messageStatuses[messageStatus.toLowerCase()] ?? 'other',
    });
  }
  if (params.CallStatus && params.CallSid) {
    return withCode({
      sid: params.CallSid,
      status: callStatuses[params.CallStatus.toLowerCase()] ?? 'other',
    });
  }
  return undefined;
}
