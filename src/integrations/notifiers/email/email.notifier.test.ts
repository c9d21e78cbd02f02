import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpDouble } from '../../../../test/doubles/http-double.js';
import { SmtpSink } from '../../../../test/doubles/smtp-sink.js';
import { describeNotifierConformance } from '../../../../test/notifiers/conformance.js';
import type { NotifierContext, OutboundMessage } from '../notifier.js';
import {
  emailConfigSchema,
  emailNotifier,
  outcomeOfSmtpError,
  type EmailConfig,
} from './email.notifier.js';
import { sampleIncident } from '../../../../test/notifiers/sample.js';

const username = 'tocsin-mailer';
const password = 'pw-Zq8!x7Lm2';

describeNotifierConformance<EmailConfig>({
  notifier: emailNotifier,
  skip: { 'rate-limited': 'SMTP has no Retry-After; 421/451 are covered as server-error' },
  async start() {
    const sink = await new SmtpSink({ auth: { username, password } }).start();
    return {
      config: emailConfigSchema.parse({
        host: sink.host,
        port: sink.port,
        username,
        password,
        from: 'Tocsin <pager@tocsin.test>',
        ignoreTls: true,
      }),
      to: 'oncall@example.com',
      secrets: [password, username],
      failNext(kind) {
        if (kind === 'server-error') sink.failNext(451, '4.3.0 Local problem, try again later');
        // A server that quotes the session back, credentials included.
        if (kind === 'client-error') {
          sink.failNext(550, `5.1.1 No mailbox here for ${username}/${password}`, 'rcpt');
        }
        if (kind === 'hang') sink.hangNext();
      },
      accepted: () => sink.mails.length,
      stop: () => sink.stop(),
    };
  },
});

const message: OutboundMessage = {
  id: 'msg_0198a3c2',
  to: 'ada@example.com',
  content: {
    kind: 'page',
    text: '#42 HIGH Checkout: Checkout API error rate above 5%',
    incident: sampleIncident('Checkout <API> error rate above 5%'),
    links: {
      acknowledge: 'http://tocsin.test/api/notify/links/ack-token',
      resolve: 'http://tocsin.test/api/notify/links/resolve-token',
    },
  },
};

