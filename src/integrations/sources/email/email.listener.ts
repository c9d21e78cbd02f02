import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import type { AppError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { IngestPort, IntegrationRef } from '../../../domains/alerts/index.js';
import { callPort } from '../source-response.js';
import { emailToEvent, maskRecipient } from './email.js';

/*
 * Email-in: a small SMTP listener that accepts mail for `<integration key>@<domain>` and turns
 * each message into one alert event. Unknown recipients are refused at RCPT TO (550), so a
 * sending MTA bounces the message at once instead of Tocsin accepting mail it cannot route, and
 * oversized messages get 552. Nothing is accepted (250) before the event is committed, so a
 * failure answers 451 and the sending MTA retries.
 *
 * It speaks plain SMTP without AUTH or STARTTLS: it is meant for loopback or a private network
 * behind the organisation's MTA (which does TLS and spam filtering), like PagerDuty's email
 * integration sits behind its own mail servers.
 */

/** What `startEmailListener` needs. */
export interface EmailListenerOptions {
  /** Interface to bind, e.g. `127.0.0.1`. */
  host: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** The domain integration addresses live in: mail to `<key>@<domain>`. */
  domain: string;
  ingest: IngestPort;
  logger: Logger;
  /** Largest message accepted, in bytes (advertised with SIZE, enforced with 552). */
  maxBytes: number;
  /**
   * Customer tickets by mail: `<localPart>@<domain>` (e.g. `tickets@…`) becomes a ticket for
   * the ticket-intake team instead of an alert; the sender is the customer.
   */
  tickets?: {
    localPart: string;
    create(input: {
      customerName: string;
      customerEmail: string;
      subject: string;
      body: string;
      externalRef?: string;
    }): Promise<{ id: string }>;
  };
}

/** A running listener. */
export interface EmailListener {
  /** The bound port (the real one when started with port 0). */
  port: number;
  /** Stops accepting connections and waits for open sessions (at most a few seconds). */
  close(): Promise<void>;
}

/** An error smtp-server answers with the given reply code. */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/** The recipients of one transaction that are integrations. */
interface Recipient {
  integration: IntegrationRef;
  to: string;
}

/** Starts the SMTP listener and resolves once it is bound. */
export async function startEmailListener(options: EmailListenerOptions): Promise<EmailListener> {
  const { ingest, logger, maxBytes } = options;
  const domain = options.domain.trim().toLowerCase();
  // Keyed by the session's envelope, which smtp-server replaces at every new transaction (RSET,
  // a second MAIL FROM, after DATA), so recipients never leak from one message to the next.
  const transactions = new WeakMap<object, Recipient[]>();
  const ticketTransactions = new WeakSet<object>();
  const ticketsLocal = options.tickets?.localPart.toLowerCase();

  async function acceptRecipient(address: string, session: SMTPServerSession): Promise<void> {
    const at = address.lastIndexOf('@');
    const local = at > 0 ? address.slice(0, at) : '';
    const recipientDomain = at > 0 ? address.slice(at + 1).toLowerCase() : '';
    if (local === '' || recipientDomain !== domain) {
      throw smtpError(550, `Mailbox unavailable: this server only takes mail for @${domain}`);
    }
    // Keys are lower-case; some MTAs upper-case local parts.
    const key = local.toLowerCase();
    if (ticketsLocal && key === ticketsLocal) {
      ticketTransactions.add(session.envelope);
      return;
    }
    const auth = await callPort(() => ingest.authenticate(key, 'email'));
    if (!auth.ok) throw portSmtpError(auth.error, 'recipient');
    const list = transactions.get(session.envelope) ?? [];
    if (!list.some((r) => r.integration.id === auth.value.id)) {
      list.push({ integration: auth.value, to: maskRecipient(key, domain) });
    }
    transactions.set(session.envelope, list);
  }

  async function acceptMessage(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const recipients = transactions.get(session.envelope) ?? [];
    const ticket = ticketTransactions.has(session.envelope);
    if (recipients.length === 0 && !ticket) throw smtpError(503, 'No valid recipients');
    const mail = await simpleParser(raw, {
      skipHtmlToText: false,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
    });
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const from = (mail.from?.value[0]?.address ?? envelopeFrom).trim();
    const keys: string[] = [];
    if (ticket && options.tickets) {
      const sender = mail.from?.value[0];
      const created = await callPort(() =>
        options.tickets!.create({
          customerName: (sender?.name || from || 'unknown').slice(0, 200),
          customerEmail: from,
          subject: (mail.subject ?? '(no subject)').slice(0, 500) || '(no subject)',
          body: (mail.text ?? '').slice(0, 50_000),
          ...(mail.messageId ? { externalRef: mail.messageId.slice(0, 200) } : {}),
        }),
      );
      if (!created.ok) throw portSmtpError(created.error, 'message');
      keys.push(`ticket ${created.value.id}`);
      logger.info({ ticketId: created.value.id }, 'email-in: ticket recorded');
    }
    for (const recipient of recipients) {
      const event = emailToEvent({
        subject: mail.subject,
        from,
        to: recipient.to,
        text: mail.text,
        messageId: mail.messageId,
        date: mail.date,
      });
      const result = await callPort(() => ingest.ingest(recipient.integration, [event]));
      if (!result.ok) throw portSmtpError(result.error, 'message');
      const outcome = result.value[0];
      keys.push(outcome?.dedupKey ?? event.dedupKey ?? '');
      logger.info(
        {
          integrationId: recipient.integration.id,
          action: event.action,
          dedupKey: outcome?.dedupKey,
          result: outcome?.result,
        },
        'email-in: message ingested',
      );
    }
    return `OK: accepted as ${keys.join(', ')}`;
  }

  /** A domain error as an SMTP reply: unknown key 550, rate limit 451 (retry), else 451/554. */
  function portSmtpError(err: AppError, stage: 'recipient' | 'message'): Error {
    if (err.code === 'INTEGRATION_KEY_UNKNOWN')
      return smtpError(550, 'Mailbox unavailable: no such integration');
    if (err.kind === 'rate_limited') {
      const wait = err.retryAfterSeconds
        ? ` in ${Math.ceil(err.retryAfterSeconds)} seconds`
        : ' later';
      return smtpError(451, `Too many events for this integration, try again${wait}`);
    }
    if (err.kind === 'invalid') return smtpError(554, `Message refused: ${err.message}`);
    logger.warn({ code: err.code, stage }, 'email-in: temporary failure');
    return smtpError(451, 'Temporary failure, try again later');
  }

  function unexpected(err: unknown): Error {
    if (err instanceof Error && 'responseCode' in err) return err;
    logger.error({ err }, 'email-in: failed to process a message');
    return smtpError(451, 'Temporary failure, try again later');
  }

  const server = new SMTPServer({
    banner: 'Tocsin email-in',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    // Answer 552 for an oversized message whatever onData decides (smtp-server >= 3.17).
    rejectOversized: true,
    disableReverseLookup: true,
    logger: false,
    maxClients: 100,
    maxRecipients: 50,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback) {
      acceptRecipient(address.address, session).then(
        () => callback(),
        (err: unknown) => callback(unexpected(err)),
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (err: Error | null, message?: string): void => {
        if (settled) return;
        settled = true;
        callback(err, message);
      };
      stream.on('data', (chunk: Buffer) => {
        // Past the limit, keep draining the socket but stop buffering: the answer is 552.
        if (stream.sizeExceeded) chunks.length = 0;
        else chunks.push(chunk);
      });
      stream.on('error', (err: Error) => finish(unexpected(err)));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          finish(smtpError(552, `Message exceeds the maximum size of ${maxBytes} bytes`));
          return;
        }
        acceptMessage(Buffer.concat(chunks), session).then(
          (message) => finish(null, message),
          (err: unknown) => finish(unexpected(err)),
        );
      });
    },
  });
  server.on('error', (err) => logger.error({ err }, 'email-in: SMTP server error'));

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const bound = server.server.address() as AddressInfo;
  logger.info({ host: options.host, port: bound.port, domain }, 'email-in: listening');

  return {
    port: bound.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
