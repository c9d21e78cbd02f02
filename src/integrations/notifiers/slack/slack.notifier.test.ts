import { describe, expect, it, vi } from 'vitest';
import { SlackDouble } from '../../../../test/doubles/slack-double.js';
import {
  describeNotifierConformance,
  type ConformanceRig,
} from '../../../../test/notifiers/conformance.js';
import type { NotificationContent, NotifierContext, OutboundMessage } from '../notifier.js';
import {
  renderSlackMessage,
  slackConfigSchema,
  slackNotifier,
  type SlackBlock,
  type SlackConfig,
} from './slack.notifier.js';

const botToken = 'xoxb-1111111111-2222222222-TocsinTestBotToken';
const signingSecret = 'c0ffee8f742231b10e8888abcd99fe85';

async function startRig(): Promise<ConformanceRig<SlackConfig> & { double: SlackDouble }> {
  const double = await new SlackDouble({ botToken }).start();
  let serverErrors = 0;
  return {
    double,
    config: { botToken, signingSecret, apiUrl: `${double.url}/api` },
    to: 'U0ALICE001',
    secrets: [botToken, signingSecret],
    failNext(kind, retryAfterSeconds = 1) {
      if (kind === 'rate-limited')
        double.respondNext({
          status: 429,
          headers: { 'retry-after': String(retryAfterSeconds) },
          body: { ok: false, error: 'ratelimited' },
        });
      else if (kind === 'server-error')
        double.respondNext({
          status: serverErrors++ % 2 === 0 ? 500 : 503,
          body: `upstream failed for ${botToken}`,
        });
      else if (kind === 'client-error')
        // Slack's permanent failures are HTTP 200; this one also echoes the request, token and all.
        double.respondNextWith((req) => ({
          status: 200,
          body: { ok: false, error: 'channel_not_found', echo: { headers: req.headers } },
        }));
      else double.respondNext('hang');
    },
    accepted: () => double.messages.length,
    stop: () => double.stop(),
  };
}

describeNotifierConformance({ notifier: slackNotifier, start: startRig });

type Status = 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';

function incidentContent(
  status: Status,
  over: Partial<NonNullable<NotificationContent['incident']>> = {},
  kind: NotificationContent['kind'] = status === 'triggered' ? 'page' : 'update',
): NotificationContent {
  return {
    kind,
    text: `#42 [critical] Checkout API error rate above 5% (${status})`,
    incident: {
      id: 'inc_1',
      number: 42,
      title: 'Checkout API error rate above 5%',
      status,
      urgency: 'high',
      serviceName: 'Checkout',
      url: 'http://tocsin.test/incidents/inc_1',
      createdAt: Date.UTC(2026, 0, 1, 2, 0),
      ...over,
    },
  };
}

const msg = (to: string, content: NotificationContent): OutboundMessage => ({
  id: 'msg_1',
  to,
  content,
});

async function withDouble(
  fn: (d: SlackDouble, ctx: NotifierContext<SlackConfig>) => Promise<void>,
  config: Partial<SlackConfig> = {},
) {
  const double = await new SlackDouble({ botToken }).start();
  const ctx: NotifierContext<SlackConfig> = {
    config: { botToken, signingSecret, apiUrl: `${double.url}/api`, ...config },
    fetch: vi.fn(fetch),
    timeoutMs: 2000,
    publicUrl: 'http://tocsin.test',
  };
  try {
    await fn(double, ctx);
  } finally {
    await double.stop();
  }
}

const actionsOf = (blocks: SlackBlock[] | undefined) =>
  (blocks ?? []).filter((b) => b.type === 'actions');
const buttonsOf = (blocks: SlackBlock[] | undefined) =>
  actionsOf(blocks).flatMap(
    (b) => b.elements as Array<{ action_id: string; value: string; type: string }>,
  );
const allText = (blocks: SlackBlock[] | undefined) => JSON.stringify(blocks ?? []);

