import type { AddressInfo } from 'node:net';
import { simpleParser, type Headers } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/** A mail the sink accepted, parsed. */
export interface SinkMail {
  /** The From header as written (`Tocsin <pager@example.com>`). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  /** The HTML part, or '' when the mail had none. */
  html: string;
  /** Parsed headers, lower-case names (mailparser's map). */
  headers: Headers;
  /** The message as it crossed the wire, for header-level assertions. */
  raw: string;
  /** The AUTH user of the session, when it authenticated. */
  user: string | undefined;
}

/** What a sink needs: credentials to require, or none to take mail from anyone. */
export interface SmtpSinkOptions {
  auth?: { username: string; password: string };
}

type Fault =
  { kind: 'fail'; code: number; message: string; at: 'rcpt' | 'data' } | { kind: 'hang' };

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, port 0, standing in for a mail relay: plain
 * SMTP without STARTTLS, AUTH PLAIN/LOGIN over the plain connection when credentials are
 * configured (else no AUTH at all). Accepted mail is parsed with mailparser into `mails`; tests
 * script the next transaction's fate with `failNext` and `hangNext`.
 */
export class SmtpSink {
  readonly mails: SinkMail[] = [];
  readonly host = '127.0.0.1';
  port = 0;
  private readonly faults: Fault[] = [];
  private readonly server: SMTPServer;
  private readonly hung = new Set<() => void>();

  constructor(options: SmtpSinkOptions = {}) {
    const auth = options.auth;
    this.server = new SMTPServer({
      logger: false,
      disableReverseLookup: true,
      // A hung session must not hold stop() for smtp-server's default 30 s.
      closeTimeout: 50,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (login, _session, callback) => {
        if (auth && login.username === auth.username && login.password === auth.password) {
          callback(null, { user: login.username });
        } else {
          callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        }
      },
      onRcptTo: (_address, _session, callback) => {
        const next = this.faults[0];
        if (next?.kind === 'fail' && next.at === 'rcpt') {
          this.faults.shift();
          callback(smtpError(next.code, next.message));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const next = this.faults[0];
        if (next?.kind === 'fail' && next.at === 'data') this.faults.shift();
        else if (next?.kind === 'hang') this.faults.shift();
        void this.receive(stream).then(
          (raw) => {
            if (next?.kind === 'hang') {
              // Read the whole message, then never answer: the client's socket timeout fires.
              this.hung.add(() => callback(smtpError(421, 'shutting down')));
              return;
            }
            if (next?.kind === 'fail' && next.at === 'data') {
              callback(smtpError(next.code, next.message));
              return;
            }
            return simpleParser(raw).then((mail) => {
              this.mails.push({
                from: mail.from?.text ?? '',
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: mail.subject ?? '',
                text: mail.text ?? '',
                html: typeof mail.html === 'string' ? mail.html : '',
                headers: mail.headers,
                raw: raw.toString('utf8'),
                user: typeof session.user === 'string' ? session.user : undefined,
              });
              callback(null, 'OK: queued');
            });
          },
          (err: unknown) => callback(smtpError(451, `sink: ${String(err)}`)),
        );
      },
    });
  }

  /** Starts listening; resolves once bound. */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(0, this.host, () => {
        this.server.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /**
   * Refuses the next transaction with this reply code and text: at DATA (after the message was
   * sent, the default) or at RCPT TO.
   */
  failNext(code: number, message: string, at: 'rcpt' | 'data' = 'data'): void {
    this.faults.push({ kind: 'fail', code, message, at });
  }

  /** Takes the next message and never answers it, as a wedged relay does. */
  hangNext(): void {
    this.faults.push({ kind: 'hang' });
  }

  /** Resolves once at least `n` mails were accepted. */
  async waitFor(n: number, timeoutMs = 5000): Promise<SinkMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < n) {
      if (Date.now() > deadline)
        throw new Error(`smtp sink: ${this.mails.length}/${n} mails after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.mails.slice(0, Math.max(n, this.mails.length));
  }

  /** Stops the server, answering any hung transaction so its session can close. */
  async stop(): Promise<void> {
    for (const release of this.hung) release();
    this.hung.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async receive(stream: SMTPServerDataStream): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
