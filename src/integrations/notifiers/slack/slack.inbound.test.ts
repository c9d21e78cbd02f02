import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signedEvent,
  signedInteraction,
  signedSlashCommand,
  signedUrlVerification,
  slackMessageEvent,
} from '../../../../test/doubles/slack-double.js';
import {
  escapeSlackText,
  parseSlackEvent,
  parseSlackInteraction,
  parseSlashCommandRequest,
  slackCommandReply,
  slackEphemeral,
  verifySlackSignature,
} from './slack.inbound.js';

const signingSecret = 'c0ffee8f742231b10e8888abcd99fe85';
const now = Date.UTC(2026, 0, 1, 2, 3, 4);

function press(over: Partial<Parameters<typeof signedInteraction>[0]> = {}) {
  return signedInteraction({
    signingSecret,
    slackUserId: 'U0ALICE001',
    action: 'acknowledge',
    incidentId: 'inc_1',
    channelId: 'D000000001',
    messageTs: '1700000000.000100',
    now,
    ...over,
  });
}

function check(
  req: { body: string; headers: Record<string, string> },
  over: { secret?: string; at?: number; body?: string } = {},
) {
  return verifySlackSignature({
    rawBody: Buffer.from(over.body ?? req.body),
    timestamp: req.headers['x-slack-request-timestamp'],
    signature: req.headers['x-slack-signature'],
    signingSecret: over.secret ?? signingSecret,
    now: over.at ?? now,
  });
}

describe('verifySlackSignature', () => {
  it("accepts Slack's documented example request", () => {
    // The worked example from "Verifying requests from Slack".
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(
      verifySlackSignature({
        rawBody: Buffer.from(body),
        timestamp: '1531420618',
        signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
        now: 1531420618_000 + 30_000,
      }),
    ).toEqual({ ok: true });
  });

  it('accepts a button press signed with the signing secret', () => {
    expect(check(press())).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const req = press();
    const tampered = req.body.replace('inc_1', 'inc_2');
    expect(tampered).not.toBe(req.body);
    expect(check(req, { body: tampered })).toMatchObject({ ok: false });
  });

  it('refuses a request signed with another secret', () => {
    expect(check(press(), { secret: 'another-apps-signing-secret' })).toMatchObject({ ok: false });
  });

  it('refuses a request older than five minutes, even correctly signed', () => {
    const req = press();
    expect(check(req, { at: now + 4 * 60_000 })).toEqual({ ok: true });
    expect(check(req, { at: now + 6 * 60_000 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/window/),
    });
  });

  it('refuses a timestamp more than five minutes in the future', () => {
    expect(check(press(), { at: now - 6 * 60_000 })).toMatchObject({ ok: false });
  });

  it('refuses missing or malformed headers without throwing', () => {
    const req = press();
    const base = { rawBody: Buffer.from(req.body), signingSecret, now };
    const ts = req.headers['x-slack-request-timestamp'];
    const sig = req.headers['x-slack-signature'];
    for (const [timestamp, signature] of [
      [undefined, sig],
      [ts, undefined],
      ['soon', sig],
      [ts, 'v0=abc'],
      [ts, sig?.replace('v0=', 'v1=')],
      [ts, sig?.toUpperCase()],
    ])
      expect(verifySlackSignature({ ...base, timestamp, signature })).toMatchObject({ ok: false });
  });

  it('never puts the secret or the expected signature into a reason', () => {
    const req = press();
    const out = check(req, { body: req.body + 'x' });
    if (out.ok) throw new Error('expected a refusal');
    const expected = createHmac('sha256', signingSecret)
      .update(`v0:${req.headers['x-slack-request-timestamp']}:${req.body}x`)
      .digest('hex');
    expect(out.reason).not.toContain(signingSecret);
    expect(out.reason).not.toContain(expected);
  });
});

