import type { NotificationContent } from '../notifier.js';
import { defineTwilioNotifier } from '../twilio/twilio.client.js';

/*
 * SMS through Twilio's Messages resource. A page is one short line with the reply codes the
 * inbound route understands (twilio.inbound.ts: "4"/"ack 42", "6"/"resolve 42"); Twilio tells
 * Tocsin later whether it was delivered through the status callback.
 *
 * One SMS segment holds 160 GSM-7 characters, but a single character outside GSM-7 (an em
 * dash, an ellipsis, an emoji) switches the whole message to UCS-2 and 70 characters per
 * segment. So Tocsin's own parts of the text stay plain ASCII (" - ", "..."); only the
 * incident title can cost extra segments, and it is the part that gets shortened.
 */

/** Characters in one GSM-7 SMS segment: the length Tocsin aims for. */
export const smsMaxLength = 160;

/** Shortens to `max` characters (code points, so an emoji is never cut in half). */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 3)).join('')}...`;
}

/** `head` + the title + `tail`, the title shortened so the whole fits one segment. */
function fitTitle(head: string, title: string, tail: string): string {
  const room = smsMaxLength - Array.from(head).length - Array.from(tail).length;
  return `${head}${truncate(title.replace(/\s+/g, ' ').trim(), Math.max(8, room))}${tail}`;
}

/**
 * The SMS text of a notification, at most {@link smsMaxLength} characters where the content
 * allows: a page names the incident and the reply codes
 * (`Tocsin #42 HIGH Checkout API error rate above 5% - reply 4 to ack, 6 to resolve`); an
 * update says the new status; verify and test codes are sent as written.
 */
export function smsText(content: NotificationContent): string {
  const i = content.incident;
  switch (content.kind) {
    case 'page':
      if (!i) return truncate(content.text, smsMaxLength);
      return fitTitle(
        `Tocsin #${i.number} ${i.urgency === 'high' ? 'HIGH' : 'low'} `,
        i.title,
        ' - reply 4 to ack, 6 to resolve',
      );
    case 'update':
      if (!i) return truncate(content.text, smsMaxLength);
      return fitTitle(`Tocsin #${i.number} ${i.status}: `, i.title, '');
    case 'digest':
      // Several incidents: a bare "4" would pick one for the person, so name the number.
      return `${truncate(content.text, smsMaxLength - 40)} - reply "ack <number>" to ack one`;
    case 'verify':
    case 'test':
      // Never shortened: a verification code cut off is useless.
      return content.text;
  }
}

/** SMS pages through Twilio: reply codes to act, delivery receipts by status callback. */
export const smsNotifier = defineTwilioNotifier({
  id: 'sms',
  label: 'SMS (Twilio)',
  resource: 'Messages',
  content: (message) => ({ Body: smsText(message.content) }),
});
