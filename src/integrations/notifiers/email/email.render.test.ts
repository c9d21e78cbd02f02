import { describe, expect, it } from 'vitest';
import type { NotificationContent } from '../notifier.js';
import { absoluteHttpUrl, emailSubject, escapeHtml, renderEmail } from './email.render.js';

const incident: NonNullable<NotificationContent['incident']> = {
  id: 'inc_1',
  number: 42,
  title: 'Checkout API error rate above 5%',
  status: 'triggered',
  urgency: 'high',
  serviceName: 'Checkout',
  url: 'https://tocsin.example.com/incidents/inc_1',
  createdAt: Date.UTC(2026, 0, 1, 2, 0),
};
const links = {
  acknowledge: 'https://tocsin.example.com/api/notify/links/ack-token',
  resolve: 'https://tocsin.example.com/api/notify/links/resolve-token',
};
const page: NotificationContent = {
  kind: 'page',
  text: '#42 HIGH Checkout: Checkout API error rate above 5%',
  incident,
  links,
};

/** The hrefs of an HTML part, entity-decoded the way a mail client reads them. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('emailSubject', () => {
  it('names the incident, its urgency or new status, for pages and updates', () => {
    expect(emailSubject(page)).toBe('[Tocsin #42] HIGH Checkout API error rate above 5%');
    expect(
      emailSubject({
        kind: 'update',
        text: '#42 acknowledged by Ada',
        incident: { ...incident, status: 'acknowledged' },
      }),
    ).toBe('[Tocsin #42] ACKNOWLEDGED Checkout API error rate above 5%');
    expect(emailSubject({ ...page, incident: { ...incident, urgency: 'low' } })).toMatch(
      /^\[Tocsin #42\] LOW /,
    );
  });

  it('says what a test, a verification and a digest are', () => {
    expect(emailSubject({ kind: 'test', text: 'Tocsin test message' })).toBe(
      '[Tocsin] Test notification',
    );
    expect(emailSubject({ kind: 'verify', text: 'Your code is 123456' })).toBe(
      '[Tocsin] Verify this email address',
    );
    expect(
      emailSubject({
        kind: 'digest',
        text: 'Tocsin: 3 incidents need you: #42, #43, #44',
        digest: { count: 3, incidents: [] },
      }),
    ).toBe('[Tocsin] 3 incidents need you');
  });

  it('flattens line breaks so a title cannot add a header, and clips long titles', () => {
    const subject = emailSubject({
      ...page,
      incident: { ...incident, title: 'Disk full\r\nBcc: attacker@example.com' },
    });
    expect(subject).toBe('[Tocsin #42] HIGH Disk full Bcc: attacker@example.com');
    const long = emailSubject({ ...page, incident: { ...incident, title: 'x'.repeat(500) } });
    expect(long.length).toBe(200);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('renderEmail', () => {
  it('renders a page with Acknowledge, Resolve and the incident in both parts', () => {
    const { text, html } = renderEmail(page, undefined);
    expect(text).toContain('Checkout API error rate above 5%');
    expect(text).toContain('Service: Checkout');
    expect(text).toContain('Opened: 2026-01-01 02:00 UTC');
    expect(text).toContain(`Acknowledge #42: ${links.acknowledge}`);
    expect(text).toContain(`Resolve #42: ${links.resolve}`);
    expect(text).toContain(`Open incident #42: ${incident.url}`);
    expect(hrefs(html)).toEqual([links.acknowledge, links.resolve, incident.url]);
    expect(html).toContain('>Acknowledge #42</a>');
    expect(html).toContain('HIGH URGENCY');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('escapes every value that came from an alert', () => {
    const hostile: NotificationContent = {
      kind: 'update',
      text: 'ack by <b>"Mallory"</b> & co',
      incident: {
        ...incident,
        status: 'acknowledged',
        title: '<script>alert(1)</script>',
        serviceName: `it's <img src=x onerror=alert(1)>`,
        url: 'https://tocsin.example.com/incidents/inc_1?a=1&b="2"',
      },
    };
    const { html } = renderEmail(hostile, undefined);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('it&#39;s &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('ack by &lt;b&gt;&quot;Mallory&quot;&lt;/b&gt; &amp; co');
    expect(hrefs(html)).toEqual(['https://tocsin.example.com/incidents/inc_1?a=1&b=%222%22']);
  });

  it('offers only http(s) links, resolving relative ones against the public URL', () => {
    const { html, text } = renderEmail(
      {
        ...page,
        incident: { ...incident, url: '/incidents/inc_1' },
        links: { acknowledge: 'javascript:alert(1)', resolve: 'data:text/html,hi' },
      },
      'https://tocsin.example.com',
    );
    expect(hrefs(html)).toEqual(['https://tocsin.example.com/incidents/inc_1']);
    expect(text).not.toContain('javascript:');
    expect(
      renderEmail({ ...page, incident: { ...incident, url: '/x' } }, undefined).html,
    ).not.toContain('Open incident');
  });

  it('drops Acknowledge once acknowledged, and every action link once resolved', () => {
    const acked = renderEmail(
      { ...page, kind: 'update', incident: { ...incident, status: 'acknowledged' } },
      undefined,
    );
    expect(hrefs(acked.html)).toEqual([links.resolve, incident.url]);
    const resolved = renderEmail(
      { ...page, kind: 'update', incident: { ...incident, status: 'resolved' } },
      undefined,
    );
    expect(hrefs(resolved.html)).toEqual([incident.url]);
    expect(resolved.text).toContain('Resolved: Checkout API error rate above 5%');
  });

  it('renders a digest as a list, with the links numbered for the lead incident', () => {
    const { text, html } = renderEmail(
      {
        kind: 'digest',
        text: 'Tocsin: 2 incidents need you: #42, #43',
        incident,
        links,
        digest: {
          count: 2,
          incidents: [
            { number: 42, title: 'Checkout API error rate above 5%' },
            { number: 43, title: 'Payments <slow>' },
          ],
        },
      },
      undefined,
    );
    expect(text).toContain('  #43 Payments <slow>');
    expect(html).toContain('<li>#43 Payments &lt;slow&gt;</li>');
    expect(html).toContain('>Acknowledge #42</a>');
    expect(text).not.toContain('Service:');
  });

  it('puts a verification code and a test message front and centre, with no buttons', () => {
    const verify = renderEmail({ kind: 'verify', text: 'Your Tocsin code is 482913' }, undefined);
    expect(verify.text.split('\n').slice(0, 3)).toEqual([
      'Verify this email address',
      '',
      'Your Tocsin code is 482913',
    ]);
    expect(hrefs(verify.html)).toEqual([]);
    expect(verify.text).not.toContain('do not forward');
    const test = renderEmail({ kind: 'test', text: 'Tocsin test message from Ada' }, undefined);
    expect(test.html).toContain('Tocsin test message from Ada');
  });
});

describe('helpers', () => {
  it('escapeHtml covers the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('absoluteHttpUrl refuses other schemes and unparsable values', () => {
    expect(absoluteHttpUrl('https://a.example/x', undefined)).toBe('https://a.example/x');
    expect(absoluteHttpUrl('/x', 'http://b.example')).toBe('http://b.example/x');
    expect(absoluteHttpUrl('/x', undefined)).toBeUndefined();
    expect(absoluteHttpUrl('mailto:a@b.example', undefined)).toBeUndefined();
    expect(absoluteHttpUrl(undefined, 'http://b.example')).toBeUndefined();
  });
});
