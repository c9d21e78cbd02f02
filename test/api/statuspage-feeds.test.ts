import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import type { PublicEvent } from '../../src/domains/statuspages/index.js';
import { bannerOrder } from '../../src/http/status-page/embed.js';
import { addSignedInMember, createTeam, loginAdmin, requestAs, type Member } from '../fixtures.js';
import { createTestApp, describeEachStore, type Session, type TestApp } from '../harness.js';

// What a status page gives other programs and other people's sites: feeds that show text as it
// was typed (and never run markup in it), an embed banner that names the worst thing going on,
// addresses that forgive a trailing slash, and JSON a browser on another site may ask for.

const minute = 60_000;

/** The text an HTML field shows (the few entities escaping produces). */
const shown = (html: string) =>
  html
    .replace(/<br>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describeEachStore('status page feeds, embed and public addresses', (kind) => {
  let app: TestApp;
  let admin: Session;
  let ada: Member;
  let pageId: string;
  let apiId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T12:00:00Z'),
      config: { publicUrl: 'http://tocsin.acme.test/' },
    });
    admin = await loginAdmin(app);
    const team = await createTeam(app, 'Web');
    ada = await addSignedInMember(app, team.id, 'Ada', 'responder');
    const page = await requestAs(app, admin, 'POST', '/api/status-pages', {
      teamId: team.id,
      slug: 'qa',
      name: 'QA',
      customDomain: 'status.qa.test',
    });
    expect(page.statusCode, page.body).toBe(201);
    pageId = (page.json() as { id: string }).id;
    const api = await requestAs(
      app,
      ada.session,
      'POST',
      `/api/status-pages/${pageId}/components`,
      {
        name: 'API',
      },
    );
    apiId = (api.json() as { id: string }).id;
  });
  afterEach(async () => {
    await app?.close();
  });

  const pub = (url: string, headers: Record<string, string> = {}) =>
    app.http!.inject({ method: 'GET', url, headers });
  const incident = async (title: string, impact: string, body = 'Investigating.') => {
    const res = await requestAs(app, ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
      title,
      body,
      impact,
      componentIds: [apiId],
    });
    expect(res.statusCode, res.body).toBe(201);
    app.clock.fastForward(minute);
  };

  it('shows titles and updates in Atom and RSS as typed, with any markup inert', async () => {
    const title = 'p99 <500ms <script>alert(1)</script>';
    const body = 'Latency "up" & <img src=x onerror=alert(1)>\nNext update soon.';
    await incident(title, 'minor', body);

    const atom = await pub('/status/qa/history.atom');
    expect(atom.statusCode).toBe(200);
    const entry = /<entry>([\s\S]*?)<\/entry>/.exec(atom.body)![1]!;
    const atomTitle = /<title type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/title>/.exec(entry)![1]!;
    const atomSummary = /<summary type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/summary>/.exec(
      entry,
    )![1]!;
    expect(shown(atomTitle)).toBe(`${title}: Investigating`);
    expect(shown(atomSummary)).toBe(`${body}\n\nAffected: API`);
    for (const html of [atomTitle, atomSummary]) {
      expect(html).not.toMatch(/<(script|img)/i);
    }

    const rss = await pub('/status/qa/history.rss');
    expect(rss.statusCode).toBe(200);
    const item = /<item>([\s\S]*?)<\/item>/.exec(rss.body)![1]!;
    const rssTitle = /<title><!\[CDATA\[([\s\S]*?)\]\]><\/title>/.exec(item)![1]!;
    const rssDescription = /<description><!\[CDATA\[([\s\S]*?)\]\]><\/description>/.exec(item)![1]!;
    expect(shown(rssTitle)).toBe(`${title}: Investigating`);
    expect(shown(rssDescription)).toBe(`${body}\n\nAffected: API`);
    for (const html of [rssTitle, rssDescription]) {
      expect(html).not.toMatch(/<(script|img)/i);
    }
  });

  it('names the worst active incident in the embed banner, newest first among equals', async () => {
    await incident('Database down', 'critical');
    await incident('Login failing', 'critical');
    await incident('Search slow', 'minor');

    const js = (await pub('/status/qa/embed.js')).body;
    // Run the script against the little of a DOM it uses.
    const made: Array<{ textContent?: string; children: unknown[] }> = [];
    let inserted: { children: Array<{ textContent?: string }> } | undefined;
    const element = () => {
      const el = {
        children: [] as unknown[],
        style: {},
        setAttribute() {},
        appendChild(c: unknown) {
          el.children.push(c);
        },
      };
      made.push(el);
      return el;
    };
    runInNewContext(js, {
      window: {},
      sessionStorage: { getItem: () => null, setItem() {} },
      document: {
        getElementById: () => null,
        createElement: element,
        body: {
          firstChild: null,
          insertBefore(bar: typeof inserted) {
            inserted = bar;
          },
        },
        addEventListener() {},
      },
    });
    expect(inserted).toBeDefined();
    expect(inserted!.children[0]!.textContent).toBe('Login failing (+2 more) — ');
  });

  it('orders banner items: major over partial over degraded over maintenance', () => {
    const ev = (id: string, impact: PublicEvent['impact'], createdAt: number) =>
      ({
        id,
        impact,
        createdAt,
        kind: impact === 'maintenance' ? 'maintenance' : 'incident',
      }) as PublicEvent;
    const ordered = bannerOrder([
      ev('none', 'none', 9),
      ev('maint', 'maintenance', 8),
      ev('minor', 'minor', 7),
      ev('major-old', 'major', 1),
      ev('major-new', 'major', 6),
      ev('critical', 'critical', 2),
    ]);
    expect(ordered.map((e) => e.id)).toEqual([
      'critical',
      'major-new',
      'major-old',
      'minor',
      'maint',
      'none',
    ]);
  });

  it('redirects a trailing slash to the page’s own address, never to the web app', async () => {
    for (const [url, location] of [
      ['/status/qa/', '/status/qa'],
      ['/status/qa/?utm=x', '/status/qa?utm=x'],
      ['/status/qa//', '/status/qa'],
      ['/status/qa/history.atom/', '/status/qa/history.atom'],
      ['/status/qa/history.rss/', '/status/qa/history.rss'],
      ['/status/qa/embed.js/', '/status/qa/embed.js'],
      ['/status/qa/api/v2/summary.json/', '/status/qa/api/v2/summary.json'],
      [
        '/status/qa/subscriptions/unsubscribe/?token=t',
        '/status/qa/subscriptions/unsubscribe?token=t',
      ],
    ] as const) {
      const res = await pub(url);
      expect([url, res.statusCode, res.headers.location]).toEqual([url, 301, location]);
    }
    expect((await pub('/status/qa')).statusCode).toBe(200);
    // On the custom domain, relative to its root.
    const onDomain = await pub('/history.rss/', { host: 'status.qa.test' });
    expect([onDomain.statusCode, onDomain.headers.location]).toEqual([301, '/history.rss']);
    // Nothing else is redirected; the rest is the page's own 404.
    for (const url of ['/status/qa/nope', '/status/qa/nope/', '/status/qa//evil.example/']) {
      const res = await pub(url);
      expect([url, res.statusCode, res.headers.location]).toEqual([url, 404, undefined]);
      expect(res.headers['content-type']).toContain('text/html');
    }
  });

  it('answers CORS preflights for the public JSON documents', async () => {
    const preflight = () =>
      app.http!.inject({
        method: 'OPTIONS',
        url: '/status/qa/api/v2/summary.json',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'if-none-match',
        },
      });
    const res = await preflight();
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('GET');
    expect(res.headers['access-control-allow-headers']).toBe('if-none-match');
    const get = await pub('/status/qa/api/v2/summary.json', { origin: 'https://shop.example' });
    expect(get.headers['access-control-allow-origin']).toBe('*');

    // A private page's JSON is not for other sites: no CORS grant.
    await requestAs(app, ada.session, 'PATCH', `/api/status-pages/${pageId}`, {
      access: 'password',
      password: 'open sesame!',
    });
    const closed = await preflight();
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();
  });
});