describe('slack notifier: sending', () => {
  it('posts a page to the user, authenticated by the bot token, through ctx.fetch', async () => {
    await withDouble(async (double, ctx) => {
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      const [req] = double.requests;
      expect(req?.path).toBe('/api/chat.postMessage');
      expect(req?.headers.authorization).toBe(`Bearer ${botToken}`);
      expect(req?.headers['content-type']).toMatch(/^application\/json/);
      expect(ctx.fetch).toHaveBeenCalledTimes(1);
      const posted = double.messages[0]!;
      expect(posted.requestedChannel).toBe('U0ALICE001');
      expect(posted.text).toContain('#42');
      // A user id lands in the app's DM; chat.update later needs that D… id, not the user id.
      expect(posted.channel).toBe(double.dmChannelFor('U0ALICE001'));
      expect(out).toEqual({ ok: true, providerRef: `${posted.channel}:${posted.ts}` });
    });
  });

  it('posts into a channel when given a channel id', async () => {
    await withDouble(async (double, ctx) => {
      const out = await slackNotifier.send(msg('C0INCIDENTS', incidentContent('triggered')), ctx);
      expect(out).toEqual({ ok: true, providerRef: `C0INCIDENTS:${double.messages[0]!.ts}` });
    });
  });

  it('works with a trailing slash on apiUrl', async () => {
    const double = await new SlackDouble({ botToken }).start();
    try {
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), {
        config: { botToken, signingSecret, apiUrl: `${double.url}/api/` },
        fetch,
        timeoutMs: 2000,
        publicUrl: undefined,
      });
      expect(out.ok).toBe(true);
      expect(double.requests[0]?.path).toBe('/api/chat.postMessage');
    } finally {
      await double.stop();
    }
  });

  it('refuses an empty address without calling Slack', async () => {
    await withDouble(async (double, ctx) => {
      const out = await slackNotifier.send(msg('  ', incidentContent('triggered')), ctx);
      expect(out).toMatchObject({ ok: false, retryable: false });
      expect(double.requests).toHaveLength(0);
    });
  });
});

describe('slack notifier: Block Kit rendering', () => {
  it('shows Acknowledge, Resolve and Escalate while triggered, valued with the incident id', async () => {
    await withDouble(async (double, ctx) => {
      await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      const buttons = buttonsOf(double.messages[0]!.blocks);
      expect(buttons.map((b) => b.action_id)).toEqual([
        'tocsin_acknowledge',
        'tocsin_resolve',
        'tocsin_escalate',
      ]);
      expect(buttons.every((b) => b.type === 'button' && b.value === 'inc_1')).toBe(true);
    });
  });

  it('shows only Resolve once acknowledged or mitigated, and no buttons once resolved', () => {
    for (const status of ['acknowledged', 'mitigated'] as const)
      expect(buttonsOf(renderSlackMessage(incidentContent(status)).blocks)).toEqual([
        expect.objectContaining({ action_id: 'tocsin_resolve', value: 'inc_1' }),
      ]);
    expect(actionsOf(renderSlackMessage(incidentContent('resolved')).blocks)).toEqual([]);
  });

  it('shows number, title, service, urgency and status, linking to the incident', () => {
    for (const status of ['triggered', 'acknowledged', 'mitigated', 'resolved'] as const) {
      const { blocks } = renderSlackMessage(incidentContent(status, { urgency: 'low' }));
      const text = allText(blocks);
      expect(text).toContain('<http://tocsin.test/incidents/inc_1|#42 Checkout API error rate');
      expect(text).toContain('Checkout');
      expect(text).toContain('Low');
      expect(text).toContain(
        {
          triggered: 'Triggered',
          acknowledged: 'Acknowledged',
          mitigated: 'Mitigated',
          resolved: 'Resolved',
        }[status],
      );
    }
  });

  it('makes a relative incident link absolute with the public URL, and drops it without one', () => {
    const relative = incidentContent('triggered', { url: '/incidents/inc_1' });
    expect(allText(renderSlackMessage(relative, 'https://tocsin.example').blocks)).toContain(
      '<https://tocsin.example/incidents/inc_1|#42',
    );
    const bare = allText(renderSlackMessage(relative, undefined).blocks);
    expect(bare).toContain('#42 Checkout');
    expect(bare).not.toContain('/incidents/inc_1|');
  });

  it('escapes alert text so a title cannot ping a channel or forge a link', () => {
    const hostile = incidentContent('triggered', {
      title: '<!channel> & <https://evil.example|click me>',
      serviceName: '<!here>',
    });
    const { blocks, text } = renderSlackMessage({ ...hostile, text: '<!everyone> down' });
    const all = allText(blocks) + text;
    expect(all).not.toMatch(/<!channel>|<!here>|<!everyone>|<https:\/\/evil/);
    expect(all).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click me&gt;');
  });

  it('caps a very long title below Slack block limits', () => {
    const { blocks } = renderSlackMessage(
      incidentContent('triggered', { title: 'x'.repeat(5000) }),
    );
    const section = blocks[0] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThan(3000);
  });

  it('renders test, verify and digest messages simply, without buttons', async () => {
    await withDouble(async (double, ctx) => {
      const contents: NotificationContent[] = [
        { kind: 'test', text: 'Test message from Tocsin' },
        { kind: 'verify', text: 'Your Tocsin verification code is 123456' },
        {
          kind: 'digest',
          text: '14 incidents need you',
          digest: {
            count: 14,
            incidents: Array.from({ length: 14 }, (_, i) => ({
              number: i + 1,
              title: `Disk full on db-${i}`,
            })),
          },
        },
      ];
      for (const c of contents)
        expect(await slackNotifier.send(msg('U0ALICE001', c), ctx)).toMatchObject({ ok: true });
      const [test, verify, digest] = double.messages;
      expect(allText(test?.blocks)).toContain('Test message from Tocsin');
      expect(allText(verify?.blocks)).toContain('123456');
      expect(allText(digest?.blocks)).toContain('#1 Disk full on db-0');
      expect(allText(digest?.blocks)).toContain('…and 4 more');
      for (const m of double.messages) expect(actionsOf(m.blocks)).toEqual([]);
    });
  });
});

