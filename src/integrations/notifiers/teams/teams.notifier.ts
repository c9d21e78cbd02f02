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
 * Microsoft Teams through an incoming webhook (the channel's connector, or a Workflows
 * "post to a channel when a webhook request is received" URL): one POST of a `message` holding an
 * Adaptive Card. There is nothing to configure; the webhook URL is the contact method's address —
 * and it is a bearer credential (anyone holding it can post to the channel), so it is treated as
 * a secret: never in a reason, never in a log line.
 *
 * Two quirks shape the outcome:
 * - The classic connector answers 200 with a text body even when delivery failed:
 *   "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429
 *   with ContextId …" (MicrosoftDocs/msteams-docs#400, #7425, "by design"). That status is the
 *   real one, so a 2xx body is read (a little of it) and the embedded status wins.
 * - Text from alerts goes in RichTextBlock/TextRun, which Teams renders literally; TextBlock and
 *   FactSet render Markdown, so an alert titled "[click](https://evil.example)" would become a link.
 */

/** Teams needs no settings: the webhook URL is the contact method's address. */
export const teamsConfigSchema = z.object({}).default({});

/** Settings of the Teams notifier (none). */
export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

/** The message an incoming webhook takes: one Adaptive Card attachment. */
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }>;
}

/** The subset of Adaptive Card 1.4 Tocsin sends. */
export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.4';
  msteams: { width: 'Full' };
  body: CardElement[];
  actions: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
}

/** A run of literal text (no Markdown). */
interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Large';
  color?: 'Attention' | 'Good' | 'Warning';
  isSubtle?: boolean;
}

/** The card elements Tocsin uses. */
type CardElement = { type: 'RichTextBlock'; inlines: TextRun[]; spacing?: 'Small' | 'Medium' };

/** Body text the classic connector sends with a 200 when delivery actually failed. */
const embeddedFailure = /^Webhook message delivery failed/i;
const embeddedStatus = /returned HTTP error (\d{3})/i;
/** A success body is "1"; an embedded failure's status sits in its first line. */
const BODY_PEEK_BYTES = 2048;

const statusLabel = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

function line(...inlines: TextRun[]): CardElement {
  return { type: 'RichTextBlock', inlines };
}

function run(text: string, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  return { type: 'TextRun', text, ...style };
}

/** An absolute http(s) URL (relative ones resolved against Tocsin's public URL), or undefined. */
function httpUrl(value: string | undefined, base?: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function headingOf(content: NotificationContent): string {
  const i = content.incident;
  switch (content.kind) {
    case 'test':
      return 'Tocsin test notification';
    case 'verify':
      return 'Verify this Teams channel';
    case 'digest': {
      const n = content.digest?.count ?? content.digest?.incidents.length ?? 1;
      return `${n} incident${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} attention`;
    }
    case 'update':
      return i ? `#${i.number} ${statusLabel[i.status]}: ${i.title}` : content.text;
    case 'page':
      return i ? `#${i.number} ${i.title}` : content.text;
  }
}

/** The card for a message (exported for tests). */
export function teamsCard(message: OutboundMessage, publicUrl?: string): TeamsMessage {
  const c = message.content;
  const i = c.incident;
  const body: CardElement[] = [];
  const colour =
    i?.status === 'resolved'
      ? 'Good'
      : i?.status === 'acknowledged'
        ? 'Warning'
        : c.kind === 'page' && i?.urgency === 'high'
          ? 'Attention'
          : undefined;
  body.push(
    line(
      run(headingOf(c), { weight: 'Bolder', size: 'Large', ...(colour ? { color: colour } : {}) }),
    ),
  );
  if (i && c.kind !== 'digest') {
    const facts: Array<[string, string]> = [
      ['Service', i.serviceName],
      ['Status', statusLabel[i.status]],
      ['Urgency', i.urgency === 'high' ? 'High' : 'Low'],
      ['Opened', `${new Date(i.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`],
    ];
    for (const [k, v] of facts) body.push(line(run(`${k}: `, { isSubtle: true }), run(v)));
  }
  if (c.kind === 'digest') {
    for (const d of c.digest?.incidents ?? []) body.push(line(run(`#${d.number} ${d.title}`)));
  }
  // A page's text repeats the heading and facts (it is the SMS rendering); for the other kinds
  // it is the message.
  if (c.kind !== 'page' || !i) body.push({ ...line(run(c.text)), spacing: 'Medium' });

  const actions: AdaptiveCard['actions'] = [];
  const suffix = i ? ` #${i.number}` : '';
  // Signed links act as the user they were minted for, and a channel is shared: delivery mints
  // them for email only, so here they appear only if a caller deliberately passes them.
  const ack = i?.status === 'triggered' ? httpUrl(c.links?.acknowledge, publicUrl) : undefined;
  const resolve = i && i.status !== 'resolved' ? httpUrl(c.links?.resolve, publicUrl) : undefined;
  if (ack) actions.push({ type: 'Action.OpenUrl', title: `Acknowledge${suffix}`, url: ack });
  if (resolve) actions.push({ type: 'Action.OpenUrl', title: `Resolve${suffix}`, url: resolve });
  const page = httpUrl(i?.url, publicUrl);
  if (page) actions.push({ type: 'Action.OpenUrl', title: `Open incident${suffix}`, url: page });

  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions,
        },
      },
    ],
  };
}

/** Reads at most `limit` bytes of a body, then lets the rest go. */
async function peek(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** Microsoft Teams incoming webhook: an Adaptive Card per notification. */
export const teamsNotifier = defineNotifier<TeamsConfig>({
  id: 'teams',
  label: 'Microsoft Teams',
  configSchema: teamsConfigSchema,
  secretFields: [],
  capabilities: {
    addressKind: 'url',
    updateInPlace: false,
    deliveryReceipts: false,
    interactive: false,
  },
  async send(message, ctx): Promise<SendOutcome> {
    const url = httpUrl(message.to);
    if (!url) return { ok: false, retryable: false, reason: 'teams: not an http(s) URL' };
    // The whole URL and its path (the part that holds the keys), in case an error quotes either.
    const secrets = [message.to, url, new URL(url).pathname + new URL(url).search];
    let res: Response;
    try {
      res = await ctx.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsCard(message, ctx.publicUrl)),
        // A webhook URL never redirects; following one would carry the card past the SSRF guard.
        redirect: 'manual',
        signal: AbortSignal.timeout(ctx.timeoutMs),
      });
    } catch (err) {
      return outcomeOfError(err, secrets);
    }
    const retryAfter = res.headers.get('retry-after');
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => undefined);
      return outcomeOfStatus(res.status, `teams ${res.status}`, retryAfter);
    }
    // A 2xx whose body breaks off was still accepted; retrying would risk a second card.
    const text = await peek(res, BODY_PEEK_BYTES).catch(() => '');
    if (embeddedFailure.test(text.trim())) {
      const embedded = Number(embeddedStatus.exec(text)?.[1] ?? 502);
      return outcomeOfStatus(embedded, `teams ${embedded} (in a ${res.status} answer)`, retryAfter);
    }
    return { ok: true };
  },
});