describe('parseSlackInteraction', () => {
  it('reads a button press: who, which button, which incident, which message', () => {
    const parsed = parseSlackInteraction(Buffer.from(press().body));
    expect(parsed).toEqual({
      ok: true,
      slackUserId: 'U0ALICE001',
      slackTeamId: 'T0TOCSIN',
      action: 'acknowledge',
      incidentId: 'inc_1',
      responseUrl: expect.stringMatching(/^https:\/\/hooks\.slack\.com\/actions\//),
      channelId: 'D000000001',
      messageTs: '1700000000.000100',
    });
  });

  it('maps each Tocsin button to its action', () => {
    for (const action of ['acknowledge', 'resolve', 'escalate'] as const)
      expect(parseSlackInteraction(Buffer.from(press({ action }).body))).toMatchObject({
        ok: true,
        action,
      });
  });

  it('takes the team from the user when an org-wide install sends team: null', () => {
    const payload = payloadOf(press());
    payload.team = null;
    expect(parseSlackInteraction(formOf(payload))).toMatchObject({
      ok: true,
      slackTeamId: 'T0TOCSIN',
    });
  });

  it('refuses buttons that are not Tocsin buttons', () => {
    expect(parseSlackInteraction(Buffer.from(press({ actionId: 'approve_deploy' }).body))).toEqual({
      ok: false,
      reason: 'not a Tocsin button',
    });
  });

  it('refuses other payload types, bad JSON, missing payloads and empty values', () => {
    const viewSubmission = { ...payloadOf(press()), type: 'view_submission' };
    const noValue = payloadOf(press());
    (noValue.actions as Array<Record<string, unknown>>)[0]!.value = '';
    const twoActions = payloadOf(press());
    twoActions.actions = [
      ...(twoActions.actions as unknown[]),
      ...(twoActions.actions as unknown[]),
    ];
    const noUser = payloadOf(press());
    delete noUser.user;
    for (const body of [
      formOf(viewSubmission),
      formOf(noValue),
      formOf(twoActions),
      formOf(noUser),
      Buffer.from('payload=%7Bnot-json'),
      Buffer.from('payload=42'),
      Buffer.from('command=%2Ftocsin&text=ack'),
      Buffer.from(''),
    ])
      expect(parseSlackInteraction(body)).toMatchObject({ ok: false, reason: expect.any(String) });
  });

  it('drops a response_url that is not http(s)', () => {
    const payload = payloadOf(press());
    payload.response_url = 'javascript:alert(1)';
    const parsed = parseSlackInteraction(formOf(payload));
    expect(parsed).toMatchObject({ ok: true });
    expect(parsed).not.toHaveProperty('responseUrl');
  });
});

describe('slackEphemeral', () => {
  it('answers only the person who pressed, leaving the message as it is', () => {
    expect(slackEphemeral('Acknowledged #42')).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Acknowledged #42',
    });
  });

  it('escapes text so it cannot mention a channel', () => {
    expect(slackEphemeral('<!channel> & co').text).toBe('&lt;!channel&gt; &amp; co');
    expect(escapeSlackText('a<b>c&d')).toBe('a&lt;b&gt;c&amp;d');
  });
});