describe('slack notifier: update in place', () => {
  it('rewrites the same message as the incident moves on, with chat.update', async () => {
    await withDouble(async (double, ctx) => {
      const sent = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      if (!sent.ok) throw new Error(sent.reason);
      const ref = sent.providerRef!;
      const acked = await slackNotifier.update!(
        ref,
        msg('U0ALICE001', incidentContent('acknowledged')),
        ctx,
      );
      expect(acked).toEqual({ ok: true, providerRef: ref });
      expect(double.requests.at(-1)?.path).toBe('/api/chat.update');
      expect(double.requests.at(-1)?.headers.authorization).toBe(`Bearer ${botToken}`);
      const [channel, ts] = ref.split(':');
      expect(double.updates[0]).toMatchObject({ channel, ts });
      expect(double.messages).toHaveLength(1);
      expect(buttonsOf(double.messages[0]!.blocks).map((b) => b.action_id)).toEqual([
        'tocsin_resolve',
      ]);

      await slackNotifier.update!(ref, msg('U0ALICE001', incidentContent('resolved')), ctx);
      expect(double.updates).toHaveLength(2);
      expect(actionsOf(double.messages[0]!.blocks)).toEqual([]);
      expect(allText(double.messages[0]!.blocks)).toContain('Resolved');
    });
  });

  it('refuses a malformed reference without calling Slack', async () => {
    await withDouble(async (double, ctx) => {
      const out = await slackNotifier.update!(
        'not-a-ref',
        msg('U0ALICE001', incidentContent('resolved')),
        ctx,
      );
      expect(out).toMatchObject({ ok: false, retryable: false });
      expect(double.requests).toHaveLength(0);
    });
  });

  it('reports a message Slack no longer has as permanent', async () => {
    await withDouble(async (double, ctx) => {
      const sent = await slackNotifier.send(msg('C0INCIDENTS', incidentContent('triggered')), ctx);
      expect(sent.ok).toBe(true);
      const out = await slackNotifier.update!(
        'C0INCIDENTS:1600000000.000001',
        msg('C0INCIDENTS', incidentContent('resolved')),
        ctx,
      );
      expect(out).toEqual({ ok: false, retryable: false, reason: 'slack: message_not_found' });
    });
  });
});