describe('email notifier over SMTP', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function sink(options: ConstructorParameters<typeof SmtpSink>[0] = {}) {
    const s = await new SmtpSink(options).start();
    cleanup.push(() => s.stop());
    return s;
  }

  function ctx(s: SmtpSink, extra: Partial<EmailConfig> = {}): NotifierContext<EmailConfig> {
    return {
      config: emailConfigSchema.parse({
        host: s.host,
        port: s.port,
        from: 'Tocsin <pager@tocsin.test>',
        ignoreTls: true,
        ...extra,
      }),
      fetch,
      timeoutMs: 1000,
      publicUrl: 'http://tocsin.test',
    };
  }

  it('sends HTML and text whose Acknowledge and Resolve links reach Tocsin', async () => {
    const tocsin = await new HttpDouble(() => ({ status: 200, body: 'ok' })).start();
    cleanup.push(() => tocsin.stop());
    const s = await sink();
    const links = {
      acknowledge: `${tocsin.url}/api/notify/links/ack-${'a'.repeat(32)}`,
      resolve: `${tocsin.url}/api/notify/links/res-${'b'.repeat(32)}`,
    };
    const out = await emailNotifier.send(
      { ...message, content: { ...message.content, links } },
      ctx(s),
    );
    expect(out).toMatchObject({ ok: true, providerRef: expect.stringMatching(/^<.+@.+>$/) });
    const [mail] = await s.waitFor(1);
    expect(mail!.to).toEqual(['ada@example.com']);
    expect(mail!.from).toBe('"Tocsin" <pager@tocsin.test>');
    expect(mail!.subject).toBe('[Tocsin #42] HIGH Checkout <API> error rate above 5%');
    expect(mail!.headers.get('x-tocsin-message-id')).toBe('msg_0198a3c2');
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    // mailparser folds Importance / X-Priority into one `priority` header.
    expect(mail!.headers.get('priority')).toBe('high');
    expect(mail!.headers.get('message-id')).toBe(out.ok ? out.providerRef : '');
    expect(mail!.text).toContain(`Acknowledge #42: ${links.acknowledge}`);
    expect(mail!.html).toContain('Checkout &lt;API&gt; error rate above 5%');
    // Long links cross the wire quoted-printable and soft-wrapped; what the client decodes must
    // still be the link Tocsin minted.
    const hrefs = [...mail!.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs).toEqual([links.acknowledge, links.resolve, 'http://tocsin.test/incidents/inc_1']);
    for (const href of hrefs.slice(0, 2)) expect((await fetch(href)).status).toBe(200);
    expect(tocsin.requests.map((r) => r.path)).toEqual([
      `/api/notify/links/ack-${'a'.repeat(32)}`,
      `/api/notify/links/res-${'b'.repeat(32)}`,
    ]);
  });

  it('logs in when credentials are configured', async () => {
    const s = await sink({ auth: { username, password } });
    const out = await emailNotifier.send(message, ctx(s, { username, password }));
    expect(out.ok).toBe(true);
    expect((await s.waitFor(1))[0]!.user).toBe(username);
  });

  it('reports bad credentials as permanent, without the credentials', async () => {
    const s = await sink({ auth: { username, password } });
    const out = await emailNotifier.send(
      message,
      ctx(s, { username, password: 'wrong-password-123' }),
    );
    expect(out).toMatchObject({ ok: false, retryable: false, status: 535 });
    if (!out.ok) expect(out.reason).toBe('smtp 535: 5.7.8 Authentication credentials invalid');
  });

  it.each([
    [421, 'rcpt', true],
    [450, 'rcpt', true],
    [452, 'data', true],
    [451, 'data', true],
    [550, 'rcpt', false],
    [552, 'data', false],
    [554, 'data', false],
  ] as const)('maps reply %i at %s to retryable=%s', async (code, at, retryable) => {
    const s = await sink();
    s.failNext(code, `scripted ${code}`, at);
    const out = await emailNotifier.send(message, ctx(s));
    expect(out).toMatchObject({ ok: false, retryable, status: code });
    if (!out.ok) expect(out.reason).toMatch(new RegExp(`^smtp ${code}: .*scripted ${code}$`));
    expect(s.mails).toHaveLength(0);
  });

  it('reports a refused connection and a silent server as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await emailNotifier.send(message, {
      ...ctx({ host: '127.0.0.1', port } as SmtpSink),
    });
    expect(refused).toMatchObject({ ok: false, retryable: true });
    if (!refused.ok) expect(refused.reason).toMatch(/^smtp: .*ECONNREFUSED/);

    // Accepts TCP, never sends the greeting.
    const sockets: Socket[] = [];
    const mute = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    cleanup.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => mute.close(() => r()));
    });
    const started = Date.now();
    const silent = await emailNotifier.send(message, {
      ...ctx({ host: '127.0.0.1', port: (mute.address() as AddressInfo).port } as SmtpSink),
      timeoutMs: 300,
    });
    expect(silent).toEqual({ ok: false, retryable: true, reason: 'smtp: timed out' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('insists on STARTTLS before sending credentials, unless told to ignore TLS', async () => {
    const s = await sink({ auth: { username, password } });
    const out = await emailNotifier.send(message, ctx(s, { username, password, ignoreTls: false }));
    // The sink offers no STARTTLS, so nodemailer's STARTTLS gets 500 before any AUTH is sent.
    expect(out).toMatchObject({ ok: false, retryable: false, status: 500 });
    if (!out.ok) expect(out.reason).toMatch(/^smtp 500: .* \(STARTTLS refused\)$/);
    expect(s.mails).toHaveLength(0);
  });

  it('refuses an address that is a list or has a display name, without connecting', async () => {
    const s = await sink();
    for (const to of ['ada@example.com, eve@example.com', 'Ada <ada@example.com>', 'ada']) {
      const out = await emailNotifier.send({ ...message, to }, ctx(s));
      expect(out).toEqual({
        ok: false,
        retryable: false,
        reason: 'smtp: the address is not one email address',
      });
    }
    expect(s.mails).toHaveLength(0);
  });

  it('keeps a hostile title out of the headers', async () => {
    const s = await sink();
    const incident = { ...message.content.incident!, title: 'Disk full\r\nBcc: eve@example.com' };
    const out = await emailNotifier.send(
      { ...message, content: { ...message.content, incident } },
      ctx(s),
    );
    expect(out.ok).toBe(true);
    const [mail] = await s.waitFor(1);
    expect(mail!.headers.has('bcc')).toBe(false);
    expect(mail!.to).toEqual(['ada@example.com']);
    expect(mail!.subject).toBe('[Tocsin #42] HIGH Disk full Bcc: eve@example.com');
  });

  it('renders the other kinds', async () => {
    const s = await sink();
    const kinds: OutboundMessage[] = [
      { id: 'm1', to: 'ada@example.com', content: { kind: 'verify', text: 'Code: 482913' } },
      { id: 'm2', to: 'ada@example.com', content: { kind: 'test', text: 'Test from Ada' } },
      {
        id: 'm3',
        to: 'ada@example.com',
        content: {
          ...message.content,
          kind: 'update',
          text: '#42 acknowledged by Ada',
          incident: { ...message.content.incident!, status: 'acknowledged' },
        },
      },
    ];
    for (const m of kinds) expect((await emailNotifier.send(m, ctx(s))).ok).toBe(true);
    const mails = await s.waitFor(3);
    expect(mails.map((m) => m.subject)).toEqual([
      '[Tocsin] Verify this email address',
      '[Tocsin] Test notification',
      '[Tocsin #42] ACKNOWLEDGED Checkout <API> error rate above 5%',
    ]);
    expect(mails[0]!.text).toContain('Code: 482913');
    expect(mails[2]!.text).not.toContain('Acknowledge #42');
    expect(mails[2]!.text).toContain('Resolve #42');
    // Only a high-urgency page asks the client to flag the mail.
    for (const m of mails) expect(m.raw).not.toMatch(/^(Importance|X-Priority):/im);
  });
});

