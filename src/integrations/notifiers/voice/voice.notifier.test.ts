import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwilioDouble } from '../../../../test/doubles/twilio-double.js';
import {
  describeTwilioConformance,
  twilioTestConfig,
  twilioTestFrom as from,
} from '../../../../test/notifiers/twilio-rig.js';
import type { NotificationContent, NotifierContext, OutboundMessage } from '../notifier.js';
import type { TwilioConfig } from '../twilio/twilio.client.js';
import { voiceNotifier, voiceSummary, voiceTwiml } from './voice.notifier.js';

const to = '+14155550123';

describeTwilioConformance(voiceNotifier, to, (twilio) => twilio.calls.length);

const page = (title = 'Checkout API error rate above 5%', id = 'inc_1'): NotificationContent => ({
  kind: 'page',
  text: `#42 HIGH Checkout: ${title}`,
  incident: {
    id,
    number: 42,
    title,
    status: 'triggered',
    urgency: 'high',
    serviceName: 'Checkout',
    url: `http://tocsin.test/incidents/${id}`,
    createdAt: Date.UTC(2026, 0, 1, 2, 0),
  },
});

const message = (content: NotificationContent = page()): OutboundMessage => ({
  id: 'msg_1',
  to,
  content,
});

describe('voiceTwiml', () => {
  it('reads the page inside a one-key <Gather> that posts to the voice route', () => {
    expect(voiceTwiml(message(), 'https://tocsin.example.com')).toBe(
      '<Response>' +
        '<Gather numDigits="1" timeout="10" action="https://tocsin.example.com/api/notify/twilio/voice?incident=inc_1" method="POST">' +
        '<Say>This is Tocsin. High urgency incident 42 on Checkout: Checkout API error rate above 5%; press 4 to acknowledge, 6 to resolve.</Say>' +
        '</Gather>' +
        '<Say>No input received. Goodbye.</Say>' +
        '</Response>',
    );
  });

  it('escapes XML in the title and in the action URL', () => {
    const twiml = voiceTwiml(
      message(page(`<Say>"rm" & 'co' </Say></Response>`, 'inc&x=1')),
      'https://tocsin.test/',
    );
    expect(twiml).toContain(
      '&lt;Say&gt;&quot;rm&quot; &amp; &apos;co&apos; &lt;/Say&gt;&lt;/Response&gt;; press 4',
    );
    expect(twiml).toContain(
      'action="https://tocsin.test/api/notify/twilio/voice?incident=inc%26x%3D1"',
    );
    // Exactly the elements Tocsin wrote: the title added none.
    expect(twiml.match(/<[A-Za-z/][^>]*>/g)).toEqual([
      '<Response>',
      expect.stringMatching(/^<Gather /),
      '<Say>',
      '</Say>',
      '</Gather>',
      '<Say>',
      '</Say>',
      '</Response>',
    ]);
  });

  it('keeps the incident id URL-safe and XML-safe in the action', () => {
    const twiml = voiceTwiml(message(page('t', 'a b&c')), 'https://tocsin.test');
    expect(twiml).toContain('?incident=a%20b%26c"');
  });

  it('without a public URL reads the page twice and asks for no key', () => {
    const twiml = voiceTwiml(message(), undefined);
    expect(twiml).not.toContain('<Gather');
    const says = twiml.match(/<Say>[^<]*<\/Say>/g);
    expect(says).toHaveLength(2);
    expect(says![0]).toBe(says![1]);
    expect(says![0]).toContain('incident 42 on Checkout');
  });

  it('reads a verification code digit by digit, twice', () => {
    const twiml = voiceTwiml(
      message({ kind: 'verify', text: 'Your Tocsin verification code is 482913' }),
      'https://tocsin.test',
    );
    expect(twiml).toBe(
      '<Response>' +
        '<Say>Your Tocsin verification code is 4 8 2 9 1 3.</Say>'.repeat(2) +
        '</Response>',
    );
  });

  it('asks for no key in a digest (a single key cannot say which incident)', () => {
    const twiml = voiceTwiml(
      message({
        kind: 'digest',
        text: 'Tocsin: 3 incidents need you: #41, #42, #43',
        digest: { count: 3, incidents: [] },
        incident: page().incident!,
      }),
      'https://tocsin.test',
    );
    expect(twiml).not.toContain('<Gather');
    expect(twiml).toContain('3 incidents need you: #41, #42, #43. Open Tocsin to respond.');
  });

  it('stays within the 4,000 characters Twilio allows for Twiml with a huge title', () => {
    expect(
      voiceTwiml(message(page('&'.repeat(10_000))), 'https://tocsin.test').length,
    ).toBeLessThan(4000);
  });

  it('says the new status in an update', () => {
    const content = page('Checkout down');
    content.kind = 'update';
    content.incident!.status = 'resolved';
    expect(voiceSummary(content)).toBe(
      'This is Tocsin. Incident 42 is now resolved: Checkout down',
    );
  });
});

describe('voiceNotifier.send against the Twilio double', () => {
  let twilio: TwilioDouble;
  let ctx: NotifierContext<TwilioConfig>;
  beforeEach(async () => {
    twilio = await new TwilioDouble().start();
    ctx = {
      config: twilioTestConfig(twilio),
      fetch,
      timeoutMs: 1000,
      publicUrl: 'https://tocsin.test',
    };
  });
  afterEach(() => twilio.stop());

  it('creates a Call with the TwiML inline and a status callback, keeping the call SID', async () => {
    const out = await voiceNotifier.send(message(), ctx);
    expect(twilio.calls).toHaveLength(1);
    const call = twilio.calls[0]!;
    expect(out).toEqual({ ok: true, providerRef: call.sid });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.params).toEqual({
      To: to,
      From: from,
      Twiml: voiceTwiml(message(), 'https://tocsin.test'),
      StatusCallback: 'https://tocsin.test/api/notify/twilio/status',
    });
    expect(twilio.http.requests[0]!.path).toBe(
      `/2010-04-01/Accounts/${twilio.accountSid}/Calls.json`,
    );
  });

  it('without a public URL asks for no status callback and no key press', async () => {
    await voiceNotifier.send(message(), { ...ctx, publicUrl: undefined });
    const call = twilio.calls[0]!;
    expect(call.statusCallback).toBeUndefined();
    expect(call.twiml).not.toContain('<Gather');
  });

  it("reports Twilio's error for a rejected number as permanent", async () => {
    twilio.failNext('client-error');
    expect(await voiceNotifier.send(message(), ctx)).toEqual({
      ok: false,
      retryable: false,
      status: 400,
      reason: `twilio 400 21211: The 'To' number ${to} is not a valid phone number.`,
    });
  });
});
