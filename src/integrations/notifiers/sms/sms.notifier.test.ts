import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwilioDouble } from '../../../../test/doubles/twilio-double.js';
import {
  describeTwilioConformance,
  twilioTestConfig,
  twilioTestFrom as from,
} from '../../../../test/notifiers/twilio-rig.js';
import { sampleIncident } from '../../../../test/notifiers/sample.js';
import type { NotificationContent, NotifierContext, OutboundMessage } from '../notifier.js';
import { twilioConfigSchema, type TwilioConfig } from '../twilio/twilio.client.js';
import { smsMaxLength, smsNotifier, smsText } from './sms.notifier.js';

const to = '+14155550123';

describeTwilioConformance(smsNotifier, to, (twilio) => twilio.messages.length);

const page = (title = 'Checkout API error rate above 5%'): NotificationContent => ({
  kind: 'page',
  text: `#42 HIGH Checkout: ${title}`,
  incident: sampleIncident(title),
});

const message = (content: NotificationContent = page()): OutboundMessage => ({
  id: 'msg_1',
  to,
  content,
});

describe('smsText', () => {
  it('names the incident and the reply codes in one segment', () => {
    expect(smsText(page())).toBe(
      'Tocsin #42 HIGH Checkout API error rate above 5% - reply 4 to ack, 6 to resolve',
    );
  });

  it('says low urgency in lower case', () => {
    const content = page();
    content.incident!.urgency = 'low';
    expect(smsText(content)).toMatch(/^Tocsin #42 low /);
  });

  it('shortens a long title so the page fits 160 characters, reply codes intact', () => {
    const text = smsText(page(`Database replica lag ${'very '.repeat(60)}high`));
    expect(text.length).toBe(smsMaxLength);
    expect(text).toMatch(/^Tocsin #42 HIGH Database replica lag very/);
    expect(text).toMatch(/\.\.\. - reply 4 to ack, 6 to resolve$/);
  });

  it("keeps Tocsin's own parts in GSM-7 so a plain title stays one 160-character segment", () => {
    // One em dash or ellipsis would make the message UCS-2 (70 characters a segment).
    expect(smsText(page(`x${'y'.repeat(300)}`))).toMatch(/^[\x20-\x7e]+$/);
  });

  it('never cuts an emoji in half', () => {
    const text = smsText(page('🔥'.repeat(200)));
    expect(Array.from(text).length).toBe(smsMaxLength);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('sends verification codes and test messages as written', () => {
    const verify = { kind: 'verify', text: 'Your Tocsin verification code is 482913' } as const;
    expect(smsText(verify)).toBe('Your Tocsin verification code is 482913');
    expect(smsText({ kind: 'test', text: 'Tocsin test message from Ada: sms works.' })).toBe(
      'Tocsin test message from Ada: sms works.',
    );
  });

  it('tells the person to name the incident in a digest', () => {
    const text = smsText({
      kind: 'digest',
      text: 'Tocsin: 3 incidents need you: #41, #42, #43',
      digest: { count: 3, incidents: [] },
    });
    expect(text).toBe(
      'Tocsin: 3 incidents need you: #41, #42, #43 - reply "ack <number>" to ack one',
    );
    expect(text.length).toBeLessThanOrEqual(smsMaxLength);
  });

  it('says the new status in an update', () => {
    const content: NotificationContent = {
      kind: 'update',
      text: '',
      incident: { ...sampleIncident('Checkout down'), status: 'acknowledged' },
    };
    expect(smsText(content)).toBe('Tocsin #42 acknowledged: Checkout down');
  });
});

describe('smsNotifier.send against the Twilio double', () => {
  let twilio: TwilioDouble;
  let ctx: NotifierContext<TwilioConfig>;
  beforeEach(async () => {
    twilio = await new TwilioDouble().start();
    ctx = {
      config: twilioTestConfig(twilio),
      fetch,
      timeoutMs: 1000,
      publicUrl: 'https://tocsin.test/',
    };
  });
  afterEach(() => twilio.stop());

  it("creates a Message with Basic auth and form fields, and keeps Twilio's SID", async () => {
    const out = await smsNotifier.send(message(), ctx);
    expect(twilio.messages).toHaveLength(1);
    const sent = twilio.messages[0]!;
    expect(out).toEqual({ ok: true, providerRef: sent.sid });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.params).toEqual({
      To: to,
      From: from,
      Body: smsText(page()),
      StatusCallback: 'https://tocsin.test/api/notify/twilio/status',
    });
    const req = twilio.http.requests[0]!;
    expect(req.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
    );
  });

  it('asks for no status callback without a public URL', async () => {
    await smsNotifier.send(message(), { ...ctx, publicUrl: undefined });
    expect(twilio.messages[0]!.params).not.toHaveProperty('StatusCallback');
  });

  it("tolerates a trailing slash on apiUrl (Twilio's base as users paste it)", async () => {
    const out = await smsNotifier.send(message(), {
      ...ctx,
      config: { ...ctx.config, apiUrl: `${twilio.url}/` },
    });
    expect(out.ok).toBe(true);
  });

  it("reports Twilio's error code and message for a rejected number, nothing else", async () => {
    twilio.failNext('client-error');
    const out = await smsNotifier.send(message(), ctx);
    expect(out).toEqual({
      ok: false,
      retryable: false,
      status: 400,
      reason: `twilio 400 21211: The 'To' number ${to} is not a valid phone number.`,
    });
  });

  it('reports wrong credentials as a permanent 20003 without echoing them', async () => {
    const wrong = { ...ctx.config, authToken: 'not-the-token-0123456789' };
    const out = await smsNotifier.send(message(), { ...ctx, config: wrong });
    expect(out).toEqual({
      ok: false,
      retryable: false,
      status: 401,
      reason: 'twilio 401 20003: Authenticate',
    });
  });

  it('scrubs credentials a vendor message repeats', async () => {
    const basic = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
    twilio.http.respondNext({
      status: 400,
      body: {
        code: 21999,
        message: `bad request from ${twilio.accountSid} with ${twilio.authToken} (Basic ${basic})`,
        status: 400,
      },
    });
    const out = await smsNotifier.send(message(), ctx);
    expect(out.ok).toBe(false);
    const reason = out.ok ? '' : out.reason;
    expect(reason).toMatch(/^twilio 400 21999: bad request from \[redacted\]/);
    for (const s of [twilio.accountSid, twilio.authToken, basic]) expect(reason).not.toContain(s);
  });

  it('treats a 503 with an HTML body as retryable', async () => {
    twilio.http.respondNext({
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Service Unavailable</body></html>',
    });
    const out = await smsNotifier.send(message(), ctx);
    expect(out).toEqual({
      ok: false,
      retryable: true,
      status: 503,
      reason: 'twilio 503: no detail',
    });
  });

  it('reports an unreachable API as retryable', async () => {
    const url = twilio.url;
    await twilio.stop();
    const out = await smsNotifier.send(message(), {
      ...ctx,
      config: { ...ctx.config, apiUrl: url },
    });
    expect(out).toMatchObject({ ok: false, retryable: true });
  });

  it('goes through the fetch it is given (the SSRF guard)', async () => {
    const seen: string[] = [];
    const guarded: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await smsNotifier.send(message(), { ...ctx, fetch: guarded });
    expect(seen).toEqual([`${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`]);
  });
});

describe('twilioConfigSchema', () => {
  const valid = {
    accountSid: `AC${'a'.repeat(32)}`,
    authToken: 'token-0123456789',
    fromNumber: '+14155550100',
  };

  it("defaults apiUrl to Twilio's API", () => {
    expect(twilioConfigSchema.parse(valid).apiUrl).toBe('https://api.twilio.com');
  });

  it.each([
    ['accountSid', 'SK0123'],
    ['fromNumber', '4155550100'],
    ['fromNumber', '+0155550100'],
    ['authToken', ''],
    ['apiUrl', 'not a url'],
  ])('rejects %s = %j', (field, value) => {
    const parsed = twilioConfigSchema.safeParse({ ...valid, [field]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([field]);
  });
});
