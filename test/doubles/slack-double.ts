import { createHmac } from 'node:crypto';
import { HttpDouble, type RecordedRequest, type ScriptedResponse } from './http-double.js';

/** A message the Slack double accepted through chat.postMessage (kept current by chat.update). */
export interface SlackDoubleMessage {
  /** The conversation it landed in: a D… id when it was posted to a user id. */
  channel: string;
  /** The `channel` argument as the client sent it (a user id for DMs). */
  requestedChannel: string;
  text: string | undefined;
  blocks: Array<Record<string, unknown>> | undefined;
  ts: string;
}

/** A chat.update the Slack double accepted. */
export interface SlackDoubleUpdate {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: Array<Record<string, unknown>> | undefined;
}

/** A channel the Slack double holds: made by conversations.create or `addChannel`. */
export interface SlackDoubleChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** An archived channel keeps its name taken, as in Slack. */
  isArchived: boolean;
  topic: string;
  /** Member ids, the creator (the app's bot user) first. */
  members: string[];
  /** The `ts` of each pinned message. */
  pins: string[];
}

type Answer = (req: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

const teamId = 'T0TOCSIN';
const botUserId = 'U0TOCSINBOT';
const botId = 'B0TOCSIN';

/** The app's bot user in the double's workspace (the creator and first member of its channels). */
export const slackDoubleBotUserId = botUserId;

/**
 * A test double of Slack's Web API (not Slack): a local server answering POST
 * /api/chat.postMessage, /api/chat.update, /api/auth.test, /api/conversations.create,
 * /api/conversations.setTopic, /api/conversations.invite, /api/conversations.list and
 * /api/pins.add the way slack.com does — JSON or form bodies (pins.add: form only, as documented), the bot token as
 * `Authorization: Bearer` (or a `token` field), failures as HTTP 200 with `{ ok: false, error }`,
 * a user id answered with the app's DM channel (D…), and increasing `ts` values. It records what
 * was posted in `messages` and `updates` and keeps `channels` (name, topic, members, pins); tests
 * script failures with `respondNext` (fixed answers) or `respondNextWith` (answers built from
 * the request); `latencyMs` makes every answer slow. Point `apiUrl` at `${double.url}/api`.
 */
export class SlackDouble {
  /** Posted messages, in order; chat.update rewrites their text and blocks in place. */
  readonly messages: SlackDoubleMessage[] = [];
  /** Accepted chat.update calls, in order. */
  readonly updates: SlackDoubleUpdate[] = [];
  /** Channels, in the order they were created. */
  readonly channels: SlackDoubleChannel[] = [];
  /** Member ids the workspace does not know: inviting them fails with `user_not_found`. */
  readonly unknownUsers = new Set<string>();
  /** How long every answer (scripted or not) waits before it is sent: a slow Slack. */
  latencyMs = 0;
  private readonly http: HttpDouble;
  private readonly dynamic: Answer[] = [];
  private readonly byMethod = new Map<string, ScriptedResponse[]>();
  private readonly dms = new Map<string, string>();
  private seq = 0;
  private channelSeq = 0;

  constructor(private readonly opts: { botToken: string }) {
    this.http = new HttpDouble((req) => this.answer(req));
  }

  /** The server's base URL (no `/api`). */
  get url(): string {
    return this.http.url;
  }

  /** Every request received, scripted or not. */
  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.http.stop();
  }

  /** Answers the next request(s) with these fixed responses (or `hang`), then behaves again. */
  respondNext(...responses: ScriptedResponse[]): void {
    this.http.respondNext(...responses);
  }

  /**
   * Answers the next request with whatever `answer` builds from it (e.g. a body echoing the
   * request's headers). Fixed `respondNext` answers queued at the same time go first.
   */
  respondNextWith(answer: Answer): void {
    this.dynamic.push(answer);
  }

  /**
   * Answers the next call(s) of one Web API method (e.g. `conversations.invite`) with these,
   * while other methods behave: for failing one step in the middle of a sequence.
   */
  respondNextTo(method: string, ...responses: ScriptedResponse[]): void {
    this.byMethod.set(method, [...(this.byMethod.get(method) ?? []), ...responses]);
  }

  /** Forgets requests, scripted answers, messages, updates, channels (ids and ts keep counting). */
  clear(): void {
    this.http.clear();
    this.dynamic.length = 0;
    this.byMethod.clear();
    this.messages.length = 0;
    this.updates.length = 0;
    this.channels.length = 0;
  }

  /** The channel of that name, if the double holds one. */
  channelNamed(name: string): SlackDoubleChannel | undefined {
    return this.channels.find((c) => c.name === name);
  }

  /**
   * Adds a channel as if someone had made it in Slack (so its name is taken), e.g. an archived
   * `inc-1-…` left from an earlier installation.
   */
  addChannel(
    name: string,
    options: { isArchived?: boolean; isPrivate?: boolean; members?: string[] } = {},
  ): SlackDoubleChannel {
    const channel: SlackDoubleChannel = {
      id: `C0${String(++this.channelSeq).padStart(8, '0')}`,
      name,
      isPrivate: options.isPrivate ?? false,
      isArchived: options.isArchived ?? false,
      topic: '',
      members: options.members ?? [],
      pins: [],
    };
    this.channels.push(channel);
    return channel;
  }

  /** Resolves once `n` requests (matching `pred`) have arrived. */
  waitFor(n: number, pred?: (r: RecordedRequest) => boolean, timeoutMs?: number) {
    return this.http.waitFor(n, pred, timeoutMs);
  }

  /** The DM conversation id the double gives the app's DM with `userId`. */
  dmChannelFor(userId: string): string {
    let id = this.dms.get(userId);
    if (!id) {
      id = `D0${String(this.dms.size + 1).padStart(8, '0')}`;
      this.dms.set(userId, id);
    }
    return id;
  }

  private async answer(req: RecordedRequest): Promise<ScriptedResponse> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const scripted = this.dynamic.shift();
    if (scripted) return scripted(req);
    const path = req.path.split('?')[0];
    const method = path?.startsWith('/api/') ? path.slice('/api/'.length) : undefined;
    const forMethod = method ? this.byMethod.get(method)?.shift() : undefined;
    if (forMethod) return forMethod;
    const known = [
      'chat.postMessage',
      'chat.update',
      'auth.test',
      'conversations.create',
      'conversations.setTopic',
      'conversations.invite',
      'conversations.list',
      'pins.add',
    ];
    if (req.method !== 'POST' || !method || !known.includes(method))
      return slack({ ok: false, error: 'unknown_method' });
    const args = readArgs(req);
    if (args === undefined) return slack({ ok: false, error: 'invalid_json' });
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : args.token;
    if (!token) return slack({ ok: false, error: 'not_authed' });
    if (token !== this.opts.botToken) return slack({ ok: false, error: 'invalid_auth' });
    if (method === 'conversations.create') return this.create(args);
    if (method === 'conversations.setTopic') return this.setTopic(args);
    if (method === 'conversations.invite') return this.invite(args);
    if (method === 'conversations.list') return this.list(args);
    if (method === 'pins.add')
      // pins.add is documented with form bodies only: JSON arguments are not read, as if absent.
      return this.pin(isJson(req) ? {} : args);
    if (method === 'auth.test')
      return slack({
        ok: true,
        url: 'https://tocsin-test.slack.com/',
        team: 'Tocsin Test',
        user: 'tocsin',
        team_id: teamId,
        user_id: botUserId,
        bot_id: botId,
      });
    const blocks = readBlocks(args.blocks);
    if (blocks === null) return slack({ ok: false, error: 'invalid_blocks' });
    const text = typeof args.text === 'string' ? args.text : undefined;
    if (method === 'chat.postMessage') {
      const requested = typeof args.channel === 'string' ? args.channel : '';
      if (!/^[CDGUW][A-Z0-9]{2,}$/.test(requested))
        return slack({ ok: false, error: 'channel_not_found' });
      if (!text && !blocks?.length) return slack({ ok: false, error: 'no_text' });
      // Posting to a user id lands in the app's DM with them, and Slack answers with that D… id.
      const channel = /^[UW]/.test(requested) ? this.dmChannelFor(requested) : requested;
      const ts = this.nextTs();
      this.messages.push({ channel, requestedChannel: requested, text, blocks, ts });
      return slack({ ok: true, channel, ts, message: this.messageJson(text, blocks, ts) });
    }
    // chat.update: addressed by the conversation id and ts Slack gave, not by a user id.
    const channel = typeof args.channel === 'string' ? args.channel : '';
    const ts = typeof args.ts === 'string' ? args.ts : '';
    if (!this.messages.some((m) => m.channel === channel))
      return slack({ ok: false, error: 'channel_not_found' });
    const msg = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!msg) return slack({ ok: false, error: 'message_not_found' });
    if (!text && !blocks?.length) return slack({ ok: false, error: 'no_text' });
    msg.text = text ?? msg.text;
    // As documented: blocks left out are kept unless new text is given, which replaces them.
    msg.blocks = blocks ?? (text !== undefined ? undefined : msg.blocks);
    this.updates.push({ channel, ts, text, blocks });
    return slack({
      ok: true,
      channel,
      ts,
      text: msg.text,
      message: this.messageJson(msg.text, msg.blocks, ts),
    });
  }

  private create(args: Record<string, unknown>): ScriptedResponse {
    const name = typeof args.name === 'string' ? args.name : '';
    // Slack's documented naming rule: lower-case letters, digits, hyphens, underscores; ≤ 80.
    if (!name) return slack({ ok: false, error: 'invalid_name_required' });
    if (name.length > 80) return slack({ ok: false, error: 'invalid_name_maxlength' });
    if (/^[-_]+$/.test(name)) return slack({ ok: false, error: 'invalid_name_punctuation' });
    if (!/^[a-z0-9_-]+$/.test(name)) return slack({ ok: false, error: 'invalid_name_specials' });
    if (this.channelNamed(name)) return slack({ ok: false, error: 'name_taken' });
    const isPrivate = args.is_private === true || args.is_private === 'true';
    const channel = this.addChannel(name, { isPrivate, members: [botUserId] });
    return slack({ ok: true, channel: this.channelJson(channel) });
  }

  private setTopic(args: Record<string, unknown>): ScriptedResponse {
    const channel = this.channels.find((c) => c.id === args.channel);
    if (!channel) return slack({ ok: false, error: 'channel_not_found' });
    if (channel.isArchived) return slack({ ok: false, error: 'is_archived' });
    if (!channel.members.includes(botUserId)) return slack({ ok: false, error: 'not_in_channel' });
    const topic = typeof args.topic === 'string' ? args.topic : '';
    if (topic.length > 250) return slack({ ok: false, error: 'too_long' });
    channel.topic = topic;
    return slack({ ok: true, channel: this.channelJson(channel) });
  }

  /**
   * conversations.invite: a comma-separated `users` list. As documented, one user that cannot be
   * invited fails the whole call and nobody is added — unless `force` is true, when the valid
   * ones are added and the others come back in `errors` (the call fails only if nobody could
   * be added).
   */
  private invite(args: Record<string, unknown>): ScriptedResponse {
    const channel = this.channels.find((c) => c.id === args.channel);
    if (!channel) return slack({ ok: false, error: 'channel_not_found' });
    if (channel.isArchived) return slack({ ok: false, error: 'is_archived' });
    if (!channel.members.includes(botUserId)) return slack({ ok: false, error: 'not_in_channel' });
    const users = (typeof args.users === 'string' ? args.users : '').split(',').filter(Boolean);
    if (users.length === 0) return slack({ ok: false, error: 'no_user' });
    const force = args.force === true || args.force === 'true';
    const errors: Array<{ user: string; ok: false; error: string }> = [];
    const fresh: string[] = [];
    for (const user of users) {
      const error =
        user === botUserId
          ? 'cant_invite_self'
          : !/^[UW][A-Z0-9]{2,}$/.test(user) || this.unknownUsers.has(user)
            ? 'user_not_found'
            : channel.members.includes(user) || fresh.includes(user)
              ? 'already_in_channel'
              : undefined;
      if (error) errors.push({ user, ok: false, error });
      else fresh.push(user);
    }
    if (errors.length > 0 && (!force || fresh.length === 0))
      return slack({ ok: false, error: errors[0]!.error, errors });
    channel.members.push(...fresh);
    return slack({
      ok: true,
      channel: this.channelJson(channel),
      ...(errors.length ? { errors } : {}),
    });
  }

  /**
   * conversations.list as documented: `types` a comma-separated mix of `public_channel` (the
   * default), `private_channel`, `mpim`, `im`; `exclude_archived`; `limit` (default 100, at most
   * 1000) items a page, the next page by `cursor` from `response_metadata.next_cursor` (empty on
   * the last page). Private channels are listed only when the app is a member, as Slack does.
   * The double holds channels only, so `mpim` and `im` add nothing.
   */
  private list(args: Record<string, unknown>): ScriptedResponse {
    const types = (typeof args.types === 'string' ? args.types : 'public_channel').split(',');
    const known = ['public_channel', 'private_channel', 'mpim', 'im'];
    if (types.some((t) => !known.includes(t.trim())))
      return slack({ ok: false, error: 'invalid_types' });
    const limit = args.limit === undefined ? 100 : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      return slack({ ok: false, error: 'invalid_limit' });
    let start = 0;
    if (typeof args.cursor === 'string' && args.cursor !== '') {
      const m = /^dGVhbTpD(\d+)$/.exec(args.cursor);
      if (!m) return slack({ ok: false, error: 'invalid_cursor' });
      start = Number(m[1]);
    }
    const excludeArchived = args.exclude_archived === true || args.exclude_archived === 'true';
    const listed = this.channels.filter(
      (c) =>
        (c.isPrivate
          ? types.includes('private_channel') && c.members.includes(botUserId)
          : types.includes('public_channel')) && !(excludeArchived && c.isArchived),
    );
    const page = listed.slice(start, start + limit);
    const next = start + limit < listed.length ? `dGVhbTpD${start + limit}` : '';
    return slack({
      ok: true,
      channels: page.map((c) => this.channelJson(c)),
      response_metadata: { next_cursor: next },
    });
  }

  private pin(args: Record<string, unknown>): ScriptedResponse {
    const channel = this.channels.find((c) => c.id === args.channel);
    if (!channel) return slack({ ok: false, error: 'channel_not_found' });
    const ts = typeof args.timestamp === 'string' ? args.timestamp : '';
    if (!ts) return slack({ ok: false, error: 'no_item_specified' });
    if (!this.messages.some((m) => m.channel === channel.id && m.ts === ts))
      return slack({ ok: false, error: 'message_not_found' });
    if (channel.pins.includes(ts)) return slack({ ok: false, error: 'already_pinned' });
    channel.pins.push(ts);
    return slack({ ok: true });
  }

  private channelJson(c: SlackDoubleChannel) {
    return {
      id: c.id,
      name: c.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_private: c.isPrivate,
      is_archived: c.isArchived,
      is_member: c.members.includes(botUserId),
      created: 1700000000,
      creator: botUserId,
      name_normalized: c.name,
      topic: { value: c.topic, creator: botUserId, last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      num_members: c.members.length,
    };
  }

  private nextTs(): string {
    this.seq += 1;
    return `1700000000.${String(this.seq * 100).padStart(6, '0')}`;
  }

  private messageJson(text: string | undefined, blocks: unknown, ts: string) {
    return { type: 'message', user: botUserId, bot_id: botId, text: text ?? '', blocks, ts };
  }
}

