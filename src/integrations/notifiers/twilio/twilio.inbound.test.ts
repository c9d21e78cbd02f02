import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signedTwilioRequest,
  twilioCallStatusParams,
  twilioGatherParams,
  twilioMessageStatusParams,
  twilioSmsReplyParams,
} from '../../../../test/doubles/twilio-double.js';
import {
  parseSmsReply,
  parseStatusCallback,
  parseVoiceDigits,
  twimlMessage,
  twimlSay,
  verifyTwilioSignature,
  xmlEscape,
} from './twilio.inbound.js';

/** The documented algorithm, written out again so the test does not trust the code under test. */
const sign = (url: string, params: Record<string, string>, token: string) =>
  createHmac('sha1', token)
    .update(
      url +
        Object.keys(params)
          .sort()
          .map((k) => `${k}${params[k]}`)
          .join(''),
    )
    .digest('base64');

describe('verifyTwilioSignature', () => {
  // Twilio's documented examples (webhook security guide, api-snippets signature_validation).
  const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const docParams = (caller: string) => ({
    CallSid: 'CA1234567890ABCDE',
    Caller: caller,
    Digits: '1234',
    From: caller,
    To: '+18005551212',
  });

  it.each([
    ['+14158675309', 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['+14158675310', 'GvWf1cFY/Q7PnoempGyD5oXAezc='],
  ])("accepts Twilio's documented example (caller %s)", (caller, signature) => {
    const params = docParams(caller);
    expect(sign(docUrl, params, '12345')).toBe(signature);
    expect(verifyTwilioSignature({ url: docUrl, params, signature, authToken: '12345' })).toBe(
      true,
    );
  });

  const token = 'f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8';
  const url = 'https://tocsin.example.com/api/notify/twilio/sms';
  const params = twilioSmsReplyParams({
    from: '+14155550123',
    to: '+15005550006',
    body: 'ack 42',
    accountSid: `AC${'0'.repeat(32)}`,
  });
  const signature = sign(url, params, token);

  it('accepts what the double signs, which matches the algorithm written out here', () => {
    const req = signedTwilioRequest({ url, params, authToken: token });
    expect(req.headers['x-twilio-signature']).toBe(signature);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual(params);
    expect(verifyTwilioSignature({ url, params, signature, authToken: token })).toBe(true);
  });

  it('sorts parameters by name, whatever order they arrived in', () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(verifyTwilioSignature({ url, params: reversed, signature, authToken: token })).toBe(
      true,
    );
  });

  it.each([
    ['another auth token', { authToken: 'a'.repeat(32) }],
    ['a changed body', { params: { ...params, Body: '6 42' } }],
    ['an added parameter', { params: { ...params, Extra: '' } }],
    ['a removed parameter', { params: { ...params, NumMedia: undefined as unknown as string } }],
    ['another path', { url: 'https://tocsin.example.com/api/notify/twilio/voice' }],
    ['another query string', { url: `${url}?incident=inc_2` }],
    ['http instead of https', { url: url.replace('https:', 'http:') }],
    ['no signature', { signature: undefined }],
    ['an empty signature', { signature: '' }],
    ['a truncated signature', { signature: signature.slice(0, 20) }],
    ['a signature that is not base64', { signature: '!!!not base64!!!' }],
    [
      'a SHA-256 signature',
      { signature: createHmac('sha256', token).update(url).digest('base64') },
    ],
    ['an empty auth token', { authToken: '' }],
  ])('rejects %s', (_label, change) => {
    const input = { url, params, signature: signature as string | undefined, authToken: token };
    const changed = { ...input, ...change };
    if ('params' in change)
      changed.params = Object.fromEntries(
        Object.entries(changed.params).filter(([, v]) => v !== undefined),
      );
    expect(verifyTwilioSignature(changed)).toBe(false);
  });

  it("accepts the URL with or without the scheme's default port, as Twilio's libraries do", () => {
    const withPort = 'https://tocsin.example.com:443/api/notify/twilio/sms';
    expect(verifyTwilioSignature({ url: withPort, params, signature, authToken: token })).toBe(
      true,
    );
    const signedWithPort = sign(withPort, params, token);
    expect(
      verifyTwilioSignature({ url, params, signature: signedWithPort, authToken: token }),
    ).toBe(true);
    const otherPort = 'https://tocsin.example.com:8443/api/notify/twilio/sms';
    expect(verifyTwilioSignature({ url: otherPort, params, signature, authToken: token })).toBe(
      false,
    );
  });

  it('verifies Gather results and status callbacks as Twilio signs them', () => {
    const accountSid = `AC${'1'.repeat(32)}`;
    const cases: Array<[string, Record<string, string>]> = [
      [
        'https://tocsin.test/api/notify/twilio/voice?incident=inc_1',
        twilioGatherParams({ digits: '4', from: '+15005550006', to: '+14155550123', accountSid }),
      ],
      [
        'https://tocsin.test/api/notify/twilio/status',
        twilioMessageStatusParams({
          messageSid: `SM${'2'.repeat(32)}`,
          status: 'delivered',
          from: '+15005550006',
          to: '+14155550123',
          accountSid,
        }),
      ],
    ];
    for (const [u, p] of cases) {
      const req = signedTwilioRequest({ url: u, params: p, authToken: token });
      const received = Object.fromEntries(new URLSearchParams(req.body));
      expect(
        verifyTwilioSignature({
          url: u,
          params: received,
          signature: req.headers['x-twilio-signature'],
          authToken: token,
        }),
      ).toBe(true);
    }
  });
});

