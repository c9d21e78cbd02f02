import { createHash } from 'node:crypto';
import type { NormalizedEvent, Severity } from '../../../domains/alerts/index.js';

/*
 * Pure rules of email-in: how a subject line becomes an action, a severity and a dedup key, and
 * how a parsed message becomes one normalised event. The SMTP side is in email.listener.ts.
 */

/** What a subject line says once its control tags are read and removed. */
export interface EmailSubject {
  /** The subject without `RESOLVED:`/`[resolved]`, `[severity]` and `[dedup:…]` tags. */
  summary: string;
  severity: Severity;
  resolve: boolean;
  /** The key of a `[dedup:key]` tag, if any. */
  dedupTag: string | undefined;
}

const resolvedPrefix = /^\s*(?:resolved\s*:|\[resolved\])\s*/i;
const severityTag = /\[(critical|error|warning|info)\]/i;
const severityTags = new RegExp(severityTag.source, 'gi');
const dedupTag = /\[dedup:([^\]]{1,255})\]/i;

/**
 * Reads a subject: a leading `RESOLVED:` or `[resolved]` makes a resolve; `[critical]`,
 * `[error]`, `[warning]` or `[info]` anywhere sets the severity (first one wins, default error);
 * `[dedup:xyz]` sets the dedup key. The tags are removed from the summary, so
 * "[critical] Disk full on db-1" and "RESOLVED: Disk full on db-1" share one summary and key.
 */
export function parseEmailSubject(subject: string | undefined): EmailSubject {
  let text = subject ?? '';
  const resolve = resolvedPrefix.test(text);
  text = text.replace(resolvedPrefix, '');
  const dedup = dedupTag.exec(text)?.[1]?.trim();
  text = text.replace(dedupTag, ' ');
  const severity = (severityTag.exec(text)?.[1]?.toLowerCase() ?? 'error') as Severity;
  text = text.replace(severityTags, ' ').replace(/\s+/g, ' ').trim();
  return {
    summary: text === '' ? '(no subject)' : text,
    severity,
    resolve,
    dedupTag: dedup === '' ? undefined : dedup,
  };
}

/**
 * The dedup key of a message without a `[dedup:…]` tag: a hash of the sender and the cleaned
 * subject, so the resolve mail from the same sender closes the alert the trigger opened.
 */
export function emailDedupKey(from: string, summary: string): string {
  const digest = createHash('sha256')
    .update(`${from.trim().toLowerCase()}\n${summary.toLowerCase()}`)
    .digest('hex');
  return `email:${digest.slice(0, 32)}`;
}

/** The parts of a received message an event is built from. */
export interface ReceivedEmail {
  subject: string | undefined;
  /** The sender's address (header From, else the envelope's MAIL FROM). */
  from: string;
  /** The recipient as shown in the event (with the integration key masked). */
  to: string;
  text: string | undefined;
  messageId: string | undefined;
  date: Date | undefined;
}

/** Longest mail body kept in an event's details. */
export const maxEmailBodyChars = 100_000;

/** One event per message: subject → summary, body → details, tags → action/severity/key. */
export function emailToEvent(mail: ReceivedEmail): NormalizedEvent {
  const subject = parseEmailSubject(mail.subject);
  const body = (mail.text ?? '').trimEnd().slice(0, maxEmailBodyChars);
  const date = mail.date?.getTime();
  return {
    action: subject.resolve ? 'resolve' : 'trigger',
    dedupKey: subject.dedupTag ?? emailDedupKey(mail.from, subject.summary),
    summary: subject.summary,
    severity: subject.severity,
    source: mail.from === '' ? undefined : mail.from,
    labels: mail.from === '' ? {} : { from: mail.from },
    details: { body, from: mail.from, to: mail.to, messageId: mail.messageId },
    occurredAt: date !== undefined && Number.isFinite(date) ? date : undefined,
    raw: { subject: mail.subject, from: mail.from, to: mail.to, messageId: mail.messageId },
  };
}

/** `abcd…@alerts.example.com`: a recipient address without its secret local part. */
export function maskRecipient(key: string, domain: string): string {
  return `${key.slice(0, 4)}…@${domain}`;
}