function slack(body: Record<string, unknown>): ScriptedResponse {
  return { status: 200, body };
}

function isJson(req: RecordedRequest): boolean {
  return String(req.headers['content-type'] ?? '').startsWith('application/json');
}

// Slack takes JSON (with a bearer token) or a form; undefined means unreadable JSON.
function readArgs(req: RecordedRequest): Record<string, unknown> | undefined {
  if (isJson(req)) {
    try {
      const v = JSON.parse(req.body) as unknown;
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(req.body));
}

// Blocks arrive as an array (JSON) or a JSON string (form); null means malformed.
function readBlocks(v: unknown): Array<Record<string, unknown>> | undefined | null {
  if (v === undefined) return undefined;
  let parsed = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return Array.isArray(parsed) ? (parsed as Array<Record<string, unknown>>) : null;
}

/** Which Tocsin button a simulated press hits. */
export type SlackButton = 'acknowledge' | 'resolve' | 'escalate';

/**
 * Builds exactly what Slack POSTs to an app's interactivity URL when someone presses a Tocsin
 * button: a form-encoded `payload` holding a `block_actions` interaction, signed with v0
 * (`X-Slack-Request-Timestamp`, `X-Slack-Signature`). The signature is computed here from
 * Slack's documented recipe, independently of Tocsin's verifier, so tests can "press a button".
 * `now` is milliseconds (default: the real clock); `actionId` overrides the button's id.
 */
export function signedInteraction(input: {
  signingSecret: string;
  slackUserId: string;
  action: SlackButton;
  incidentId: string;
  channelId?: string;
  messageTs?: string;
  now?: number;
  teamId?: string;
  responseUrl?: string;
  actionId?: string;
}): { body: string; headers: Record<string, string> } {
  const now = input.now ?? Date.now();
  const team = input.teamId ?? teamId;
  const channelId = input.channelId ?? 'D0000000001';
  const messageTs = input.messageTs ?? '1700000000.000100';
  const actionTs = (now / 1000).toFixed(6);
  const payload = {
    type: 'block_actions',
    user: {
      id: input.slackUserId,
      username: 'responder',
      name: 'responder',
      team_id: team,
    },
    api_app_id: 'A0TOCSIN',
    token: 'verification-token-unused',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: false,
    },
    trigger_id: `${Math.floor(now)}.1.abcdef`,
    team: { id: team, domain: 'tocsin-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'incidents' },
    message: { type: 'message', user: botUserId, bot_id: botId, text: 'Tocsin', ts: messageTs },
    state: { values: {} },
    response_url:
      input.responseUrl ?? `https://hooks.slack.com/actions/${team}/1234567890/abcdefTOCSIN`,
    actions: [
      {
        type: 'button',
        action_id: input.actionId ?? `tocsin_${input.action}`,
        block_id: 'tocsin_actions_triggered',
        text: { type: 'plain_text', text: input.action, emoji: true },
        value: input.incidentId,
        action_ts: actionTs,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signed(input.signingSecret, body, now, 'application/x-www-form-urlencoded');
}

/**
 * Signs a body the way Slack signs every request to an app (v0): the HMAC-SHA256 of
 * `v0:<timestamp>:<body>` with the signing secret, computed here from the documented recipe,
 * independently of Tocsin's verifier.
 */
function signed(
  signingSecret: string,
  body: string,
  now: number,
  contentType: string,
  extra: Record<string, string> = {},
): { body: string; headers: Record<string, string> } {
  const timestamp = String(Math.floor(now / 1000));
  const signature =
    'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
      ...extra,
    },
  };
}

/**
 * A `message` event as the Events API delivers it for a message in a channel (`message.channels`
 * or `message.groups`): a person's message has `user`, `text`, `ts`, and no `subtype`; an app's
 * message carries `bot_id` (and `subtype: "bot_message"` when not posted as a bot user); edits,
 * deletions and joins come with their `subtype` (`message_changed`, `channel_join`, …).
 */
export function slackMessageEvent(input: {
  channel: string;
  user?: string;
  text: string;
  ts: string;
  subtype?: string;
  botId?: string;
  threadTs?: string;
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
}): Record<string, unknown> {
  return {
    type: 'message',
    ...(input.subtype ? { subtype: input.subtype } : {}),
    channel: input.channel,
    ...(input.user ? { user: input.user } : {}),
    ...(input.botId ? { bot_id: input.botId } : {}),
    text: input.text,
    ts: input.ts,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    team: teamId,
    client_msg_id: `c1a0${input.ts.replace('.', '')}`,
    blocks: [
      {
        type: 'rich_text',
        block_id: 'b1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: input.text }] }],
      },
    ],
    event_ts: input.ts,
    channel_type: input.channelType ?? 'channel',
  };
}

let eventSeq = 0;

/**
 * Builds exactly what Slack POSTs to an app's Events API Request URL for one event: the JSON
 * `event_callback` envelope (team, app, `event_id`, `event_time`, authorizations) around
 * `event`, signed with v0. `retryNum` adds Slack's retry headers (`X-Slack-Retry-Num`,
 * `X-Slack-Retry-Reason`), sent when an earlier delivery of the same event got no timely 2xx.
 */
export function signedEvent(input: {
  signingSecret: string;
  event: Record<string, unknown>;
  now?: number;
  eventId?: string;
  teamId?: string;
  retryNum?: number;
}): { body: string; headers: Record<string, string> } {
  const now = input.now ?? Date.now();
  const team = input.teamId ?? teamId;
  const envelope = {
    token: 'verification-token-unused',
    team_id: team,
    context_team_id: team,
    context_enterprise_id: null,
    api_app_id: 'A0TOCSIN',
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId ?? `Ev0${String(++eventSeq).padStart(9, '0')}`,
    event_time: Math.floor(now / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: team,
        user_id: botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: '4-opaque-event-context',
  };
  return signed(
    input.signingSecret,
    JSON.stringify(envelope),
    now,
    'application/json',
    input.retryNum
      ? { 'x-slack-retry-num': String(input.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {},
  );
}

/**
 * What Slack POSTs when the Events API Request URL is saved: a signed `url_verification` body
 * (no envelope) whose `challenge` the app must echo.
 */
export function signedUrlVerification(input: {
  signingSecret: string;
  challenge: string;
  now?: number;
}): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    token: 'verification-token-unused',
    challenge: input.challenge,
    type: 'url_verification',
  });
  return signed(input.signingSecret, body, input.now ?? Date.now(), 'application/json');
}

/**
 * Builds exactly what Slack POSTs to a slash command's Request URL when someone runs
 * `/tocsin <text>` in a channel: a form-encoded body (`command`, `text`, `user_id`,
 * `channel_id`, `team_id`, `response_url`, `trigger_id`, …) signed with v0. With "Escape
 * channels, users, and links" on, a mention in `text` arrives as `<@U123|name>`.
 */
export function signedSlashCommand(input: {
  signingSecret: string;
  slackUserId: string;
  channelId: string;
  text: string;
  now?: number;
  command?: string;
  teamId?: string;
  channelName?: string;
}): { body: string; headers: Record<string, string> } {
  const now = input.now ?? Date.now();
  const team = input.teamId ?? teamId;
  const body = new URLSearchParams({
    token: 'verification-token-unused',
    team_id: team,
    team_domain: 'tocsin-test',
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'incidents',
    user_id: input.slackUserId,
    user_name: 'responder',
    command: input.command ?? '/tocsin',
    text: input.text,
    api_app_id: 'A0TOCSIN',
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.com/commands/${team}/1234567890/abcdefTOCSIN`,
    trigger_id: `${Math.floor(now)}.1.abcdef`,
  }).toString();
  return signed(input.signingSecret, body, now, 'application/x-www-form-urlencoded');
}
