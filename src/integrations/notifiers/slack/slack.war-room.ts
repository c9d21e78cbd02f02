import type { RetryingWarRoomPort } from '../../../domains/response/index.js';
import type { CatalogContext } from '../catalog.js';
import { escapeSlackText } from './slack.inbound.js';
import { slackConfigSchema, type SlackConfig } from './slack.notifier.js';

/*
 * The war room over Slack's Web API. Every call is a form-encoded POST with the bot token as
 * `Authorization: Bearer`: form bodies are what every Web API method accepts (pins.add is
 * documented with form bodies only, while JSON is "most write methods"), and none of these
 * arguments needs JSON. Slack answers most failures with HTTP 200 and `{ ok: false, error }`;
 * only that error code — checked to be a bare `snake_case` word — ever reaches a reason, never
 * a body, which could echo the token back.
 *
 * The bot token needs `channels:manage` (conversations.create, .setTopic, .invite on public
 * channels), `chat:write` and `pins:write`; and `channels:read` (`groups:read` for private
 * channels) for a retry to find the channel an earlier try made (conversations.list).
 */

/** Where the Slack settings come from (the notifier settings service). */
export interface SlackSettingsSource {
  configOf(id: string): Promise<{ enabled: boolean; config: Record<string, unknown> } | undefined>;
}

/** The part of a Web API answer the war room reads. */
interface SlackAnswer {
  ok: boolean;
  error?: string;
  channel?: { id: string; name: string };
  ts?: string;
  /** conversations.invite with `force`: the users that could not be added. */
  errors?: Array<{ user?: string; error?: string }>;
  /** conversations.list: one page of channels, and the cursor of the next ('' at the end). */
  channels?: Array<{ id: string; name: string; is_archived?: boolean; is_member?: boolean }>;
  response_metadata?: { next_cursor?: string };
}

/** How many names are tried (`name`, `name-2` … `name-9`) before giving up on `name_taken`. */
const nameAttempts = 9;

/** Pages of conversations.list read at most when looking for a room's channel (200 each). */
const listPages = 50;

/**
 * Failures worth another try later: Slack or the network was unwell (5xx, rate limit, timeout,
 * Slack's own `internal_error` …), not the request or the app's setup (`missing_scope`,
 * `invalid_auth`), which fail the same way until someone changes something.
 */
