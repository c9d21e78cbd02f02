import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/*
 * What Slack sends back when someone presses a button on a Tocsin message: the signed request
 * check and the parse of the interaction payload. Pure functions over the raw body and headers,
 * so the HTTP route stays thin and these are tested without a server. The route must hand over
 * the body exactly as received: the signature covers the bytes, not a re-serialised form.
 */

/** What a responder can do from a Slack message. */
export type SlackAction = 'acknowledge' | 'resolve' | 'escalate';

/**
 * The `action_id` of each Tocsin button. One table for rendering and parsing, so a renamed
 * button cannot silently stop working.
 */
export const slackActionIds: Readonly<Record<SlackAction, string>> = {
  acknowledge: 'tocsin_acknowledge',
  resolve: 'tocsin_resolve',
  escalate: 'tocsin_escalate',
};

/** Slack's replay window: a request whose timestamp is further than this from now is refused. */
export const slackSignatureWindowMs = 5 * 60_000;

/** The result of checking a request's Slack signature; `reason` never holds a secret. */
export type SlackSignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks Slack's v0 request signature: `X-Slack-Signature` must be `v0=` followed by the hex
 * HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>` keyed with the app's signing
 * secret, and the timestamp must be within five minutes of `now` (either way: a timestamp from
 * the future is as suspect as a stale one). The window is checked first so a replayed request
 * is refused without touching the secret.
 */
export function verifySlackSignature(input: {
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  signingSecret: string;
  /** Milliseconds since the epoch, from the injected clock. */
  now: number;
}): SlackSignatureCheck {
  const { rawBody, timestamp, signature, signingSecret, now } = input;
  if (!timestamp) return { ok: false, reason: 'missing X-Slack-Request-Timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'unreadable timestamp' };
  if (Math.abs(now - Number(timestamp) * 1000) > slackSignatureWindowMs)
    return { ok: false, reason: 'timestamp outside the 5-minute window' };
  if (!signature) return { ok: false, reason: 'missing X-Slack-Signature' };
  if (!signingSecret) return { ok: false, reason: 'no signing secret configured' };
  const expected = Buffer.from(
    'v0=' +
      createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex'),
  );
  const given = Buffer.from(signature);
  // timingSafeEqual throws on a length mismatch; the length of a v0 signature is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/** A Tocsin button pressed in Slack: who pressed which button for which incident, and where. */
export interface SlackButtonPress {
  /** The Slack user (U…/W…); map it to a Tocsin user through a verified contact method. */
  slackUserId: string;
  /** The workspace the user acted from. */
  slackTeamId: string;
  action: SlackAction;
  /** The button's value: the Tocsin incident id the message was rendered for. */
  incidentId: string;
  /**
   * Where to post a reply to this interaction (valid for 30 minutes). Attacker-independent only
   * because the signature was checked first; still send through the guarded fetch.
   */
  responseUrl?: string;
  /** The message the button was on, for updating it in place. */
  channelId?: string;
  messageTs?: string;
}

/** The result of parsing an interaction request body. */
export type SlackInteractionParse =
  ({ ok: true } & SlackButtonPress) | { ok: false; reason: string };

// Only the fields Tocsin reads; Slack adds many more, and loose objects keep them harmless.
const payloadSchema = z.looseObject({
  type: z.string(),
  user: z.looseObject({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.looseObject({ id: z.string().min(1) }).nullish(),
  response_url: z.string().optional(),
  container: z
    .looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .optional(),
  channel: z.looseObject({ id: z.string() }).nullish(),
  message: z.looseObject({ ts: z.string().optional() }).nullish(),
  actions: z
    .array(z.looseObject({ action_id: z.string(), value: z.string().optional() }))
    .optional(),
});

const actionById = new Map(
  Object.entries(slackActionIds).map(([action, id]) => [id, action as SlackAction]),
);

/**
 * Reads what Slack POSTs to the interactivity URL (`application/x-www-form-urlencoded`, one
 * `payload` field holding JSON) and accepts only a `block_actions` press of a Tocsin button
 * carrying an incident id. Anything else — another payload type, a foreign action id, bad
 * JSON — is refused with a reason, never thrown: the route answers Slack 200 either way.
 * Check the signature first.
 */
export function parseSlackInteraction(rawBody: Buffer): SlackInteractionParse {
  const raw = new URLSearchParams(rawBody.toString('utf8')).get('payload');
  if (raw === null) return { ok: false, reason: 'no payload field' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'payload is not a Slack interaction' };
  const p = parsed.data;
  if (p.type !== 'block_actions') return { ok: false, reason: 'unsupported payload type' };
  // A button press carries exactly one action; more would mean a form Tocsin never sends.
  if (p.actions?.length !== 1) return { ok: false, reason: 'expected exactly one action' };
  const pressed = p.actions[0]!;
  const action = actionById.get(pressed.action_id);
  if (!action) return { ok: false, reason: 'not a Tocsin button' };
  if (!pressed.value) return { ok: false, reason: 'button without an incident id' };
  // Org-wide (Enterprise Grid) installs may send `team: null`; the user still names a team.
  const slackTeamId = p.team?.id ?? p.user.team_id;
  if (!slackTeamId) return { ok: false, reason: 'no Slack team in the payload' };
  const responseUrl = p.response_url && isHttpUrl(p.response_url) ? p.response_url : undefined;
  const channelId = p.container?.channel_id ?? p.channel?.id;
  const messageTs = p.container?.message_ts ?? p.message?.ts ?? undefined;
  return {
    ok: true,
    slackUserId: p.user.id,
    slackTeamId,
    action,
    incidentId: pressed.value,
    ...(responseUrl ? { responseUrl } : {}),
    ...(channelId ? { channelId } : {}),
    ...(messageTs ? { messageTs } : {}),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The JSON body of a reply to an interaction that only the person who pressed sees. */
export interface SlackEphemeralReply {
  response_type: 'ephemeral';
  replace_original: false;
  text: string;
}

/**
 * The answer to an interaction shown only to the person who pressed ("Acknowledged #42", "You
 * cannot resolve incidents of Payments"), leaving the shared message alone: the message itself
 * is updated through chat.update, for everyone. `text` is plain; Slack's control characters are
 * escaped so an incident title cannot ping a channel.
 */
export function slackEphemeral(text: string): SlackEphemeralReply {
  return { response_type: 'ephemeral', replace_original: false, text: escapeSlackText(text) };
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control (`&`, `<`, `>`), so text from
 * alerts cannot forge links or mentions such as `<!channel>`.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What an Events API request means for Tocsin. */
export type SlackEventParse =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'message'; channelId: string; slackUserId: string; text: string; ts: string }
  | { kind: 'ignore'; why: string };

/**
 * Message subtypes that are still a person saying something in the channel: a message with a
 * file, a thread reply also sent to the channel, `/me`. Every other subtype is bookkeeping
 * (`message_changed`, `message_deleted`, `channel_join`, `channel_topic`, `bot_message`, …).
 */
const spokenSubtypes = new Set(['file_share', 'thread_broadcast', 'me_message']);

const eventEnvelopeSchema = z.looseObject({
  type: z.string(),
  challenge: z.string().optional(),
  event: z
    .looseObject({
      type: z.string(),
      subtype: z.string().optional(),
      channel: z.string().optional(),
      user: z.string().optional(),
      bot_id: z.string().nullish(),
      text: z.string().optional(),
      ts: z.string().optional(),
    })
    .optional(),
});

/**
 * Reads what Slack POSTs to the Events API Request URL (JSON): the `url_verification`
 * handshake (echo its `challenge`), or an `event_callback` whose `message` event is a person
 * speaking in a channel. Bot and app messages (Tocsin's own summary among them), edits,
 * deletions, joins, other event types and unreadable bodies are `ignore`d with a reason,
 * never thrown: Slack gets its 200 either way and would only retry. Ids and `ts` are checked
 * against Slack's formats, because they key the timeline entry. Check the signature first.
 */
export function parseSlackEvent(rawBody: Buffer): SlackEventParse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { kind: 'ignore', why: 'body is not JSON' };
  }
  const parsed = eventEnvelopeSchema.safeParse(json);
  if (!parsed.success) return { kind: 'ignore', why: 'not an Events API request' };
  const body = parsed.data;
  if (body.type === 'url_verification')
    return body.challenge
      ? { kind: 'challenge', challenge: body.challenge }
      : { kind: 'ignore', why: 'url_verification without a challenge' };
  if (body.type !== 'event_callback' || !body.event)
    return { kind: 'ignore', why: `request type ${body.type}` };
  const e = body.event;
  if (e.type !== 'message') return { kind: 'ignore', why: `event type ${e.type}` };
  if (e.subtype && !spokenSubtypes.has(e.subtype))
    return { kind: 'ignore', why: `message subtype ${e.subtype}` };
  if (e.bot_id) return { kind: 'ignore', why: 'bot message' };
  if (!e.channel || !/^[CGD][A-Z0-9]{2,}$/.test(e.channel))
    return { kind: 'ignore', why: 'no channel' };
  if (!e.user || !/^[UW][A-Z0-9]{2,}$/.test(e.user)) return { kind: 'ignore', why: 'no user' };
  if (!e.ts || !/^\d{1,12}\.\d{1,8}$/.test(e.ts)) return { kind: 'ignore', why: 'no ts' };
  if (!e.text?.trim()) return { kind: 'ignore', why: 'empty message' };
  return { kind: 'message', channelId: e.channel, slackUserId: e.user, text: e.text, ts: e.ts };
}

/** A slash command run in Slack: who ran it, where, and what they typed after the command. */
export interface SlackSlashCommand {
  command: string;
  text: string;
  slackUserId: string;
  channelId: string;
  teamId: string;
}

/** The result of parsing a slash command request body. */
export type SlackSlashCommandParse =
  ({ ok: true } & SlackSlashCommand) | { ok: false; reason: string };

/**
 * Reads what Slack POSTs to a slash command's Request URL (`application/x-www-form-urlencoded`:
 * `command`, `text`, `user_id`, `channel_id`, `team_id`, `response_url`, …). Slack's periodic
 * `ssl_check=1` request, and anything without a user or a channel, is refused with a reason.
 * Check the signature first.
 */
export function parseSlashCommandRequest(rawBody: Buffer): SlackSlashCommandParse {
  const form = new URLSearchParams(rawBody.toString('utf8'));
  if (form.get('ssl_check') === '1') return { ok: false, reason: 'ssl_check' };
  const command = form.get('command') ?? '';
  const slackUserId = form.get('user_id') ?? '';
  const channelId = form.get('channel_id') ?? '';
  const teamId = form.get('team_id') ?? '';
  if (!command.startsWith('/')) return { ok: false, reason: 'not a slash command' };
  if (!/^[UW][A-Z0-9]{2,}$/.test(slackUserId)) return { ok: false, reason: 'no user' };
  if (!/^[CGD][A-Z0-9]{2,}$/.test(channelId)) return { ok: false, reason: 'no channel' };
  return { ok: true, command, text: form.get('text') ?? '', slackUserId, channelId, teamId };
}

/** The JSON answer to a slash command that only the person who ran it sees. */
export interface SlackCommandReply {
  response_type: 'ephemeral';
  text: string;
}

/**
 * The immediate answer to a slash command (within Slack's 3 seconds), shown only to the person
 * who ran it. The text is escaped like {@link slackEphemeral}'s, so an incident title in it cannot
 * mention a channel; mrkdwn (`*bold*`, `` `code` ``) still renders.
 */
export function slackCommandReply(text: string): SlackCommandReply {
  return { response_type: 'ephemeral', text: escapeSlackText(text) };
}
