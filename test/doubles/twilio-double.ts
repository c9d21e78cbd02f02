import { createHmac, randomBytes } from 'node:crypto';
import { HttpDouble, type RecordedRequest, type ScriptedResponse } from './http-double.js';

/*
 * A test double of Twilio's REST API (2010-04-01), speaking its documented wire format: the
 * Messages and Calls resources take form-encoded POSTs with Basic auth (Account SID : auth
 * token), answer 201 with the resource as JSON, and fail with Twilio's error JSON
 * { code, message, more_info, status }. Plus helpers that build what Twilio POSTs to Tocsin
 * (SMS replies, <Gather> results, status callbacks), signed with X-Twilio-Signature the way
 * Twilio signs them, computed here independently of the code under test.
 */

/** A message or call the double accepted. */
export interface TwilioRecord {
  /** `SM…` for a message, `CA…` for a call (34 characters, as Twilio's). */
  sid: string;
  to: string;
  from: string;
  /** Message text (Messages). */
  body?: string;
  /** The TwiML the call runs (Calls, `Twiml` parameter). */
  twiml?: string;
  /** Where Twilio would report delivery (`StatusCallback`). */
  statusCallback?: string;
  /** Every form parameter as received. */
  params: Record<string, string>;
}

/** The failure modes the notifier conformance suite asks for. */
export type TwilioFailure = 'rate-limited' | 'server-error' | 'client-error' | 'hang';

/** A Twilio-style SID: two letters and 32 hex digits. */
export function twilioSid(prefix: 'AC' | 'SM' | 'CA'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Twilio's error body for a status and code. */
function twilioError(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** RFC 2822 dates, as Twilio's JSON spells them ("Tue, 27 Nov 2018 16:14:39 +0000"). */
function rfc2822(at: number): string {
  return new Date(at).toUTCString().replace('GMT', '+0000');
}

/**
 * A double of Twilio's REST API on a local port. Accepted messages land in `messages`, calls in
 * `calls`; `failNext` makes the next request fail the way Twilio fails.
 */
export class TwilioDouble {
  readonly http: HttpDouble;
  readonly messages: TwilioRecord[] = [];
  readonly calls: TwilioRecord[] = [];
  private readonly failures: Array<(req: RecordedRequest) => ScriptedResponse> = [];

  constructor(
    readonly accountSid: string = twilioSid('AC'),
    readonly authToken: string = randomBytes(16).toString('hex'),
  ) {
    this.http = new HttpDouble((req) => this.answer(req));
  }

  /** The API base URL to configure as `apiUrl`. */
  get url(): string {
    return this.http.url;
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.http.stop();
  }

  /** Messages and calls accepted so far. */
  accepted(): number {
    return this.messages.length + this.calls.length;
  }

  /**
   * Fails the next request: `rate-limited` is Twilio's 429 (code 20429) with Retry-After;
   * `server-error` a 500 (code 20500); `client-error` a 400 for an invalid To number (code
   * 21211) whose body also echoes the request, credentials included, so a notifier that copies
   * vendor bodies into its reasons leaks the token and fails the conformance suite's secret
   * case; `hang` never answers.
   */
  failNext(kind: TwilioFailure, retryAfterSeconds = 1): void {
    this.failures.push((req) => {
      switch (kind) {
        case 'rate-limited':
          return {
            status: 429,
            headers: { 'retry-after': String(retryAfterSeconds) },
            body: twilioError(429, 20429, 'Too Many Requests'),
          };
        case 'server-error':
          return { status: 500, body: twilioError(500, 20500, 'Internal Server Error') };
        case 'client-error': {
          const to = new URLSearchParams(req.body).get('To') ?? '';
          return {
            status: 400,
            body: {
              ...twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
              echo: {
                headers: req.headers,
                body: req.body,
                credentials: Buffer.from(
                  (req.headers.authorization ?? '').replace(/^Basic /, ''),
                  'base64',
                ).toString('utf8'),
              },
            },
          };
        }
        case 'hang':
          return 'hang';
      }
    });
  }

  private answer(req: RecordedRequest): ScriptedResponse {
    const failure = this.failures.shift();
    if (failure) return failure(req);
    const path = req.path.split('?')[0] ?? '';
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(path);
    if (req.method !== 'POST' || !m) {
      return {
        status: 404,
        body: twilioError(404, 20404, `The requested resource ${path} was not found`),
      };
    }
    const [, pathSid, resource] = m as unknown as [string, string, 'Messages' | 'Calls'];
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [user, password] = Buffer.from(auth?.[1] ?? '', 'base64')
      .toString('utf8')
      .split(/:(.*)/s);
    if (user !== this.accountSid || password !== this.authToken || pathSid !== this.accountSid) {
      return { status: 401, body: twilioError(401, 20003, 'Authenticate') };
    }
    if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      return { status: 400, body: twilioError(400, 21601, 'Invalid content type') };
    }
    const params = Object.fromEntries(new URLSearchParams(req.body));
    const { To: to, From: from } = params;
    if (!to)
      return { status: 400, body: twilioError(400, 21604, "A 'To' phone number is required.") };
    if (!from)
      return { status: 400, body: twilioError(400, 21603, "A 'From' phone number is required.") };
    const now = rfc2822(Date.now());
    if (resource === 'Messages') {
      if (!params.Body)
        return { status: 400, body: twilioError(400, 21602, 'Message body is required.') };
      const sid = twilioSid('SM');
      this.messages.push({
        sid,
        to,
        from,
        body: params.Body,
        ...(params.StatusCallback ? { statusCallback: params.StatusCallback } : {}),
        params,
      });
      const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`;
      return {
        status: 201,
        body: {
          account_sid: this.accountSid,
          api_version: '2010-04-01',
          body: params.Body,
          date_created: now,
          date_sent: null,
          date_updated: now,
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          from,
          messaging_service_sid: null,
          num_media: '0',
          num_segments: '1',
          price: null,
          price_unit: 'USD',
          sid,
          status: 'queued',
          subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
          to,
          uri,
        },
      };
    }
    if (!params.Twiml && !params.Url && !params.ApplicationSid) {
      return {
        status: 400,
        body: twilioError(400, 21205, 'Either Url, Twiml or ApplicationSid is required.'),
      };
    }
    const sid = twilioSid('CA');
    this.calls.push({
      sid,
      to,
      from,
      ...(params.Twiml ? { twiml: params.Twiml } : {}),
      ...(params.StatusCallback ? { statusCallback: params.StatusCallback } : {}),
      params,
    });
    return {
      status: 201,
      body: {
        account_sid: this.accountSid,
        api_version: '2010-04-01',
        answered_by: null,
        caller_name: null,
        date_created: now,
        date_updated: now,
        direction: 'outbound-api',
        duration: null,
        end_time: null,
        forwarded_from: null,
        from,
        from_formatted: from,
        parent_call_sid: null,
        phone_number_sid: null,
        price: null,
        price_unit: 'USD',
        sid,
        start_time: null,
        status: 'queued',
        to,
        to_formatted: to,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Calls/${sid}.json`,
      },
    };
  }
}

