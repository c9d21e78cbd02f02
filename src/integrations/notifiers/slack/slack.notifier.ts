import { z } from 'zod';
import {
  defineNotifier,
  outcomeOfError,
  outcomeOfStatus,
  parseRetryAfter,
  scrubSecrets,
  type NotificationContent,
  type NotifierContext,
  type OutboundMessage,
  type SendOutcome,
} from '../notifier.js';
import { escapeSlackText, slackActionIds, type SlackAction } from './slack.inbound.js';

/*
 * Slack through its Web API with a bot token: chat.postMessage to a user id (Slack posts into
 * the app's DM with that user) or a channel id, and chat.update to re-render the same message
 * when the incident changes, so a channel never shows stale Acknowledge buttons. Buttons come
 * back through the interactivity URL (slack.inbound.ts). Slack answers most failures with HTTP
 * 200 and `{ ok: false, error: "<code>" }`, so the outcome is read from the body as well as the
 * status; only the error code ever reaches a reason, never the body (which may echo a token).
 */

/** The Slack notifier's settings: a bot token, the app's signing secret, the API base URL. */
export const slackConfigSchema = z.object({
  /** Bot User OAuth Token (`xoxb-…`) with the `chat:write` scope. */
  botToken: z
    .string()
    .trim()
    .regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token (xoxb-…)'),
  /** The app's Signing Secret (Basic Information page): verifies button presses. */
  signingSecret: z.string().trim().min(1),
  /** Configurable so tests (and Slack-compatible proxies) can stand in for slack.com. */
  apiUrl: z.url({ protocol: /^https?$/ }).default('https://slack.com/api'),
});

/** The Slack notifier's settings, as validated and defaulted by {@link slackConfigSchema}. */
export type SlackConfig = z.infer<typeof slackConfigSchema>;

/** One Block Kit block, as sent to Slack. */
export type SlackBlock = Record<string, unknown>;

/** What Slack is asked to show: fallback text (notifications, screen readers) and blocks. */
export interface SlackRendered {
  text: string;
  blocks: SlackBlock[];
}

const statusLabel = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};
const statusEmoji = {
  triggered: ':rotating_light:',
  acknowledged: ':eyes:',
  mitigated: ':adhesive_bandage:',
  resolved: ':white_check_mark:',
};
const buttonLabel: Record<SlackAction, string> = {
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
  escalate: 'Escalate',
};

/**
 * Which buttons a message shows for an incident's status: all three while it is triggered, only
 * Resolve once someone acknowledged or mitigated it, none when it is resolved (a button that
 * can only fail would invite a pointless click at 3 a.m.).
 */
export function slackButtonsFor(
  status: 'triggered' | 'acknowledged' | 'mitigated' | 'resolved',
): readonly SlackAction[] {
  if (status === 'triggered') return ['acknowledge', 'resolve', 'escalate'];
  if (status === 'acknowledged' || status === 'mitigated') return ['resolve'];
  return [];
}

/**
 * Renders a notification as Block Kit. Pure, so the message a responder sees is tested without
 * a server. Every piece of text from an alert is escaped: a title like `<!channel>` must not
 * ping a whole channel. Lengths are capped below Slack's block limits so a long title cannot
 * make Slack refuse the page (`invalid_blocks` is permanent).
 */
export function renderSlackMessage(
  content: NotificationContent,
  publicUrl?: string,
): SlackRendered {
  const text = escapeSlackText(truncate(content.text, 2900));
  const inc = content.incident;
  if (inc && (content.kind === 'page' || content.kind === 'update')) {
    const name = escapeSlackText(truncate(`#${inc.number} ${inc.title}`, 250));
    const url = absoluteHttpUrl(inc.url, publicUrl);
    const heading = url ? `<${url}|${name}>` : name;
    const blocks: SlackBlock[] = [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${statusEmoji[inc.status]} *${heading}*` },
        fields: [
          field('Service', inc.serviceName),
          field('Urgency', inc.urgency === 'high' ? 'High' : 'Low'),
          field('Status', statusLabel[inc.status]),
        ],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Opened ${slackDate(inc.createdAt)}` }],
      },
    ];
    const buttons = slackButtonsFor(inc.status);
    if (buttons.length > 0)
      blocks.push({
        type: 'actions',
        // Slack asks for a new block_id per iteration of an updated message.
        block_id: `tocsin_actions_${inc.status}`,
        elements: buttons.map((action) => ({
          type: 'button',
          action_id: slackActionIds[action],
          text: { type: 'plain_text', text: buttonLabel[action] },
          value: inc.id,
          ...(action === 'acknowledge' ? { style: 'primary' } : {}),
        })),
      });
    return { text, blocks };
  }
  if (content.kind === 'digest' && content.digest) {
    const shown = content.digest.incidents.slice(0, 10);
    const lines = shown.map((i) => `• #${i.number} ${escapeSlackText(truncate(i.title, 150))}`);
    const more = content.digest.count - shown.length;
    if (more > 0) lines.push(`…and ${more} more`);
    return {
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        ...(lines.length > 0
          ? [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }]
          : []),
      ],
    };
  }
  // test, verify, and anything without an incident: the one line, as plain text.
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'plain_text', text: truncate(content.text, 2900) } }],
  };
}

function field(label: string, value: string) {
  return { type: 'mrkdwn', text: `*${label}*\n${escapeSlackText(truncate(value, 200))}` };
}

