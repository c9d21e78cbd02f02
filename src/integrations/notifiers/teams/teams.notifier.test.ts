import { afterEach, describe, expect, it } from 'vitest';
import { HttpDouble, type ScriptedResponse } from '../../../../test/doubles/http-double.js';
import {
  describeNotifierConformance,
  type FailureCase,
} from '../../../../test/notifiers/conformance.js';
import type { NotifierContext, OutboundMessage } from '../notifier.js';
import { teamsCard, teamsConfigSchema, teamsNotifier, type TeamsConfig } from './teams.notifier.js';
import { sampleIncident } from '../../../../test/notifiers/sample.js';

/** The shape of a classic connector URL: the path holds the channel's keys. */
const hookPath =
  '/webhookb2/3f2b1c4d-0000-4000-8000-000000000001@9a8b7c6d-0000-4000-8000-000000000002/IncomingWebhook/5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b/0c1d2e3f-0000-4000-8000-000000000003';

/** Teams answers a delivered card with 200 and the body "1". */
function teamsDouble(answer?: (path: string) => ScriptedResponse | undefined) {
  return new HttpDouble((req) => answer?.(req.path) ?? { status: 200, body: '1' });
}

describeNotifierConformance<TeamsConfig>({
  notifier: teamsNotifier,
  async start() {
    let next: { kind: FailureCase; retryAfter?: number } | undefined;
    let accepted = 0;
    let to = '';
    const double = await new HttpDouble(() => {
      const fault = next;
      next = undefined;
      switch (fault?.kind) {
        case undefined:
          accepted += 1;
          return { status: 200, body: '1' };
        case 'rate-limited':
          return { status: 429, headers: { 'retry-after': String(fault.retryAfter ?? 1) } };
        case 'server-error':
          return { status: 503, body: 'Service Unavailable' };
        case 'client-error':
          // An error page that quotes the URL it was called on: the channel's credential.
          return { status: 400, body: `Bad payload posted to ${to} (path ${hookPath})` };
        case 'hang':
          return 'hang';
      }
    }).start();
    to = `${double.url}${hookPath}`;
    return {
      config: teamsConfigSchema.parse(undefined),
      to,
      secrets: [to],
      failNext(kind, retryAfter) {
        next = { kind, retryAfter };
      },
      accepted: () => accepted,
      stop: () => double.stop(),
    };
  },
});

const page: OutboundMessage = {
  id: 'msg_1',
  to: 'https://example.webhook.office.com/webhookb2/x',
  content: {
    kind: 'page',
    text: '#42 HIGH Checkout: Checkout API error rate above 5%',
    incident: sampleIncident(),
  },
};

/** All literal text in a card's body, one string per block. */
function texts(card: ReturnType<typeof teamsCard>): string[] {
  return card.attachments[0]!.content.body.map((b) => b.inlines.map((r) => r.text).join(''));
}

describe('teamsCard', () => {
  it('is a message with one Adaptive Card 1.4 attachment', () => {
    const card = teamsCard(page);
    expect(card).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
          },
        },
      ],
    });
    expect(texts(card)).toEqual([
      '#42 Checkout API error rate above 5%',
      'Service: Checkout',
      'Status: Triggered',
      'Urgency: High',
      'Opened: 2026-01-01 02:00 UTC',
    ]);
    expect(card.attachments[0]!.content.body[0]!.inlines[0]).toMatchObject({
      weight: 'Bolder',
      color: 'Attention',
    });
    expect(card.attachments[0]!.content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open incident #42',
        url: 'http://tocsin.test/incidents/inc_1',
      },
    ]);
  });

  it('adds Acknowledge and Resolve when links are present, and drops them as the incident moves on', () => {
    const links = { acknowledge: 'http://tocsin.test/a/ack', resolve: 'http://tocsin.test/a/res' };
    const titles = (status: 'triggered' | 'acknowledged' | 'resolved') =>
      teamsCard({
        ...page,
        content: {
          ...page.content,
          kind: status === 'triggered' ? 'page' : 'update',
          incident: { ...page.content.incident!, status },
          links,
        },
      }).attachments[0]!.content.actions.map((a) => `${a.title} ${a.url}`);
    expect(titles('triggered')).toEqual([
      'Acknowledge #42 http://tocsin.test/a/ack',
      'Resolve #42 http://tocsin.test/a/res',
      'Open incident #42 http://tocsin.test/incidents/inc_1',
    ]);
    expect(titles('acknowledged')).toEqual([
      'Resolve #42 http://tocsin.test/a/res',
      'Open incident #42 http://tocsin.test/incidents/inc_1',
    ]);
    expect(titles('resolved')).toEqual(['Open incident #42 http://tocsin.test/incidents/inc_1']);
  });

  it('keeps alert text literal: only RichTextBlock, no Markdown-rendering elements, no odd links', () => {
    const card = teamsCard(
      {
        ...page,
        content: {
          ...page.content,
          incident: {
            ...page.content.incident!,
            title: '[click me](https://evil.example) **now**',
            url: '/incidents/inc_1',
          },
          links: { acknowledge: 'javascript:alert(1)' },
        },
      },
      'https://tocsin.example.com',
    );
    const json = JSON.stringify(card);
    expect(json).not.toContain('"TextBlock"');
    expect(json).not.toContain('"FactSet"');
    expect(texts(card)[0]).toBe('#42 [click me](https://evil.example) **now**');
    expect(card.attachments[0]!.content.actions.map((a) => a.url)).toEqual([
      'https://tocsin.example.com/incidents/inc_1',
    ]);
  });

  it('renders test, verify and digest messages around their text', () => {
    const test = teamsCard({ ...page, content: { kind: 'test', text: 'Test from Ada' } });
    expect(texts(test)).toEqual(['Tocsin test notification', 'Test from Ada']);
    expect(test.attachments[0]!.content.actions).toEqual([]);
    const digest = teamsCard({
      ...page,
      content: {
        kind: 'digest',
        text: 'Tocsin: 2 incidents need you: #42, #43',
        incident: page.content.incident,
        digest: {
          count: 2,
          incidents: [
            { number: 42, title: 'a' },
            { number: 43, title: 'b' },
          ],
        },
      },
    });
    expect(texts(digest)).toEqual([
      '2 incidents need attention',
      '#42 a',
      '#43 b',
      'Tocsin: 2 incidents need you: #42, #43',
    ]);
  });
});

