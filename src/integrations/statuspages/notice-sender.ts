import nodemailer from 'nodemailer';
import escapeHtml from 'escape-html';
import type {
  NoticeOutcome,
  NoticePayload,
  StatusNoticeSender,
} from '../../domains/statuspages/index.js';
import { emailConfigSchema, outcomeOfSmtpError } from '../notifiers/email/email.notifier.js';
import { outcomeOfError, outcomeOfStatus } from '../notifiers/notifier.js';
import { signWebhook } from '../notifiers/webhook/webhook.notifier.js';

/*
 * How status page notices leave Tocsin. Email goes through the organisation's email notifier
 * settings (the same SMTP relay as pages) but with its own, customer-facing wording and the
 * RFC 8058 one-click unsubscribe headers; webhooks are Standard Webhooks signed with the
 * subscriber's own secret, through the SSRF-guarded fetch, redirects refused.
 */

const words: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Subject and text of a notice email. */
export function renderNoticeEmail(
  p: NoticePayload,
  unsubscribeUrl: string,
): { subject: string; text: string; html: string } {
  if (p.type === 'confirm') {
    const text = `Please confirm that you want status updates from ${p.pageName}:\n\n${p.confirmUrl}\n\nIf you did not ask for this, ignore this email and nothing more will be sent.`;
    return {
      subject: `Confirm your subscription to ${p.pageName} status`,
      text,
      html: `<p>Please confirm that you want status updates from ${escapeHtml(p.pageName)}.</p><p><a href="${escapeHtml(p.confirmUrl ?? '')}">Confirm subscription</a></p><p>If you did not ask for this, ignore this email and nothing more will be sent.</p>`,
    };
  }
  const e = p.event!;
  const lead =
    e.phase === 'advance'
      ? 'Upcoming maintenance'
      : e.kind === 'maintenance'
        ? `Maintenance ${words[e.status] ?? e.status}`
        : (words[e.status] ?? e.status);
  const subject = `[${p.pageName} status] ${lead}: ${e.title}`
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 200);
  const window =
    e.scheduledFor !== null && e.scheduledUntil !== null
      ? `\nScheduled: ${utc(e.scheduledFor)} to ${utc(e.scheduledUntil)}`
      : '';
  const affected = e.components.length ? `\nAffected: ${e.components.join(', ')}` : '';
  const text = `${e.title}\n${lead}\n\n${e.body}\n${window}${affected}\n\n${p.pageUrl}\n\nUnsubscribe: ${unsubscribeUrl}`;
  const html = `<h1 style="font-size:18px">${escapeHtml(e.title)}</h1><p><strong>${escapeHtml(lead)}</strong></p><p>${escapeHtml(e.body).replace(/\n/g, '<br>')}</p>${window ? `<p>${escapeHtml(window.trim())}</p>` : ''}${affected ? `<p>${escapeHtml(affected.trim())}</p>` : ''}<p><a href="${escapeHtml(p.pageUrl)}">View the status page</a></p><p style="font-size:12px;color:#57606a"><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`;
  return { subject, text, html };
}

/** A notice as a Slack message: mrkdwn, where &, < and > are escaped and links are <url|label>. */
export function renderNoticeSlack(p: NoticePayload): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const e = p.event;
  if (!e) return esc(`${p.pageName}: ${p.pageUrl}`);
  const lead =
    e.phase === 'advance'
      ? 'Upcoming maintenance'
      : e.kind === 'maintenance'
        ? `Maintenance ${words[e.status] ?? e.status}`
        : (words[e.status] ?? e.status);
  const window =
    e.scheduledFor !== null && e.scheduledUntil !== null
      ? `\nScheduled: ${utc(e.scheduledFor)} to ${utc(e.scheduledUntil)}`
      : '';
  const affected = e.components.length ? `\nAffected: ${esc(e.components.join(', '))}` : '';
  return `*${esc(lead)}: ${esc(e.title)}*\n${esc(e.body)}${window}${affected}\n<${p.pageUrl}|${esc(p.pageName)} status>`;
}