describe('parseSlackEvent', () => {
  const message = (over: Partial<Parameters<typeof slackMessageEvent>[0]> = {}) =>
    slackMessageEvent({
      channel: 'C0WARROOM1',
      user: 'U0ALICE001',
      text: 'rolling back the deploy',
      ts: '1767225784.000200',
      ...over,
    });
  const parse = (event: Record<string, unknown>) =>
    parseSlackEvent(Buffer.from(signedEvent({ signingSecret, event, now }).body));

  it('answers the url_verification handshake with its challenge', () => {
    const req = signedUrlVerification({ signingSecret, challenge: '3eZbrw1aBm2rZgRNFdxV', now });
    expect(check(req)).toEqual({ ok: true });
    expect(parseSlackEvent(Buffer.from(req.body))).toEqual({
      kind: 'challenge',
      challenge: '3eZbrw1aBm2rZgRNFdxV',
    });
  });

  it("reads a person's message in a channel: channel, user, text, ts", () => {
    const req = signedEvent({ signingSecret, event: message(), now, retryNum: 1 });
    expect(check(req)).toEqual({ ok: true });
    expect(req.headers['x-slack-retry-num']).toBe('1');
    expect(parseSlackEvent(Buffer.from(req.body))).toEqual({
      kind: 'message',
      channelId: 'C0WARROOM1',
      slackUserId: 'U0ALICE001',
      text: 'rolling back the deploy',
      ts: '1767225784.000200',
    });
  });

  it('keeps messages with a file, thread replies and /me, which are still people talking', () => {
    for (const subtype of ['file_share', 'thread_broadcast', 'me_message'])
      expect(parse(message({ subtype }))).toMatchObject({ kind: 'message' });
    expect(parse(message({ threadTs: '1767225700.000100' }))).toMatchObject({ kind: 'message' });
  });

  it('ignores bots, edits, deletions, joins and other events, saying why', () => {
    expect(parse(message({ botId: 'B0TOCSIN' }))).toEqual({ kind: 'ignore', why: 'bot message' });
    expect(parse(message({ subtype: 'bot_message', user: undefined, botId: 'B0OTHER' }))).toEqual({
      kind: 'ignore',
      why: 'message subtype bot_message',
    });
    for (const subtype of ['message_changed', 'message_deleted', 'channel_join', 'channel_topic'])
      expect(parse(message({ subtype }))).toEqual({
        kind: 'ignore',
        why: `message subtype ${subtype}`,
      });
    expect(parse({ type: 'app_mention', user: 'U0ALICE001', text: 'hi', ts: '1.2' })).toEqual({
      kind: 'ignore',
      why: 'event type app_mention',
    });
    expect(parse(message({ text: '  ' }))).toEqual({ kind: 'ignore', why: 'empty message' });
  });

  it('ignores malformed ids and ts, bad JSON and other request types without throwing', () => {
    expect(parse(message({ user: undefined }))).toMatchObject({ kind: 'ignore', why: 'no user' });
    expect(parse(message({ channel: 'general' }))).toMatchObject({ why: 'no channel' });
    expect(parse(message({ ts: "1' OR 1=1" }))).toMatchObject({ why: 'no ts' });
    for (const body of [
      '{not json',
      '42',
      '{"type":"url_verification"}',
      '{"type":"app_rate_limited","team_id":"T0","minute_rate_limited":1518467820}',
      '{"type":"event_callback"}',
      '',
    ])
      expect(parseSlackEvent(Buffer.from(body))).toMatchObject({
        kind: 'ignore',
        why: expect.any(String),
      });
  });
});

describe('parseSlashCommandRequest', () => {
  it('reads who ran /tocsin where, with what text', () => {
    const req = signedSlashCommand({
      signingSecret,
      slackUserId: 'U0ALICE001',
      channelId: 'C0WARROOM1',
      text: 'role recovery <@U0BOB0001|bob>',
      now,
    });
    expect(check(req)).toEqual({ ok: true });
    expect(parseSlashCommandRequest(Buffer.from(req.body))).toEqual({
      ok: true,
      command: '/tocsin',
      text: 'role recovery <@U0BOB0001|bob>',
      slackUserId: 'U0ALICE001',
      channelId: 'C0WARROOM1',
      teamId: 'T0TOCSIN',
    });
  });

  it('takes an empty text (plain /tocsin) as it is', () => {
    const req = signedSlashCommand({
      signingSecret,
      slackUserId: 'U0ALICE001',
      channelId: 'D0000000001',
      text: '',
      now,
    });
    expect(parseSlashCommandRequest(Buffer.from(req.body))).toMatchObject({ ok: true, text: '' });
  });

  it("refuses Slack's ssl_check and bodies without a command, user or channel", () => {
    for (const body of [
      'ssl_check=1&token=abc',
      'text=ack&user_id=U0ALICE001&channel_id=C0WARROOM1',
      'command=%2Ftocsin&text=ack&channel_id=C0WARROOM1',
      'command=%2Ftocsin&text=ack&user_id=U0ALICE001',
      'command=%2Ftocsin&text=ack&user_id=alice&channel_id=C0WARROOM1',
      '',
    ])
      expect(parseSlashCommandRequest(Buffer.from(body))).toMatchObject({
        ok: false,
        reason: expect.any(String),
      });
  });

  it('answers ephemerally, escaped', () => {
    expect(slackCommandReply('Declared #3 <!here>')).toEqual({
      response_type: 'ephemeral',
      text: 'Declared #3 &lt;!here&gt;',
    });
  });
});

function payloadOf(req: { body: string }): Record<string, unknown> {
  return JSON.parse(new URLSearchParams(req.body).get('payload')!) as Record<string, unknown>;
}

function formOf(payload: unknown): Buffer {
  return Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}