// Slack shows this in the reader's own time zone; the fallback is for old clients.
function slackDate(ms: number): string {
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

// The incident link only when it resolves to http(s); `<`, `>` and `|` would break Slack's
// link syntax, so they are percent-encoded.
function absoluteHttpUrl(url: string, base: string | undefined): string | undefined {
  try {
    const u = base ? new URL(url, base) : new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.toString().replace(/[<>|]/g, (c) => encodeURIComponent(c));
  } catch {
    return undefined;
  }
}

/**
 * Slack error codes worth trying again: its rate limit and its own transient failures. Every
 * other code (invalid_auth, channel_not_found, not_in_channel, account_inactive, …) needs a
 * person to fix something, so retrying would only delay the fallback to another method.
 */
const retryableErrors = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

type SlackCall = { ok: true; channel?: string; ts?: string } | { ok: false; outcome: SendOutcome };

async function callSlack(
  method: 'chat.postMessage' | 'chat.update',
  payload: Record<string, unknown>,
  ctx: NotifierContext<SlackConfig>,
): Promise<SlackCall> {
  const secrets = [ctx.config.botToken, ctx.config.signingSecret];
  const url = `${ctx.config.apiUrl.replace(/\/+$/, '')}/${method}`;
  let status: number;
  let retryAfter: string | null;
  let body: string;
  try {
    const res = await ctx.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ctx.config.botToken}`,
        // Slack warns (missing_charset) about JSON posted without a charset.
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    body = await res.text();
  } catch (err) {
    return { ok: false, outcome: outcomeOfError(err, secrets) };
  }
  if (status < 200 || status >= 300) {
    const reason = status === 429 ? 'slack: rate limited (HTTP 429)' : `slack: HTTP ${status}`;
    return { ok: false, outcome: outcomeOfStatus(status, reason, retryAfter) };
  }
  let data: { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown };
  try {
    data = JSON.parse(body) as typeof data;
    if (typeof data !== 'object' || data === null) throw new Error('not an object');
  } catch {
    // A 2xx that is not Slack's JSON (a proxy's page): Slack's side is unwell, try again later.
    return {
      ok: false,
      outcome: { ok: false, retryable: true, reason: 'slack: unreadable response', status },
    };
  }
  if (data.ok !== true) {
    // Only a well-formed code is quoted; anything else might be an echo of the request.
    const code =
      typeof data.error === 'string' && /^[a-z0-9_]{1,64}$/.test(data.error)
        ? data.error
        : 'unknown_error';
    const rateLimited = code === 'ratelimited' || code === 'rate_limited';
    const retryAfterMs = rateLimited ? parseRetryAfter(retryAfter) : undefined;
    return {
      ok: false,
      outcome: {
        ok: false,
        retryable: retryableErrors.has(code),
        reason: scrubSecrets(`slack: ${code}`, secrets),
        // Slack's in-body rate limit is the same signal as a 429; delivery treats 429 as "slow
        // down", not as an outage of the provider.
        ...(rateLimited ? { status: 429 } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    };
  }
  return {
    ok: true,
    ...(typeof data.channel === 'string' ? { channel: data.channel } : {}),
    ...(typeof data.ts === 'string' ? { ts: data.ts } : {}),
  };
}

/** `<channel>:<ts>`, the pair chat.update needs; the channel is the one Slack answered with. */
function providerRefOf(channel: string | undefined, ts: string | undefined): string | undefined {
  return channel && ts ? `${channel}:${ts}` : undefined;
}

/**
 * Slack (Web API). `to` is a user id (U…/W…: the app's DM with that person) or a channel id
 * (C…/G…: the bot must be a member). `providerRef` is `<channel>:<ts>` as Slack answered it —
 * for a DM that is the D… conversation, which chat.update needs instead of the user id.
 */
export const slackNotifier = defineNotifier<SlackConfig>({
  id: 'slack',
  label: 'Slack',
  configSchema: slackConfigSchema,
  secretFields: ['botToken', 'signingSecret'],
  capabilities: {
    addressKind: 'slack',
    updateInPlace: true,
    deliveryReceipts: false,
    interactive: true,
  },
  async send(message: OutboundMessage, ctx: NotifierContext<SlackConfig>): Promise<SendOutcome> {
    const channel = message.to.trim();
    if (!channel) return { ok: false, retryable: false, reason: 'slack: no user or channel id' };
    const rendered = renderSlackMessage(message.content, ctx.publicUrl);
    const res = await callSlack(
      'chat.postMessage',
      { channel, ...rendered, unfurl_links: false, unfurl_media: false },
      ctx,
    );
    if (!res.ok) return res.outcome;
    const providerRef = providerRefOf(res.channel ?? channel, res.ts);
    return { ok: true, ...(providerRef ? { providerRef } : {}) };
  },
  async update(
    providerRef: string,
    message: OutboundMessage,
    ctx: NotifierContext<SlackConfig>,
  ): Promise<SendOutcome> {
    const m = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(providerRef);
    if (!m) return { ok: false, retryable: false, reason: 'slack: not a Slack message reference' };
    const [, channel, ts] = m as unknown as [string, string, string];
    const rendered = renderSlackMessage(message.content, ctx.publicUrl);
    const res = await callSlack('chat.update', { channel, ts, ...rendered }, ctx);
    if (!res.ok) return res.outcome;
    return { ok: true, providerRef: providerRefOf(res.channel ?? channel, res.ts ?? ts)! };
  },
});
