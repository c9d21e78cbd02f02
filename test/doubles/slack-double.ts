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

type Answer = (req: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

const teamId = 'T0TOCSIN';
const botUserId = 'U0TOCSINBOT';
const botId = 'B0TOCSIN';

/**
 * A test double of Slack's Web API (not Slack): a local server answering POST
 * /api/chat.postMessage, /api/chat.update and /api/auth.test the way slack.com does — JSON or
 * form bodies, the bot token as `Authorization: Bearer` (or a `token` field), failures as HTTP
 * 200 with `{ ok: false, error }`, a user id answered with the app's DM channel (D…), and
 * increasing `ts` values. It records what was posted in `messages` and `updates`; tests script
 * failures with `respondNext` (fixed answers) or `respondNextWith` (answers built from the
 * request). Point `apiUrl` at `${double.url}/api`.
 */
export class SlackDouble {
  /** Posted messages, in order; chat.update rewrites their text and blocks in place. */
  readonly messages: SlackDoubleMessage[] = [];
  /** Accepted chat.update calls, in order. */
  readonly updates: SlackDoubleUpdate[] = [];
  private readonly http: HttpDouble;
  private readonly dynamic: Answer[] = [];
  private readonly dms = new Map<string, string>();
  private seq = 0;

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

  /** Forgets requests, scripted answers, messages and updates (DM ids and ts keep counting). */
  clear(): void {
    this.http.clear();
    this.dynamic.length = 0;
    this.messages.length = 0;
    this.updates.length = 0;
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
    const scripted = this.dynamic.shift();
    if (scripted) return scripted(req);
    const path = req.path.split('?')[0];
    const method = path?.startsWith('/api/') ? path.slice('/api/'.length) : undefined;
    const known = ['chat.postMessage', 'chat.update', 'auth.test'];
    if (req.method !== 'POST' || !method || !known.includes(method))
      return slack({ ok: false, error: 'unknown_method' });
    const args = readArgs(req);
    if (args === undefined) return slack({ ok: false, error: 'invalid_json' });
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : args.token;
    if (!token) return slack({ ok: false, error: 'not_authed' });
    if (token !== this.opts.botToken) return slack({ ok: false, error: 'invalid_auth' });
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

// Slack takes JSON (with a bearer token) or a form; undefined means unreadable JSON.
function readArgs(req: RecordedRequest): Record<string, unknown> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
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
  const timestamp = String(Math.floor(now / 1000));
  const signature =
    'v0=' +
    createHmac('sha256', input.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
  };
}