describe('outcomeOfSmtpError', () => {
  it('scrubs the AUTH PLAIN token a server might echo', () => {
    const token = Buffer.from(`\0${username}\0${password}`).toString('base64');
    const out = outcomeOfSmtpError(
      Object.assign(new Error('Invalid login'), {
        code: 'EAUTH',
        responseCode: 535,
        response: `535 5.7.8 bad token ${token}`,
      }),
      [password, username, token],
    );
    expect(out).toEqual({
      ok: false,
      retryable: false,
      status: 535,
      reason: 'smtp 535: 5.7.8 bad token [redacted]',
    });
  });

  it('treats a problem that never reached a server by its kind', () => {
    const err = (code: string) => Object.assign(new Error(`${code} happened`), { code });
    expect(outcomeOfSmtpError(err('EAUTH'), [])).toMatchObject({ retryable: false });
    expect(outcomeOfSmtpError(err('EENVELOPE'), [])).toMatchObject({ retryable: false });
    expect(outcomeOfSmtpError(err('ESOCKET'), [])).toMatchObject({ retryable: true });
    expect(outcomeOfSmtpError(err('ETIMEDOUT'), [])).toEqual({
      ok: false,
      retryable: true,
      reason: 'smtp: timed out',
    });
    expect(outcomeOfSmtpError(new Error('something odd'), [])).toMatchObject({
      retryable: true,
      reason: 'smtp: something odd',
    });
  });
});
