import type { OutboundMessage } from '../notifier.js';
import { defineTwilioNotifier } from '../twilio/twilio.client.js';
import { xmlEscape } from '../twilio/twilio.inbound.js';

/*
 * Phone calls through Twilio's Calls resource. The TwiML travels with the create request
 * (the `Twiml` parameter), so Twilio never has to fetch instructions from Tocsin to start the
 * call: a page rings even when Tocsin is not reachable from the internet. Only the key press
 * needs a public URL: <Gather> posts the digit to /api/notify/twilio/voice, which answers with
 * what was done. Without a public URL the call reads the page twice and cannot take input.
 */

/** Titles are cut here: Twilio limits the Twiml parameter to 4,000 characters. */
const maxSpokenTitle = 300;

/** Reads digit runs one by one ("1 2 3 4 5 6"), as a person needs a code read out. */
function spellDigits(text: string): string {
  return text.replace(/\d{3,}/g, (run) => run.split('').join(' '));
}

function spokenTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim();
  return t.length > maxSpokenTitle ? `${t.slice(0, maxSpokenTitle)}…` : t;
}

/** What the call says, before the key-press prompt. */
export function voiceSummary(content: OutboundMessage['content']): string {
  const i = content.incident;
  switch (content.kind) {
    case 'page':
      return i
        ? `This is Tocsin. ${i.urgency === 'high' ? 'High' : 'Low'} urgency incident ${i.number} on ${i.serviceName}: ${spokenTitle(i.title)}`
        : content.text;
    case 'update':
      return i
        ? `This is Tocsin. Incident ${i.number} is now ${i.status}: ${spokenTitle(i.title)}`
        : content.text;
    case 'digest':
      return `${content.text}. Open Tocsin to respond`;
    case 'verify':
      return spellDigits(content.text);
    case 'test':
      return content.text;
  }
}

/**
 * The TwiML of a call. A page with a public URL asks for one key inside <Gather> (4
 * acknowledges, 6 resolves) and posts it to `/api/notify/twilio/voice?incident=<id>`; when no
 * key comes the call says goodbye. Everything else, and any page without a public URL, is read
 * twice (the first words are often lost while a person wakes up). All text is XML-escaped.
 */
export function voiceTwiml(message: OutboundMessage, publicUrl: string | undefined): string {
  const summary = voiceSummary(message.content).replace(/[.\s]+$/, '');
  const incident = message.content.incident;
  if (message.content.kind === 'page' && incident && publicUrl) {
    const action = `${publicUrl.replace(/\/+$/, '')}/api/notify/twilio/voice?incident=${encodeURIComponent(incident.id)}`;
    return (
      '<Response>' +
      `<Gather numDigits="1" timeout="10" action="${xmlEscape(action)}" method="POST">` +
      `<Say>${xmlEscape(summary)}; press 4 to acknowledge, 6 to resolve.</Say>` +
      '</Gather>' +
      '<Say>No input received. Goodbye.</Say>' +
      '</Response>'
    );
  }
  const said = `<Say>${xmlEscape(summary)}.</Say>`;
  return `<Response>${said}${said}</Response>`;
}

/** Voice pages through Twilio: the call reads the page; 4 acknowledges, 6 resolves. */
export const voiceNotifier = defineTwilioNotifier({
  id: 'voice',
  label: 'Voice call (Twilio)',
  resource: 'Calls',
  content: (message, publicUrl) => ({ Twiml: voiceTwiml(message, publicUrl) }),
});
