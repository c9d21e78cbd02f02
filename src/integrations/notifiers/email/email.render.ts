import type { NotificationContent } from '../notifier.js';

/*
 * Renders a notification as an email: one subject, a plain-text part and a small HTML part.
 * Everything that comes from an alert (titles, service names, the one-line text) is attacker-
 * reachable — any monitored system can name an alert — so the HTML escapes every value, links
 * are limited to http(s), and the subject is flattened to one line before nodemailer sees it.
 * The HTML sticks to inline styles and presentation tables because mail clients drop <style>
 * blocks and most of CSS layout.
 */

/** A notification rendered for email. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A link the recipient can follow, already checked to be absolute http(s). */
interface Action {
  label: string;
  url: string;
  /** Background colour of the button; white text on each passes WCAG AA (≥ 4.5:1). */
  colour: string;
}

const SUBJECT_MAX = 200;

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * An absolute http(s) URL, resolving a relative one against Tocsin's public URL; undefined for
 * anything else, so a `javascript:` or `data:` URL can never become a button.
 */
export function absoluteHttpUrl(
  url: string | undefined,
  base: string | undefined,
): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** One line: CR/LF/tabs would let an alert title fold into a header of its own. */
function oneLine(value: string): string {
  return value.replace(/[\s\u2028\u2029]+/g, ' ').trim();
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** UTC, because a mail is read wherever the recipient happens to be. */
function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const statusLabel = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/** The subject line, e.g. `[Tocsin #42] HIGH Checkout API error rate above 5%`. */
export function emailSubject(content: NotificationContent): string {
  const i = content.incident;
  let subject: string;
  switch (content.kind) {
    case 'test':
      subject = '[Tocsin] Test notification';
      break;
    case 'verify':
      subject = '[Tocsin] Verify this email address';
      break;
    case 'digest': {
      const count = content.digest?.count ?? content.digest?.incidents.length ?? 1;
      subject = `[Tocsin] ${count} incident${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} you`;
      break;
    }
    case 'update':
      subject = i
        ? `[Tocsin #${i.number}] ${i.status.toUpperCase()} ${i.title}`
        : `[Tocsin] ${content.text}`;
      break;
    case 'page':
      subject = i
        ? `[Tocsin #${i.number}] ${i.urgency.toUpperCase()} ${i.title}`
        : `[Tocsin] ${content.text}`;
      break;
  }
  return clip(oneLine(subject), SUBJECT_MAX);
}

/** The actions a message offers: one-click links when minted, and the incident's page. */
function actionsOf(content: NotificationContent, publicUrl: string | undefined): Action[] {
  const i = content.incident;
  const out: Action[] = [];
  // Numbered, because in a digest the links act on the lead incident only.
  const suffix = i ? ` #${i.number}` : '';
  // An acknowledged or resolved incident's update has nothing left to acknowledge.
  const open = !i || i.status === 'triggered';
  const ack = open ? absoluteHttpUrl(content.links?.acknowledge, publicUrl) : undefined;
  const resolve =
    i?.status !== 'resolved' ? absoluteHttpUrl(content.links?.resolve, publicUrl) : undefined;
  if (ack) out.push({ label: `Acknowledge${suffix}`, url: ack, colour: '#1d4ed8' });
  if (resolve) out.push({ label: `Resolve${suffix}`, url: resolve, colour: '#15803d' });
  const page = absoluteHttpUrl(i?.url, publicUrl);
  if (page) out.push({ label: `Open incident${suffix}`, url: page, colour: '#374151' });
  return out;
}

/** Facts about the incident, as label/value pairs shared by both parts. */
function factsOf(content: NotificationContent): Array<[string, string]> {
  const i = content.incident;
  if (!i || content.kind === 'digest') return [];
  return [
    ['Incident', `#${i.number}`],
    ['Status', statusLabel[i.status]],
    ['Urgency', i.urgency === 'high' ? 'High' : 'Low'],
    ['Service', i.serviceName],
    ['Opened', utc(i.createdAt)],
  ];
}

/** The heading: the incident's title for incident mail, else what the message is. */
function headingOf(content: NotificationContent): string {
  const i = content.incident;
  switch (content.kind) {
    case 'test':
      return 'Test notification';
    case 'verify':
      return 'Verify this email address';
    case 'digest':
      return emailSubject(content).replace(/^\[Tocsin\] /, '');
    case 'update':
      return i ? `${statusLabel[i.status]}: ${i.title}` : content.text;
    case 'page':
      return i?.title ?? content.text;
  }
}

/**
 * The message's own sentence. A page's text repeats the heading and facts (it is the SMS
 * rendering), so email leaves it out; for every other kind it is the point of the message
 * (the verification code, who acknowledged, the test's origin).
 */
function leadOf(content: NotificationContent): string | undefined {
  if (content.kind === 'page' && content.incident) return undefined;
  return content.text;
}

function footerOf(content: NotificationContent): string {
  return content.links?.acknowledge || content.links?.resolve
    ? 'Sent by Tocsin. The Acknowledge and Resolve links are yours alone, work once and expire soon; do not forward this email.'
    : 'Sent by Tocsin.';
}

/** The plain-text part: what a terminal mail client or a screen reader in text mode gets. */
function renderText(content: NotificationContent, actions: Action[]): string {
  const lines: string[] = [headingOf(content), ''];
  const lead = leadOf(content);
  if (lead) lines.push(lead, '');
  const facts = factsOf(content);
  if (facts.length) {
    for (const [k, v] of facts) lines.push(`${k}: ${v}`);
    lines.push('');
  }
  const digest = content.kind === 'digest' ? (content.digest?.incidents ?? []) : [];
  if (digest.length) {
    for (const d of digest) lines.push(`  #${d.number} ${d.title}`);
    lines.push('');
  }
  for (const a of actions) lines.push(`${a.label}: ${a.url}`);
  if (actions.length) lines.push('');
  lines.push('-- ', footerOf(content));
  return `${lines.join('\n')}\n`;
}

/** The HTML part: one column, large tap targets, real text (no images), escaped values. */
function renderHtml(content: NotificationContent, subject: string, actions: Action[]): string {
  const e = escapeHtml;
  const i = content.incident;
  const parts: string[] = [];
  const high = content.kind === 'page' && i?.urgency === 'high';
  if (high) {
    parts.push(
      '<p style="margin:0 0 8px;"><span style="display:inline-block;padding:2px 8px;border-radius:4px;background:#b91c1c;color:#ffffff;font-size:13px;font-weight:bold;letter-spacing:0.05em;">HIGH URGENCY</span></p>',
    );
  }
  parts.push(
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#111827;">${e(headingOf(content))}</h1>`,
  );
  const lead = leadOf(content);
  if (lead) {
    parts.push(
      `<p style="margin:0 0 16px;font-size:16px;line-height:1.5;color:#111827;">${e(lead)}</p>`,
    );
  }
  const facts = factsOf(content);
  if (facts.length) {
    const rows = facts
      .map(
        ([k, v]) =>
          `<tr><th scope="row" style="padding:4px 16px 4px 0;text-align:left;font-weight:normal;color:#4b5563;">${e(k)}</th><td style="padding:4px 0;color:#111827;">${e(v)}</td></tr>`,
      )
      .join('');
    parts.push(
      `<table style="margin:0 0 20px;border-collapse:collapse;font-size:15px;">${rows}</table>`,
    );
  }
  const digest = content.kind === 'digest' ? (content.digest?.incidents ?? []) : [];
  if (digest.length) {
    const items = digest.map((d) => `<li>#${d.number} ${e(d.title)}</li>`).join('');
    parts.push(
      `<ul style="margin:0 0 20px;padding-left:20px;font-size:15px;line-height:1.6;color:#111827;">${items}</ul>`,
    );
  }
  if (actions.length) {
    const buttons = actions
      .map(
        (a) =>
          `<td style="padding:0 12px 12px 0;"><a href="${e(a.url)}" style="display:inline-block;padding:14px 28px;border-radius:6px;background:${a.colour};color:#ffffff;font-size:18px;font-weight:bold;text-decoration:none;">${e(a.label)}</a></td>`,
      )
      .join('');
    parts.push(
      `<table role="presentation" style="margin:0 0 12px;border-collapse:collapse;"><tr>${buttons}</tr></table>`,
    );
  }
  parts.push(
    `<p style="margin:16px 0 0;font-size:13px;line-height:1.5;color:#4b5563;">${e(footerOf(content))}</p>`,
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f3f4f6;">',
    '<div role="article" aria-roledescription="email" lang="en" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;">',
    ...parts,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}

/**
 * Renders a notification for email. `publicUrl` resolves relative incident URLs (Tocsin without
 * a configured public URL); links that still are not absolute http(s) are left out.
 */
export function renderEmail(
  content: NotificationContent,
  publicUrl: string | undefined,
): RenderedEmail {
  const subject = emailSubject(content);
  const actions = actionsOf(content, publicUrl);
  return {
    subject,
    text: renderText(content, actions),
    html: renderHtml(content, subject, actions),
  };
}