const transientErrors = new Set([
  'timeout',
  'request_failed',
  'bad_answer',
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const isTransient = (code: string) => transientErrors.has(code) || /^http_5\d\d$/.test(code);

/** Invite errors that mean "nothing to do": the person is in already, or it is the bot itself. */
const harmlessInviteErrors = new Set(['already_in_channel', 'cant_invite_self']);

const safeCode = (code: unknown): string =>
  typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : 'unknown_error';

async function call(
  ctx: CatalogContext,
  config: SlackConfig,
  method: string,
  args: Record<string, string>,
): Promise<SlackAnswer> {
  try {
    const res = await ctx.fetch(`${config.apiUrl.replace(/\/$/, '')}/${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${config.botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(args).toString(),
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    // Slack's rate limit is HTTP 429 (with Retry-After); other statuses are the network's.
    if (!res.ok)
      return { ok: false, error: res.status === 429 ? 'ratelimited' : `http_${res.status}` };
    const json = (await res.json()) as SlackAnswer;
    if (json.ok !== true) return { ok: false, error: safeCode(json.error) };
    return json;
  } catch (err) {
    const name = (err as { name?: string }).name;
    return {
      ok: false,
      error:
        name === 'TimeoutError'
          ? 'timeout'
          : name === 'SyntaxError'
            ? 'bad_answer'
            : 'request_failed',
    };
  }
}

/** `name`, then `name-2`, `name-3` …, each within Slack's 80 characters. */
function candidateName(name: string, attempt: number): string {
  if (attempt === 1) return name;
  const suffix = `-${attempt}`;
  return `${name.slice(0, 80 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/**
 * The open channels the app is in whose name is one of `names`, by name, from
 * conversations.list (public and private, archived left out, paged by cursor as Slack
 * documents). An error answer when a page could not be read.
 */
async function appChannels(
  ctx: CatalogContext,
  config: SlackConfig,
  names: Set<string>,
): Promise<Map<string, { id: string; name: string }> | SlackAnswer> {
  const found = new Map<string, { id: string; name: string }>();
  let cursor = '';
  for (let page = 0; page < listPages; page++) {
    const answer = await call(ctx, config, 'conversations.list', {
      types: 'public_channel,private_channel',
      exclude_archived: 'true',
      limit: '200',
      ...(cursor ? { cursor } : {}),
    });
    if (!answer.ok) return answer;
    for (const ch of answer.channels ?? [])
      if (names.has(ch.name) && ch.is_member === true && ch.is_archived !== true)
        found.set(ch.name, { id: ch.id, name: ch.name });
    cursor = answer.response_metadata?.next_cursor ?? '';
    if (!cursor || found.size === names.size) break;
  }
  return found;
}

/**
 * The war room over Slack's Web API with the Slack notifier's settings:
 * `conversations.create` (a taken name — say an archived channel from an earlier install, or a
 * room created just before a crash — gets `-2`, `-3` …), `conversations.setTopic`,
 * `conversations.invite` with the responders' member ids, `chat.postMessage` with the summary
 * and `pins.add` to pin it. Once the channel exists the room counts as opened: a topic, invite
 * or pin that fails is said in the channel or skipped, not retried into a second channel.
 *
 * A retry (`adoptExisting`) first adopts a taken name if it is an open channel the app is in: a
 * `conversations.create` that timed out may have made the room in Slack all the same, and the
 * room is then that channel — set up now — not an orphan beside a `-2`. A failure says whether
 * it is worth another try (`retryable`).
 */
export function createSlackWarRoom(
  settings: SlackSettingsSource,
  ctx: CatalogContext,
): RetryingWarRoomPort {
  const config = async (): Promise<SlackConfig | undefined> => {
    const s = await settings.configOf('slack');
    if (!s?.enabled) return undefined;
    const parsed = slackConfigSchema.safeParse(s.config);
    return parsed.success ? parsed.data : undefined;
  };
  return {
    async available() {
      return (await config()) !== undefined;
    },
    async open(input) {
      const c = await config();
      if (!c) return { ok: false, reason: 'Slack is not configured' };
      let created: SlackAnswer = { ok: false, error: 'name_taken' };
      let ours: Map<string, { id: string; name: string }> | undefined;
      for (let attempt = 1; attempt <= nameAttempts && created.error === 'name_taken'; attempt++) {
        const name = candidateName(input.name, attempt);
        created = await call(ctx, c, 'conversations.create', { name, is_private: 'false' });
        if (created.error !== 'name_taken' || !input.adoptExisting) continue;
        if (!ours) {
          const names = new Set(
            Array.from({ length: nameAttempts }, (_, i) => candidateName(input.name, i + 1)),
          );
          const listed = await appChannels(ctx, c, names);
          // Unable to look (a timeout): try later rather than risk a second room; unable for
          // good (no `channels:read`): carry on with `-2` as before.
          if (!(listed instanceof Map) && isTransient(listed.error ?? ''))
            return { ok: false, reason: `slack: ${listed.error}`, retryable: true };
          ours = listed instanceof Map ? listed : new Map();
        }
        const mine = ours.get(name);
        if (mine) created = { ok: true, channel: mine };
      }
      if (!created.ok || !created.channel?.id) {
        const error = created.error ?? 'no_channel_in_answer';
        return { ok: false, reason: `slack: ${error}`, retryable: isTransient(error) };
      }
      const channel = created.channel;
      // The topic is plain text to Slack ("does not support formatting"), so it is not escaped.
      await call(ctx, c, 'conversations.setTopic', {
        channel: channel.id,
        topic: input.topic.slice(0, 250),
      });
      const notInvited = await invite(ctx, c, channel.id, input.slackUserIds);
      const posted = await call(ctx, c, 'chat.postMessage', {
        channel: channel.id,
        // Incident titles and descriptions are people's text: `<!channel>` must not ping anyone.
        text: escapeSlackText(input.summary),
        unfurl_links: 'false',
      });
      if (posted.ok && posted.ts)
        await call(ctx, c, 'pins.add', { channel: channel.id, timestamp: posted.ts });
      if (notInvited.length > 0) {
        const who = notInvited.map((f) => `<@${f.user}> (${f.error})`).join(', ');
        await call(ctx, c, 'chat.postMessage', {
          channel: channel.id,
          text: `Could not invite ${who}.`,
        });
      }
      return { ok: true, channelId: channel.id, channelName: channel.name || input.name };
    },
  };
}

/**
 * Invites everyone in one call with `force` (Slack then adds the valid ones and lists the rest);
 * if the call fails as a whole, one by one, so one unknown or deactivated account cannot keep
 * the other responders out. Returns who could not be invited, and why.
 */
async function invite(
  ctx: CatalogContext,
  config: SlackConfig,
  channel: string,
  users: string[],
): Promise<Array<{ user: string; error: string }>> {
  const ids = [...new Set(users)].filter((u) => /^[UW][A-Z0-9]+$/.test(u));
  if (ids.length === 0) return [];
  const all = await call(ctx, config, 'conversations.invite', {
    channel,
    users: ids.join(','),
    force: 'true',
  });
  const failed: Array<{ user: string; error: string }> = [];
  if (all.ok) {
    for (const e of all.errors ?? []) {
      const error = safeCode(e.error);
      if (e.user && ids.includes(e.user) && !harmlessInviteErrors.has(error))
        failed.push({ user: e.user, error });
    }
    return failed;
  }
  // A failed call added nobody; with one id the error is that person's, otherwise ask singly.
  for (const user of ids) {
    const one =
      ids.length === 1
        ? all
        : await call(ctx, config, 'conversations.invite', { channel, users: user });
    if (!one.ok && !harmlessInviteErrors.has(one.error ?? ''))
      failed.push({ user, error: one.error ?? 'unknown_error' });
  }
  return failed;
}
