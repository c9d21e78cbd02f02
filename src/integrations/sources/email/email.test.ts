import { describe, expect, it } from 'vitest';
import { emailDedupKey, emailToEvent, maskRecipient, parseEmailSubject } from './email.js';

describe('parseEmailSubject', () => {
  it('reads the severity tag anywhere, defaulting to error', () => {
    expect(parseEmailSubject('[critical] Disk full on db-1')).toEqual({
      summary: 'Disk full on db-1',
      severity: 'critical',
      resolve: false,
      dedupTag: undefined,
    });
    expect(parseEmailSubject('Backup job failed [WARNING]').severity).toBe('warning');
    expect(parseEmailSubject('[info] [critical] x').severity).toBe('info');
    expect(parseEmailSubject('Backup job failed').severity).toBe('error');
    expect(parseEmailSubject('[urgent] Backup job failed')).toMatchObject({
      summary: '[urgent] Backup job failed',
      severity: 'error',
    });
  });

  it('reads RESOLVED: and [resolved] only at the start', () => {
    expect(parseEmailSubject('RESOLVED: Disk full on db-1')).toMatchObject({
      summary: 'Disk full on db-1',
      resolve: true,
    });
    expect(parseEmailSubject('[Resolved] [critical] Disk full on db-1')).toMatchObject({
      summary: 'Disk full on db-1',
      resolve: true,
      severity: 'critical',
    });
    expect(parseEmailSubject('resolved : Disk full').resolve).toBe(true);
    expect(parseEmailSubject('Disk full, RESOLVED: no').resolve).toBe(false);
  });

  it('takes a [dedup:…] tag as the key', () => {
    expect(parseEmailSubject('[dedup:backup-nightly] Backup failed')).toMatchObject({
      summary: 'Backup failed',
      dedupTag: 'backup-nightly',
    });
  });

  it('never yields an empty summary', () => {
    expect(parseEmailSubject(undefined).summary).toBe('(no subject)');
    expect(parseEmailSubject('[critical]').summary).toBe('(no subject)');
  });
});

describe('emailToEvent', () => {
  const mail = {
    subject: '[critical] Disk full on db-1',
    from: 'nagios@example.com',
    to: 'abcd…@alerts.example.com',
    text: 'Disk / is 99% full.\n',
    messageId: '<1@example.com>',
    date: new Date('2026-01-01T10:00:00Z'),
  };

  it('turns a message into one trigger', () => {
    expect(emailToEvent(mail)).toEqual({
      action: 'trigger',
      dedupKey: emailDedupKey('nagios@example.com', 'Disk full on db-1'),
      summary: 'Disk full on db-1',
      severity: 'critical',
      source: 'nagios@example.com',
      labels: { from: 'nagios@example.com' },
      details: {
        body: 'Disk / is 99% full.',
        from: 'nagios@example.com',
        to: 'abcd…@alerts.example.com',
        messageId: '<1@example.com>',
      },
      occurredAt: Date.parse('2026-01-01T10:00:00Z'),
      raw: {
        subject: '[critical] Disk full on db-1',
        from: 'nagios@example.com',
        to: 'abcd…@alerts.example.com',
        messageId: '<1@example.com>',
      },
    });
  });

  it('resolves with the same key, whatever the tags and the sender case', () => {
    const trigger = emailToEvent(mail);
    const resolve = emailToEvent({
      ...mail,
      subject: 'RESOLVED: Disk full on db-1',
      from: 'Nagios@Example.com',
    });
    expect(resolve.action).toBe('resolve');
    expect(resolve.dedupKey).toBe(trigger.dedupKey);
    expect(emailToEvent({ ...mail, from: 'other@example.com' }).dedupKey).not.toBe(
      trigger.dedupKey,
    );
    expect(emailToEvent({ ...mail, subject: 'Disk full on db-2' }).dedupKey).not.toBe(
      trigger.dedupKey,
    );
  });

  it('masks the key of the recipient address', () => {
    expect(maskRecipient('abcdefghijklmnop', 'alerts.example.com')).toBe(
      'abcd…@alerts.example.com',
    );
  });
});