/** What the sender needs from app/: the email settings, the guarded fetch, a timeout. */
export interface NoticeSenderOptions {
  emailConfig: () => Promise<{ enabled: boolean; config: Record<string, unknown> } | undefined>;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** The status notice sender. */
export function createStatusNoticeSender(options: NoticeSenderOptions): StatusNoticeSender {
  return {
    async email(m): Promise<NoticeOutcome> {
      const settings = await options.emailConfig();
      if (!settings?.enabled)
        return { ok: false, retryable: true, reason: 'the email notifier is not configured' };
      const config = emailConfigSchema.parse(settings.config);
      const secrets = [config.password].filter((s): s is string => !!s);
      const rendered = renderNoticeEmail(m.payload, m.unsubscribeUrl);
      const auth =
        config.username !== undefined
          ? { user: config.username, pass: config.password ?? '' }
          : undefined;
      const transport = nodemailer.createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        ignoreTLS: config.ignoreTls,
        requireTLS: !config.secure && !config.ignoreTls && auth !== undefined,
        auth,
        connectionTimeout: options.timeoutMs,
        greetingTimeout: options.timeoutMs,
        socketTimeout: options.timeoutMs,
        logger: false,
        debug: false,
      });
      try {
        await transport.sendMail({
          from: config.from,
          to: m.to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          headers: {
            'X-Tocsin-Message-Id': m.id,
            'Auto-Submitted': 'auto-generated',
            'X-Auto-Response-Suppress': 'All',
            ...(m.payload.type === 'event'
              ? {
                  'List-Unsubscribe': `<${m.unsubscribeUrl}>`,
                  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                }
              : {}),
          },
        });
        return { ok: true };
      } catch (err) {
        const o = outcomeOfSmtpError(err, secrets);
        return o.ok ? o : { ok: false, retryable: o.retryable, reason: o.reason };
      } finally {
        transport.close();
      }
    },

    async slack(m): Promise<NoticeOutcome> {
      let url: URL;
      try {
        url = new URL(m.url);
      } catch {
        return { ok: false, retryable: false, reason: 'slack: not a URL' };
      }
      const body = JSON.stringify({ text: renderNoticeSlack(m.payload), unfurl_links: false });
      let res: Response;
      try {
        res = await options.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Tocsin-StatusPage/1' },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        // The incoming-webhook URL is the credential: never in a reason.
        const o = outcomeOfError(err, [m.url]);
        return o.ok ? o : { ok: false, retryable: o.retryable, reason: o.reason };
      }
      await res.body?.cancel().catch(() => undefined);
      const o = outcomeOfStatus(res.status, `slack ${res.status}`, res.headers.get('retry-after'));
      return o.ok ? { ok: true } : { ok: false, retryable: o.retryable, reason: o.reason };
    },

    async webhook(m): Promise<NoticeOutcome> {
      let url: URL;
      try {
        url = new URL(m.url);
      } catch {
        return { ok: false, retryable: false, reason: 'webhook: not a URL' };
      }
      const e = m.payload.event;
      const body = JSON.stringify({
        type: e ? `${e.kind}.${e.phase}` : 'subscription.confirm',
        timestamp: new Date(e?.at ?? Date.now()).toISOString(),
        data: {
          page: { name: m.payload.pageName, url: m.payload.pageUrl },
          ...(e
            ? {
                [e.kind]: {
                  id: e.id,
                  title: e.title,
                  status: e.status,
                  impact: e.impact,
                  body: e.body,
                  components: e.components,
                  scheduled_for:
                    e.scheduledFor === null ? null : new Date(e.scheduledFor).toISOString(),
                  scheduled_until:
                    e.scheduledUntil === null ? null : new Date(e.scheduledUntil).toISOString(),
                },
              }
            : {}),
          unsubscribe_url: m.unsubscribeUrl,
        },
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const id = m.id.replace(/\./g, '_');
      let res: Response;
      try {
        res = await options.fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Tocsin-StatusPage/1',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(id, timestamp, body, [m.secret]),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        const o = outcomeOfError(err, [m.secret, m.url]);
        return o.ok ? o : { ok: false, retryable: o.retryable, reason: o.reason };
      }
      await res.body?.cancel().catch(() => undefined);
      const o = outcomeOfStatus(
        res.status,
        `webhook ${res.status}`,
        res.headers.get('retry-after'),
      );
      return o.ok ? { ok: true } : { ok: false, retryable: o.retryable, reason: o.reason };
    },
  };
}
