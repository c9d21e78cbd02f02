import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackDouble, slackDoubleBotUserId } from '../../../../test/doubles/slack-double.js';
import type { CatalogContext } from '../catalog.js';
import { createSlackWarRoom, type SlackSettingsSource } from './slack.war-room.js';

const botToken = 'xoxb-1111111111-2222222222-WarRoomTestBotToken';
const signingSecret = 'c0ffee8f742231b10e8888abcd99fe85';
const name = 'inc-42-checkout-5xx-above-20';
const input = {
  name,
  topic: 'SEV2 #42: Checkout 5xx above 20%',
  summary: '*#42 Checkout 5xx above 20%*\nSeverity: SEV2 · Status: triggered',
  slackUserIds: ['U0PRIYA01', 'U0MORGAN1'],
};

let double: SlackDouble;
let ctx: CatalogContext;

function settings(over: Record<string, unknown> = {}, enabled = true): SlackSettingsSource {
  return {
    configOf: (id) =>
      Promise.resolve(
        id === 'slack'
          ? { enabled, config: { botToken, signingSecret, apiUrl: `${double.url}/api`, ...over } }
          : undefined,
      ),
  };
}

const methods = () => double.requests.map((r) => r.path.replace('/api/', ''));

beforeEach(async () => {
  double = await new SlackDouble({ botToken }).start();
  ctx = { fetch: globalThis.fetch, timeoutMs: 2000, publicUrl: undefined };
});
afterEach(() => double.stop());