describe('slack notifier: outcomes', () => {
  const cases: Array<[string, boolean]> = [
    ['ratelimited', true],
    ['internal_error', true],
    ['fatal_error', true],
    ['service_unavailable', true],
    ['request_timeout', true],
    ['invalid_auth', false],
    ['channel_not_found', false],
    ['not_in_channel', false],
    ['account_inactive', false],
    ['is_archived', false],
    ['invalid_blocks', false],
  ];
  it.each(cases)('maps {ok:false, error:%s} to retryable=%s', async (code, retryable) => {
    await withDouble(async (double, ctx) => {
      double.respondNext({ status: 200, body: { ok: false, error: code } });
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      expect(out).toMatchObject({ ok: false, retryable, reason: `slack: ${code}` });
    });
  });

  it("reads Retry-After for Slack's in-body rate limit and reports it as a 429", async () => {
    await withDouble(async (double, ctx) => {
      double.respondNext({
        status: 200,
        headers: { 'retry-after': '3' },
        body: { ok: false, error: 'ratelimited' },
      });
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      expect(out).toEqual({
        ok: false,
        retryable: true,
        reason: 'slack: ratelimited',
        status: 429,
        retryAfterMs: 3000,
      });
    });
  });

  it('reports a wrong bot token as invalid_auth, permanently, without quoting it', async () => {
    await withDouble(
      async (_double, ctx) => {
        const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
        expect(out).toEqual({ ok: false, retryable: false, reason: 'slack: invalid_auth' });
      },
      { botToken: 'xoxb-0000-wrong-token' },
    );
  });

  it('quotes only a well-formed error code, never what the body says instead', async () => {
    await withDouble(async (double, ctx) => {
      double.respondNext({ status: 200, body: { ok: false, error: `bad token ${botToken}` } });
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      expect(out).toEqual({ ok: false, retryable: false, reason: 'slack: unknown_error' });
    });
  });

  it('reports HTTP 5xx by status alone, whatever the body holds', async () => {
    await withDouble(async (double, ctx) => {
      double.respondNext({ status: 502, body: `proxy saw Bearer ${botToken}` });
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      expect(out).toEqual({ ok: false, retryable: true, reason: 'slack: HTTP 502', status: 502 });
    });
  });

  it('treats a 2xx that is not Slack JSON as a retryable failure, not a delivery', async () => {
    await withDouble(async (double, ctx) => {
      double.respondNext({ status: 200, body: '<html>maintenance</html>' });
      const out = await slackNotifier.send(msg('U0ALICE001', incidentContent('triggered')), ctx);
      expect(out).toMatchObject({
        ok: false,
        retryable: true,
        reason: 'slack: unreadable response',
      });
      expect(double.messages).toHaveLength(0);
    });
  });
});

describe('slack notifier: settings', () => {
  it('requires a bot token and a signing secret, and defaults the API URL to slack.com', () => {
    const parsed = slackConfigSchema.parse({ botToken, signingSecret });
    expect(parsed.apiUrl).toBe('https://slack.com/api');
    expect(
      slackConfigSchema.safeParse({ botToken: 'xoxp-user-token', signingSecret }).success,
    ).toBe(false);
    expect(slackConfigSchema.safeParse({ botToken }).success).toBe(false);
    expect(
      slackConfigSchema.safeParse({ botToken, signingSecret, apiUrl: 'file:///etc/passwd' })
        .success,
    ).toBe(false);
  });

  it('declares both secrets and its capabilities', () => {
    expect(slackNotifier.secretFields).toEqual(['botToken', 'signingSecret']);
    expect(slackNotifier.capabilities).toEqual({
      addressKind: 'slack',
      updateInPlace: true,
      deliveryReceipts: false,
      interactive: true,
    });
  });
});