describe('parseSmsReply', () => {
  it.each([
    ['4', { action: 'acknowledge' }],
    ['ack', { action: 'acknowledge' }],
    ['ACK', { action: 'acknowledge' }],
    ['Acknowledge', { action: 'acknowledge' }],
    ['  ack 123 ', { action: 'acknowledge', incidentNumber: 123 }],
    ['4 123', { action: 'acknowledge', incidentNumber: 123 }],
    ['ACK #123', { action: 'acknowledge', incidentNumber: 123 }],
    ['ack  # 7', { action: 'acknowledge', incidentNumber: 7 }],
    ['6', { action: 'resolve' }],
    ['resolve 123', { action: 'resolve', incidentNumber: 123 }],
    ['Res 123', { action: 'resolve', incidentNumber: 123 }],
    ['res', { action: 'resolve' }],
    ['6 123', { action: 'resolve', incidentNumber: 123 }],
    ['6\n#9', { action: 'resolve', incidentNumber: 9 }],
  ])('%j → %j', (body, expected) => {
    expect(parseSmsReply(body)).toEqual(expected);
  });

  it.each([
    '',
    '  ',
    'ok',
    'thanks',
    '5',
    '44',
    '4123',
    'ack123',
    'ack 0',
    'ack 12a',
    'ack 123 456',
    'ack me',
    'please ack',
    'resolved',
    'STOP',
    'ack 12345678901',
  ])('%j → undefined', (body) => {
    expect(parseSmsReply(body)).toBeUndefined();
  });
});

describe('parseVoiceDigits', () => {
  it.each([
    ['4', 'acknowledge'],
    ['6', 'resolve'],
    [' 4 ', 'acknowledge'],
    ['5', undefined],
    ['44', undefined],
    ['*', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (digits, expected) => {
    expect(parseVoiceDigits(digits)).toBe(expected);
  });
});

describe('parseStatusCallback', () => {
  const common = { from: '+15005550006', to: '+14155550123', accountSid: `AC${'3'.repeat(32)}` };
  const messageSid = `SM${'4'.repeat(32)}`;
  const callSid = `CA${'5'.repeat(32)}`;

  it.each([
    ['queued', 'other'],
    ['sending', 'other'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
  ] as const)('message %s → %s', (status, expected) => {
    expect(
      parseStatusCallback(twilioMessageStatusParams({ ...common, messageSid, status })),
    ).toEqual({ sid: messageSid, status: expected });
  });

  it('keeps the ErrorCode of a failed message', () => {
    expect(
      parseStatusCallback(
        twilioMessageStatusParams({
          ...common,
          messageSid,
          status: 'undelivered',
          errorCode: '30003',
        }),
      ),
    ).toEqual({ sid: messageSid, status: 'failed', errorCode: '30003' });
  });

  it.each([
    ['queued', 'other'],
    ['initiated', 'other'],
    ['ringing', 'other'],
    ['in-progress', 'other'],
    ['completed', 'delivered'],
    ['busy', 'failed'],
    ['no-answer', 'failed'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
  ] as const)('call %s → %s', (status, expected) => {
    expect(parseStatusCallback(twilioCallStatusParams({ ...common, callSid, status }))).toEqual({
      sid: callSid,
      status: expected,
    });
  });

  it('is undefined when the callback names neither a message nor a call', () => {
    expect(parseStatusCallback({})).toBeUndefined();
    expect(parseStatusCallback({ MessageStatus: 'delivered' })).toBeUndefined();
    expect(parseStatusCallback({ CallSid: callSid })).toBeUndefined();
  });
});

describe('TwiML answers', () => {
  it('answers an SMS with one escaped message', () => {
    expect(twimlMessage('Acknowledged #42 <Checkout> & "API"')).toBe(
      '<Response><Message>Acknowledged #42 &lt;Checkout&gt; &amp; &quot;API&quot;</Message></Response>',
    );
  });

  it('says one escaped sentence on a call', () => {
    expect(twimlSay("Incident 42 resolved. R&D's fault. Goodbye.")).toBe(
      '<Response><Say>Incident 42 resolved. R&amp;D&apos;s fault. Goodbye.</Say></Response>',
    );
  });

  it('drops control characters XML cannot carry', () => {
    expect(xmlEscape('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
  });
});