/** What Twilio POSTs to a webhook: a form-encoded body and its headers. */
export interface SignedTwilioRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * A webhook request as Twilio sends it: the parameters form-encoded, signed with
 * X-Twilio-Signature = base64(HMAC-SHA1(authToken, url + each parameter sorted by name as
 * name + value)). `url` must be the exact URL the request goes to, query string included.
 */
export function signedTwilioRequest(input: {
  url: string;
  params: Record<string, string>;
  authToken: string;
}): SignedTwilioRequest {
  const { url, params, authToken } = input;
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return {
    body: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', authToken).update(data).digest('base64'),
      'user-agent': 'TwilioProxy/1.1',
    },
  };
}

/**
 * The parameters of an inbound SMS (the reply to a page) as Twilio posts them to the
 * number's messaging webhook: `From` is the person, `To` the Twilio number.
 */
export function twilioSmsReplyParams(input: {
  from: string;
  to: string;
  body: string;
  accountSid: string;
  messageSid?: string;
}): Record<string, string> {
  const sid = input.messageSid ?? twilioSid('SM');
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: input.body,
    FromCountry: 'US',
    To: input.to,
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: input.accountSid,
    From: input.from,
    ApiVersion: '2010-04-01',
  };
}

/**
 * The parameters a <Gather> posts to its action URL after a key press on an outbound call:
 * `From` is the Twilio number, `To` the person called.
 */
export function twilioGatherParams(input: {
  digits: string;
  from: string;
  to: string;
  accountSid: string;
  callSid?: string;
}): Record<string, string> {
  return {
    AccountSid: input.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: input.callSid ?? twilioSid('CA'),
    CallStatus: 'in-progress',
    Called: input.to,
    Caller: input.from,
    Digits: input.digits,
    Direction: 'outbound-api',
    FinishedOnKey: '',
    From: input.from,
    To: input.to,
    msg: 'Gather End',
  };
}

/** The parameters of a message status callback (MessageStatus, with ErrorCode on failure). */
export function twilioMessageStatusParams(input: {
  messageSid: string;
  status: string;
  from: string;
  to: string;
  accountSid: string;
  errorCode?: string;
}): Record<string, string> {
  return {
    AccountSid: input.accountSid,
    ApiVersion: '2010-04-01',
    ...(input.errorCode ? { ErrorCode: input.errorCode } : {}),
    From: input.from,
    MessageSid: input.messageSid,
    MessageStatus: input.status,
    SmsSid: input.messageSid,
    SmsStatus: input.status,
    To: input.to,
  };
}

/** The parameters of a call status callback (CallStatus; `completed` by default events). */
export function twilioCallStatusParams(input: {
  callSid: string;
  status: string;
  from: string;
  to: string;
  accountSid: string;
}): Record<string, string> {
  return {
    AccountSid: input.accountSid,
    ApiVersion: '2010-04-01',
    CallDuration: input.status === 'completed' ? '23' : '0',
    CallSid: input.callSid,
    CallStatus: input.status,
    CallbackSource: 'call-progress-events',
    Called: input.to,
    Caller: input.from,
    Direction: 'outbound-api',
    From: input.from,
    SequenceNumber: '0',
    Timestamp: rfc2822(Date.now()),
    To: input.to,
  };
}
