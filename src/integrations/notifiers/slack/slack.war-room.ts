import type { WarRoomPort } from '../../../domains/response/index.js';
import type { CatalogContext } from '../catalog.js';
import { slackConfigSchema, type SlackConfig } from './slack.notifier.js';

/** Where the Slack settings come from (the notifier settings service). */
export interface SlackSettingsSource {
  configOf(id: string): Promise<{ enabled: boolean; config: Record<string, unknown> } | undefined>;
}

type SlackAnswer = {
  ok: boolean;
  error?: string;
  channel?: { id: string; name: string };
  ts?: string;
};

async function call(
  ctx: CatalogContext,
  config: SlackConfig,
  method: string,
  body: Record<string, unknown>,
): Promise<SlackAnswer> {
  try {
    const res = await ctx.fetch(`${config.apiUrl.replace(/\/$/, '')}/${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${config.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    if (!res.ok) return { ok: false, error: `http_${res.status}` };
    const json = (await res.json()) as SlackAnswer;
    // Only Slack's own error codes travel on, never a body that could echo the token.
    return json.ok
      ? json
      : { ok: false, error: /^[a-z0-9_]+$/.test(json.error ?? '') ? json.error! : 'unknown_error' };
  } catch (err) {
    return {
      ok: false,
      error: (err as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'request_failed',
    };
  }
}

/**
 * The war room over Slack's Web API with the Slack notifier's settings: `conversations.create`
 * (a taken name gets `-2`, `-3` …), `conversations.setTopic`, `conversations.invite` with the
 * responders' member ids, `chat.postMessage` with the summary and `pins.add` to pin it.
 */
export function createSlackWarRoom(
  settings: SlackSettingsSource,
  ctx: CatalogContext,
): WarRoomPort {
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
      let created: SlackAnswer | undefined;
      for (let n = 1; n <= 5; n++) {
        const name = n === 1 ? input.name : `${input.name.slice(0, 76)}-${n}`;
        created = await call(ctx, c, 'conversations.create', { name, is_private: false });
        if (created.ok || created.error !== 'name_taken') break;
      }
      if (!created?.ok || !created.channel)
        return { ok: false, reason: `slack: ${created?.error ?? 'unknown_error'}` };
      const channel = created.channel;
      await call(ctx, c, 'conversations.setTopic', { channel: channel.id, topic: input.topic });
      if (input.slackUserIds.length) {
        const invited = await call(ctx, c, 'conversations.invite', {
          channel: channel.id,
          users: input.slackUserIds.join(','),
        });
        if (!invited.ok && invited.error !== 'already_in_channel') {
          // The room exists; say who could not be invited rather than failing it.
          await call(ctx, c, 'chat.postMessage', {
            channel: channel.id,
            text: `Could not invite responders (${invited.error}).`,
          });
        }
      }
      const posted = await call(ctx, c, 'chat.postMessage', {
        channel: channel.id,
        text: input.summary,
      });
      if (posted.ok && posted.ts)
        await call(ctx, c, 'pins.add', { channel: channel.id, timestamp: posted.ts });
      return { ok: true, channelId: channel.id, channelName: channel.name };
    },
  };
}
