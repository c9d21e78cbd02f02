import nodemailer from 'nodemailer';
import { z } from 'zod';
import { defineNotifier, scrubSecrets, type SendOutcome } from '../notifier.js';
import { renderEmail } from './email.render.js';

/*
 * Email over SMTP with nodemailer. Each send opens its own connection (no pool): pages are rare
 * and bursty, a pooled connection would sit idle between incidents and go stale behind NAT or a
 * relay's idle timeout, and a fresh transport always sees the current config. Every SMTP step
 * (connect, greeting, each command, DNS) is bounded by ctx.timeoutMs.
 *
 * Outcomes follow SMTP reply classes: 4xx is "try again later" (421 closing, 450/451/452 busy or
 * out of space) and so retryable; 5xx is permanent (unknown mailbox, policy refusal, bad
 * credentials). SMTP has no Retry-After, so a retryable outcome never carries retryAfterMs.
 */

/** "Name <address>" or a bare address: the header From. */
const fromPattern = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/**
 * One mailbox, nothing else. The contact method was validated when it was added; this only makes
 * sure nodemailer cannot read the address as a list ("a@x, b@y") or a display-name form, which
 * would send a page somewhere else. Non-ASCII local parts stay allowed (SMTPUTF8).
 */
const recipientPattern = /^[^\s@,;<>"()[\]\\]+@[^\s@,;<>"()[\]\\]+$/;

/** The email notifier's settings. */
export const emailConfigSchema = z
  .object({
    host: z.string().trim().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** Implicit TLS from the first byte (port 465). When false, STARTTLS is used if offered. */
    secure: z.boolean().default(false),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    from: z.string().trim().regex(fromPattern, 'an email address, or "Name <address>"'),
    /** Never upgrade with STARTTLS: for local test servers and loopback relays only. */
    ignoreTls: z.boolean().default(false),
  })
  .refine((c) => c.password === undefined || c.username !== undefined, {
    message: 'a password needs a username',
    path: ['username'],
  });

/** Settings of the email notifier, defaults applied. */
export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** nodemailer's error codes for a connection that failed or went quiet (worth retrying). */
const connectionErrors = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** nodemailer's error codes for a request that cannot work until someone changes something. */
const permanentErrors = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE', 'EREQUIRETLS']);

/**
 * The secrets to keep out of a reason: the password and username, and the AUTH PLAIN token a
 * server could echo back (scrubSecrets already covers each value's own base64, as AUTH LOGIN
 * sends them).
 */
function smtpSecrets(config: Pick<EmailConfig, 'username' | 'password'>): string[] {
  const out = [config.password, config.username].filter((s): s is string => Boolean(s));
  if (config.username && config.password) {
    out.push(Buffer.from(`\0${config.username}\0${config.password}`).toString('base64'));
  }
  return out;
}

/**
 * The outcome of a failed nodemailer send. A reply code decides when there is one (4xx
 * retryable, 5xx permanent, `status` = the code, reason `smtp 550: <reply text>`); otherwise a
 * broken or silent connection is retryable and an authentication or envelope problem that never
 * reached the server is not. Every reason is scrubbed of `secrets`.
 */
export function outcomeOfSmtpError(err: unknown, secrets: ReadonlyArray<string>): SendOutcome {
  const e = (err ?? {}) as {
    code?: string;
    responseCode?: number;
    response?: string;
    command?: string;
  };
  const message = err instanceof Error ? err.message : String(err);
  // Longest first: the AUTH PLAIN token contains the password's own base64 when the lengths
  // line up, and scrubbing the password first would leave the token's other half readable.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  const scrub = (s: string) => scrubSecrets(s, ordered);
  const code = e.responseCode;
  if (typeof code === 'number' && code >= 400 && code < 600) {
    // The server's own words help an admin (550 5.1.1 user unknown), minus the code itself.
    const text = (e.response ?? '')
      .replace(/^\d{3}[ -]?/, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    return {
      ok: false,
      retryable: code < 500,
      status: code,
      // "500 command not recognized" alone would not tell an admin that it was STARTTLS,
      // required because credentials are configured, that the server does not speak.
      reason: scrub(
        `smtp ${code}${text ? `: ${text}` : ''}${e.command === 'STARTTLS' ? ' (STARTTLS refused)' : ''}`,
      ),
    };
  }
  if (e.code === 'ETIMEDOUT') return { ok: false, retryable: true, reason: 'smtp: timed out' };
  const detail = scrub(`smtp: ${message.replace(/\s+/g, ' ').slice(0, 200)}`);
  if (e.code && connectionErrors.has(e.code)) return { ok: false, retryable: true, reason: detail };
  if (e.code && permanentErrors.has(e.code)) return { ok: false, retryable: false, reason: detail };
  return { ok: false, retryable: true, reason: detail };
}

/** Email (SMTP): HTML + text, with the one-click Acknowledge / Resolve links when minted. */
export const emailNotifier = defineNotifier<EmailConfig>({
  id: 'email',
  label: 'Email (SMTP)',
  configSchema: emailConfigSchema,
  secretFields: ['password'],
  capabilities: {
    addressKind: 'email',
    updateInPlace: false,
    deliveryReceipts: false,
    interactive: true,
  },
  async send(message, ctx) {
    const config = ctx.config;
    const secrets = smtpSecrets(config);
    const to = message.to.trim();
    if (!recipientPattern.test(to)) {
      return { ok: false, retryable: false, reason: 'smtp: the address is not one email address' };
    }
    const rendered = renderEmail(message.content, ctx.publicUrl);
    const auth =
      config.username !== undefined
        ? { user: config.username, pass: config.password ?? '' }
        : undefined;
    const transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ignoreTLS: config.ignoreTls,
      // With credentials, STARTTLS is not optional: an attacker on the path could otherwise strip
      // the STARTTLS offer and read the password. `ignoreTls` is the explicit way out.
      requireTLS: !config.secure && !config.ignoreTls && auth !== undefined,
      auth,
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
      dnsTimeout: ctx.timeoutMs,
      logger: false,
      debug: false,
    });
    try {
      const info = await transport.sendMail({
        from: config.from,
        to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        priority:
          message.content.kind === 'page' && message.content.incident?.urgency === 'high'
            ? 'high'
            : 'normal',
        headers: {
          'X-Tocsin-Message-Id': message.id,
          // RFC 3834: a vacation responder must not answer a page (and mail a loop back).
          'Auto-Submitted': 'auto-generated',
          // Exchange's own switch for the same thing (out-of-office, read receipts).
          'X-Auto-Response-Suppress': 'All',
        },
      });
      return { ok: true, providerRef: info.messageId };
    } catch (err) {
      return outcomeOfSmtpError(err, secrets);
    } finally {
      transport.close();
    }
  },
});
