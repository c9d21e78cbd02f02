import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.js';
import { fakeIngestPort, type FakeIngestPort } from '../../../../test/fakes/fake-ingest-port.js';
import { startEmailListener, type EmailListener } from './email.listener.js';

/*
 * End to end: nodemailer speaks SMTP to the real listener on 127.0.0.1 (port 0), with a fake
 * IngestPort behind it.
 */

const key = 'em0000000000000000000000000000key';
const domain = 'alerts.example.com';
const maxBytes = 64 * 1024;

let port: FakeIngestPort;
let listener: EmailListener;
const shared = fakeIngestPort({});
const tickets: Array<{
  customerName: string;
  customerEmail: string;
  subject: string;
  body: string;
}> = [];

beforeAll(async () => {
  listener = await startEmailListener({
    host: '127.0.0.1',
    port: 0,
    domain,
    // Each test gets a fresh fake; the listener reaches it through this forwarding object.
    ingest: {
      authenticate: (k, t) => port.authenticate(k, t),
      ingest: (i, e) => port.ingest(i, e),
      recordChange: (i, c) => port.recordChange(i, c),
    },
    logger: createLogger({ level: 'silent' }),
    maxBytes,
    tickets: {
      localPart: 'tickets',
      create: async (t) => {
        tickets.push(t);
        return { id: `t${tickets.length}` };
      },
    },
  });
});
afterAll(async () => {
  await listener.close();
});
beforeEach(() => {
  port = fakeIngestPort({ [key]: { type: 'email' } });
});

function send(mail: nodemailer.SendMailOptions) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
  return transport.sendMail({
    from: 'Nagios <nagios@example.com>',
    to: `${key}@${domain}`,
    ...mail,
  });
}

describe('email-in tickets', () => {
  it('turns mail to tickets@ into a customer ticket, keeping their words and address', async () => {
    tickets.length = 0;
    const info = await send({
      from: 'Jane Customer <jane@customer.example>',
      to: `Tickets@${domain}`,
      subject: 'Checkout fails with error 500',
      text: 'Since 10:00 every order fails at payment.',
    });
    expect(info.response).toContain('ticket t1');
    expect(tickets).toEqual([
      expect.objectContaining({
        customerName: 'Jane Customer',
        customerEmail: 'jane@customer.example',
        subject: 'Checkout fails with error 500',
        body: expect.stringContaining('every order fails at payment'),
      }),
    ]);
    expect(port.calls.ingest).toHaveLength(0);
  });
});

describe('email-in listener', () => {
  it('binds a real port', () => {
    expect(listener.port).toBeGreaterThan(0);
    expect(shared.callCount()).toBe(0);
  });

  it('turns a message into a trigger event', async () => {
    const info = await send({
      subject: '[critical] Disk full on db-1',
      text: 'Disk / is 99% full on db-1.',
      messageId: '<disk-1@example.com>',
    });
    expect(info.accepted).toEqual([`${key}@${domain}`]);
    expect(info.response).toMatch(/^250 OK: accepted as email:[0-9a-f]{32}$/);
    expect(port.calls.authenticate).toEqual([{ key, type: 'email' }]);
    expect(port.calls.ingest).toHaveLength(1);
    const event = port.calls.ingest[0]?.events[0];
    expect(event).toMatchObject({
      action: 'trigger',
      summary: 'Disk full on db-1',
      severity: 'critical',
      labels: { from: 'nagios@example.com' },
      details: {
        body: 'Disk / is 99% full on db-1.',
        from: 'nagios@example.com',
        to: `em00…@${domain}`,
        messageId: '<disk-1@example.com>',
      },
    });
    // The integration key is a credential: it must not be stored with the alert.
    expect(JSON.stringify(event)).not.toContain(key);
  });

  it('resolves with the same dedup key for a [resolved] subject', async () => {
    await send({ subject: '[warning] Backup failed', text: 'exit 1' });
    await send({ subject: '[resolved] Backup failed', text: 'exit 0' });
    await send({ subject: 'RESOLVED: Backup failed', text: 'exit 0' });
    const [trigger, resolved, resolvedColon] = port.calls.ingest.map((c) => c.events[0]);
    expect(trigger).toMatchObject({ action: 'trigger', severity: 'warning' });
    expect(resolved).toMatchObject({ action: 'resolve', summary: 'Backup failed' });
    expect(resolved?.dedupKey).toBe(trigger?.dedupKey);
    expect(resolvedColon?.dedupKey).toBe(trigger?.dedupKey);
  });

  it('uses a [dedup:…] key from the subject', async () => {
    await send({ subject: '[dedup:nightly-backup] Backup failed', text: '' });
    expect(port.calls.ingest[0]?.events[0]?.dedupKey).toBe('nightly-backup');
  });

  it('refuses an unknown key at RCPT TO with 550, ingesting nothing', async () => {
    await expect(
      send({ to: `nosuchkey@${domain}`, subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({
      responseCode: 550,
      command: 'RCPT TO',
    });
    expect(port.calls.authenticate).toEqual([{ key: 'nosuchkey', type: 'email' }]);
    expect(port.calls.ingest).toHaveLength(0);
  });

  it('refuses other domains with 550 without asking the port', async () => {
    await expect(
      send({ to: `${key}@elsewhere.example`, subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(port.callCount()).toBe(0);
  });

  it('answers 451 when the key is rate limited, so the MTA retries', async () => {
    port.rateLimited = 20;
    await expect(send({ subject: 'x', text: 'y' })).rejects.toMatchObject({ responseCode: 451 });
    expect(port.calls.ingest).toHaveLength(0);
  });

  it('refuses a message over the size limit with 552', async () => {
    await expect(
      send({ subject: '[critical] huge', text: 'x'.repeat(maxBytes * 2) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(port.calls.ingest).toHaveLength(0);
  });
});