describe('createSlackWarRoom', () => {
  it('creates the channel with the given name, sets its topic, invites, posts and pins the summary', async () => {
    const result = await createSlackWarRoom(settings(), ctx).open(input);
    const channel = double.channelNamed(name)!;
    expect(result).toEqual({ ok: true, channelId: channel.id, channelName: name });
    expect(channel).toMatchObject({
      isPrivate: false,
      topic: input.topic,
      pins: [expect.any(String)],
    });
    expect(channel.members).toEqual([slackDoubleBotUserId, 'U0PRIYA01', 'U0MORGAN1']);
    const summary = double.messages.find((m) => m.channel === channel.id)!;
    expect(summary.text).toBe(input.summary);
    expect(channel.pins).toEqual([summary.ts]);
    expect(methods()).toEqual([
      'conversations.create',
      'conversations.setTopic',
      'conversations.invite',
      'chat.postMessage',
      'pins.add',
    ]);
    // Form bodies with the token as a bearer header, never in the body.
    for (const r of double.requests) {
      expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(r.headers.authorization).toBe(`Bearer ${botToken}`);
      expect(r.body).not.toContain(botToken);
    }
  });

  it('gives a taken name a suffix, within 80 characters', async () => {
    double.addChannel(name, { isArchived: true });
    double.addChannel(`${name}-2`);
    const result = await createSlackWarRoom(settings(), ctx).open(input);
    expect(result).toMatchObject({ ok: true, channelName: `${name}-3` });
    expect(double.channelNamed(`${name}-3`)!.pins).toHaveLength(1);

    const long = `inc-7-${'a'.repeat(74)}`;
    expect(long).toHaveLength(80);
    double.addChannel(long);
    const again = await createSlackWarRoom(settings(), ctx).open({ ...input, name: long });
    expect(again).toMatchObject({ ok: true, channelName: `inc-7-${'a'.repeat(72)}-2` });
  });

  it('gives up after nine taken names, saying why', async () => {
    for (let n = 1; n <= 9; n++) double.addChannel(n === 1 ? name : `${name}-${n}`);
    expect(await createSlackWarRoom(settings(), ctx).open(input)).toEqual({
      ok: false,
      reason: 'slack: name_taken',
      retryable: false,
    });
  });

  it('on a retry, adopts the channel an earlier try made (a timeout after Slack created it)', async () => {
    // The earlier try's conversations.create timed out, but Slack had made the channel.
    const made = double.addChannel(name, { members: [slackDoubleBotUserId] });
    // Enough other channels for two pages of conversations.list (200 each).
    for (let n = 0; n < 250; n++) double.addChannel(`general-${n}`);
    const result = await createSlackWarRoom(settings(), ctx).open({
      ...input,
      adoptExisting: true,
    });
    expect(result).toEqual({ ok: true, channelId: made.id, channelName: name });
    expect(double.channels.filter((c) => c.name.startsWith(name))).toHaveLength(1);
    expect(made).toMatchObject({ topic: input.topic, pins: [expect.any(String)] });
    expect(made.members).toEqual([slackDoubleBotUserId, 'U0PRIYA01', 'U0MORGAN1']);
    expect(methods()).toEqual([
      'conversations.create',
      'conversations.list',
      'conversations.list',
      'conversations.setTopic',
      'conversations.invite',
      'chat.postMessage',
      'pins.add',
    ]);
    const lists = double.requests.filter((r) => r.path.endsWith('conversations.list'));
    const args = lists.map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(args[0]).toEqual({
      types: 'public_channel,private_channel',
      exclude_archived: 'true',
      limit: '200',
    });
    expect(args[1]!.cursor).toBeTruthy();
  });

  it('on a retry, adopts no archived channel nor one the app is not in; a first try never looks', async () => {
    double.addChannel(name, { isArchived: true, members: [slackDoubleBotUserId] });
    double.addChannel(`${name}-2`, { members: ['U0SOMEONE'] });
    const retried = await createSlackWarRoom(settings(), ctx).open({
      ...input,
      adoptExisting: true,
    });
    expect(retried).toMatchObject({ ok: true, channelName: `${name}-3` });
    expect(methods().filter((m) => m === 'conversations.list')).toHaveLength(1);

    double.clear();
    double.addChannel(name, { members: [slackDoubleBotUserId] });
    const first = await createSlackWarRoom(settings(), ctx).open(input);
    expect(first).toMatchObject({ ok: true, channelName: `${name}-2` });
    expect(methods()).not.toContain('conversations.list');
  });

  it('on a retry that cannot look for its channel: later if Slack is unwell, else a new name', async () => {
    double.addChannel(name, { members: [slackDoubleBotUserId] });
    double.respondNextTo('conversations.list', { status: 503, body: {} });
    expect(
      await createSlackWarRoom(settings(), ctx).open({ ...input, adoptExisting: true }),
    ).toEqual({ ok: false, reason: 'slack: http_503', retryable: true });
    expect(double.channels).toHaveLength(1);

    // Without channels:read the room cannot be found: a new name, as before retries adopted.
    double.respondNextTo('conversations.list', {
      status: 200,
      body: { ok: false, error: 'missing_scope', needed: 'channels:read' },
    });
    const opened = await createSlackWarRoom(settings(), ctx).open({
      ...input,
      adoptExisting: true,
    });
    expect(opened).toMatchObject({ ok: true, channelName: `${name}-2` });
  });

  it('opens the room without invites when nobody has a Slack account', async () => {
    const result = await createSlackWarRoom(settings(), ctx).open({ ...input, slackUserIds: [] });
    expect(result).toMatchObject({ ok: true });
    expect(methods()).not.toContain('conversations.invite');
  });

  it('invites the others when one responder cannot be invited, and says who was not', async () => {
    double.unknownUsers.add('U0GONE001');
    const result = await createSlackWarRoom(settings(), ctx).open({
      ...input,
      slackUserIds: [
        'U0PRIYA01',
        'U0GONE001',
        'not-a-member-id',
        slackDoubleBotUserId,
        'U0MORGAN1',
      ],
    });
    const channel = double.channelNamed(name)!;
    expect(result).toMatchObject({ ok: true, channelId: channel.id });
    expect(channel.members).toEqual([slackDoubleBotUserId, 'U0PRIYA01', 'U0MORGAN1']);
    // One call with force; the bot itself ("cant_invite_self") is nothing to report, and a
    // malformed id is never sent.
    expect(methods().filter((m) => m === 'conversations.invite')).toHaveLength(1);
    const texts = double.messages.filter((m) => m.channel === channel.id).map((m) => m.text);
    expect(texts).toEqual([input.summary, 'Could not invite <@U0GONE001> (user_not_found).']);
    expect(channel.pins).toEqual([double.messages[0]!.ts]);
  });

  it('falls back to one invite per person when Slack refuses the whole list', async () => {
    double.unknownUsers.add('U0GONE001');
    // As Slack does without `force` (or an older Slack ignoring it): one bad id, nobody added.
    double.respondNextTo('conversations.invite', {
      status: 200,
      body: { ok: false, error: 'user_not_found' },
    });
    const result = await createSlackWarRoom(settings(), ctx).open({
      ...input,
      slackUserIds: ['U0PRIYA01', 'U0GONE001', 'U0MORGAN1'],
    });
    const channel = double.channelNamed(name)!;
    expect(result).toMatchObject({ ok: true });
    expect(channel.members).toEqual([slackDoubleBotUserId, 'U0PRIYA01', 'U0MORGAN1']);
    expect(methods().filter((m) => m === 'conversations.invite')).toHaveLength(4);
    expect(double.messages.at(-1)!.text).toBe('Could not invite <@U0GONE001> (user_not_found).');
  });

  it('counts the room as opened when only the topic or the pin fails', async () => {
    double.respondNextTo('conversations.setTopic', {
      status: 200,
      body: { ok: false, error: 'too_long' },
    });
    double.respondNextTo('pins.add', { status: 200, body: { ok: false, error: 'missing_scope' } });
    const result = await createSlackWarRoom(settings(), ctx).open(input);
    const channel = double.channelNamed(name)!;
    expect(result).toEqual({ ok: true, channelId: channel.id, channelName: name });
    expect(channel.members).toContain('U0PRIYA01');
    expect(double.messages.map((m) => m.text)).toEqual([input.summary]);
  });

  it('reports a failure as "slack: <code>" without the token', async () => {
    double.respondNext({
      status: 200,
      body: {
        ok: false,
        error: 'missing_scope',
        needed: 'channels:manage',
        provided: 'chat:write',
      },
    });
    expect(await createSlackWarRoom(settings(), ctx).open(input)).toEqual({
      ok: false,
      reason: 'slack: missing_scope',
      retryable: false,
    });

    const wrongToken = 'xoxb-9999-8888-RevokedBotToken';
    const refused = await createSlackWarRoom(settings({ botToken: wrongToken }), ctx).open(input);
    expect(refused).toEqual({ ok: false, reason: 'slack: invalid_auth', retryable: false });

    // An answer echoing the request (token and all) reaches no reason.
    double.respondNextWith((req) => ({
      status: 200,
      body: { ok: false, error: `bad ${String(req.headers.authorization)}` },
    }));
    const echoed = await createSlackWarRoom(settings(), ctx).open(input);
    expect(echoed).toEqual({ ok: false, reason: 'slack: unknown_error', retryable: false });
    expect(JSON.stringify(echoed)).not.toContain(botToken);

    double.respondNext({ status: 503, body: `upstream failed for ${botToken}` });
    // Slack unwell (5xx, rate limit, timeout): worth another try later.
    expect(await createSlackWarRoom(settings(), ctx).open(input)).toEqual({
      ok: false,
      reason: 'slack: http_503',
      retryable: true,
    });
    double.respondNext({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false } });
    expect(await createSlackWarRoom(settings(), ctx).open(input)).toEqual({
      ok: false,
      reason: 'slack: ratelimited',
      retryable: true,
    });
    expect(double.channels).toHaveLength(0);
  });

  it('reports a timeout', async () => {
    double.respondNext('hang');
    const room = createSlackWarRoom(settings(), { ...ctx, timeoutMs: 200 });
    expect(await room.open(input)).toEqual({
      ok: false,
      reason: 'slack: timeout',
      retryable: true,
    });
  });

  it('escapes the summary so an incident title cannot ping the channel', async () => {
    await createSlackWarRoom(settings(), ctx).open({
      ...input,
      summary: '*#42 <!channel> down & out*',
    });
    expect(double.messages[0]!.text).toBe('*#42 &lt;!channel&gt; down &amp; out*');
  });

  it('is unavailable while Slack is disabled or not set up', async () => {
    const off = createSlackWarRoom(settings({}, false), ctx);
    expect(await off.available()).toBe(false);
    expect(await off.open(input)).toEqual({ ok: false, reason: 'Slack is not configured' });
    const none = createSlackWarRoom({ configOf: () => Promise.resolve(undefined) }, ctx);
    expect(await none.available()).toBe(false);
    expect(await createSlackWarRoom(settings(), ctx).available()).toBe(true);
    expect(double.requests).toHaveLength(0);
  });
});