describe('teams notifier', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(answer?: (path: string) => ScriptedResponse | undefined) {
    const d = await teamsDouble(answer).start();
    cleanup.push(() => d.stop());
    return { double: d, to: `${d.url}${hookPath}` };
  }

  const ctx: NotifierContext<TeamsConfig> = {
    config: teamsConfigSchema.parse(undefined),
    fetch,
    timeoutMs: 1000,
    publicUrl: 'http://tocsin.test',
  };

  it('posts the card as JSON to the webhook URL', async () => {
    const { double, to } = await start();
    expect(await teamsNotifier.send({ ...page, to }, ctx)).toEqual({ ok: true });
    const [req] = await double.waitFor(1);
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe(hookPath);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual(teamsCard({ ...page, to }, ctx.publicUrl));
  });

  it('takes a Workflows webhook 202 with an empty body as delivered', async () => {
    const { to } = await start(() => ({ status: 202 }));
    expect(await teamsNotifier.send({ ...page, to }, ctx)).toEqual({ ok: true });
  });

  it.each([
    [429, true],
    [400, false],
    [413, false],
    [500, true],
  ])(
    'reads a failure the connector reports inside a 200 (HTTP error %i)',
    async (code, retryable) => {
      const { to } = await start(() => ({
        status: 200,
        body: `Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error ${code} with ContextId tcid=0,server=msgapi-production,cv=abc.0..`,
      }));
      const out = await teamsNotifier.send({ ...page, to }, ctx);
      expect(out).toEqual({
        ok: false,
        retryable,
        status: code,
        reason: `teams ${code} (in a 200 answer)`,
      });
    },
  );

  it('retries an embedded failure that names no status', async () => {
    const { to } = await start(() => ({
      status: 200,
      body: 'Webhook message delivery failed with error: Error contacting Microsoft Teams endpoint',
    }));
    expect(await teamsNotifier.send({ ...page, to }, ctx)).toMatchObject({
      ok: false,
      retryable: true,
      status: 502,
    });
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await teamsDouble().start();
    cleanup.push(() => elsewhere.stop());
    const { to } = await start(() => ({
      status: 302,
      headers: { location: `${elsewhere.url}/x` },
    }));
    expect(await teamsNotifier.send({ ...page, to }, ctx)).toMatchObject({
      ok: false,
      retryable: false,
      status: 302,
      reason: 'teams 302',
    });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('never names the webhook URL when the connection fails', async () => {
    const d = await teamsDouble().start();
    await d.stop();
    const to = `${d.url}${hookPath}`;
    const out = await teamsNotifier.send({ ...page, to }, ctx);
    expect(out).toMatchObject({ ok: false, retryable: true });
    if (!out.ok) {
      expect(out.reason).not.toContain(to);
      expect(out.reason).not.toContain('IncomingWebhook');
    }
  });

  it('refuses an address that is not an http(s) URL', async () => {
    expect(await teamsNotifier.send({ ...page, to: 'teams-channel' }, ctx)).toEqual({
      ok: false,
      retryable: false,
      reason: 'teams: not an http(s) URL',
    });
  });
});
