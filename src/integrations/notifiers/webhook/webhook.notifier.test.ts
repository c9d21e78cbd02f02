import { afterEach, describe, expect, it } from 'vitest';
import type { FailureCase } from '../../../../test/notifiers/conformance.js';
import { describeNotifierConformance } from '../../../../test/notifiers/conformance.js';
import { HttpDouble } from '../../../../test/doubles/http-double.js';
import { verifyWebhook, WebhookReceiver } from '../../../../test/doubles/webhook-receiver.js';
import type { NotifierContext, OutboundMessage } from '../notifier.js';
import {
  generateWebhookSecret,
  signWebhook,
  webhookConfigSchema,
  webhookNotifier,
  webhookPayload,
  type WebhookConfig,
} from './webhook.notifier.js';
import { sampleIncident } from '../../../../test/notifiers/sample.js';

/** Fixed secrets, so a failure message is reproducible. */
const current = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const old = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;

describeNotifierConformance<WebhookConfig>({
  notifier: webhookNotifier,
  async start() {
    let next: { kind: FailureCase; retryAfter?: number } | undefined;
    let accepted = 0;
    const receiver = await new WebhookReceiver([current], (req) => {
      const fault = next;
      next = undefined;
      switch (fault?.kind) {
        case undefined:
          accepted += 1;
          return { status: 204 };
        case 'rate-limited':
          return {
            status: 429,
            headers: { 'retry-after': String(fault.retryAfter ?? 1) },
            body: 'slow down',
          };
        case 'server-error':
          return { status: 503, body: 'unavailable' };
        case 'client-error':
          // A receiver that quotes the request back, and the secret it shares with us.
          return {
            status: 400,
            body: { error: 'rejected', headers: req.headers, body: req.body, secret: current },
          };
        case 'hang':
          return 'hang';
      }
    }).start();
    return {
      config: webhookConfigSchema.parse({ secrets: [current, old] }),
      to: `${receiver.url}/hooks/tocsin`,
      secrets: [current, old],
      failNext(kind, retryAfter) {
        next = { kind, retryAfter };
      },
      accepted: () => accepted,
      stop: () => receiver.stop(),
    };
  },
});

const page: OutboundMessage = {
  id: '0198a3c2-7f1e-7cc4-a2b1-3d1f0e9c4b21',
  to: 'http://receiver.test/hook',
  content: {
    kind: 'page',
    text: '#42 HIGH Checkout: Checkout API error rate above 5%',
    incident: sampleIncident(),
  },
};

describe('webhookPayload', () => {
  const at = Date.UTC(2026, 0, 1, 2, 5);

  it('sends a page as incident.triggered with the incident flattened into data', () => {
    expect(webhookPayload(page, at)).toEqual({
      type: 'incident.triggered',
      timestamp: '2026-01-01T02:05:00.000Z',
      data: {
        id: 'inc_1',
        number: 42,
        title: 'Checkout API error rate above 5%',
        status: 'triggered',
        urgency: 'high',
        serviceName: 'Checkout',
        url: 'http://tocsin.test/incidents/inc_1',
        createdAt: '2026-01-01T02:00:00.000Z',
        text: '#42 HIGH Checkout: Checkout API error rate above 5%',
      },
    });
  });

  it('names updates by the incident state and the other kinds as notifications', () => {
    const inc = page.content.incident!;
    const type = (content: OutboundMessage['content']) =>
      webhookPayload({ ...page, content }, at).type;
    expect(type({ kind: 'update', text: '', incident: { ...inc, status: 'acknowledged' } })).toBe(
      'incident.acknowledged',
    );
    expect(type({ kind: 'update', text: '', incident: { ...inc, status: 'resolved' } })).toBe(
      'incident.resolved',
    );
    expect(type({ kind: 'test', text: 'hello' })).toBe('notification.test');
    expect(type({ kind: 'verify', text: 'code 123' })).toBe('notification.verify');
    const digest = webhookPayload(
      {
        ...page,
        content: {
          kind: 'digest',
          text: '2 incidents',
          digest: { count: 2, incidents: [{ number: 42, title: 'a' }] },
        },
      },
      at,
    );
    expect(digest).toMatchObject({
      type: 'notification.digest',
      data: { text: '2 incidents', digest: { count: 2 } },
    });
    expect(webhookPayload({ ...page, content: { kind: 'test', text: 'hi' } }, at).data).toEqual({
      text: 'hi',
    });
  });
});

describe('webhookConfigSchema', () => {
  it('takes whsec_ secrets of 24 to 64 bytes, at least one', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookConfigSchema.parse({ secrets: [secret, old] }).secrets).toEqual([secret, old]);
    const bad = (secrets: unknown) => webhookConfigSchema.safeParse({ secrets }).success;
    expect(bad([])).toBe(false);
    expect(bad([Buffer.alloc(32).toString('base64')])).toBe(false);
    expect(bad([`whsec_${Buffer.alloc(16).toString('base64')}`])).toBe(false);
    expect(bad([`whsec_${Buffer.alloc(65).toString('base64')}`])).toBe(false);
    expect(bad(['whsec_not base64!'])).toBe(false);
    expect(bad([`whsec_${Buffer.alloc(64).toString('base64')}`])).toBe(true);
  });
});

describe('webhook notifier', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function receiver(
    secrets: string[],
    answer?: ConstructorParameters<typeof WebhookReceiver>[1],
  ) {
    const r = await new WebhookReceiver(secrets, answer).start();
    cleanup.push(() => r.stop());
    return r;
  }

  const ctx = (secrets: string[], f: typeof fetch = fetch): NotifierContext<WebhookConfig> => ({
    config: webhookConfigSchema.parse({ secrets }),
    fetch: f,
    timeoutMs: 1000,
    publicUrl: 'http://tocsin.test',
  });

  it('signs with every secret during a rotation: the new one, the old one, never a stranger', async () => {
    const next = generateWebhookSecret();
    const r = await receiver([next]);
    const out = await webhookNotifier.send({ ...page, to: `${r.url}/hook` }, ctx([next, current]));
    expect(out).toEqual({ ok: true });
    const [req] = await r.waitFor(1);
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['webhook-id']).toBe(page.id);
    expect(Number(req!.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
    const signatures = String(req!.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    for (const s of signatures) expect(s).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    // A receiver that moved to the new secret, one that still holds the old, one with neither.
    expect(r.received[0]).toMatchObject({
      verified: true,
      payload: { type: 'incident.triggered' },
    });
    expect(verifyWebhook(req!, [current]).verified).toBe(true);
    const stranger = verifyWebhook(req!, [generateWebhookSecret()]);
    expect(stranger).toMatchObject({ verified: false, error: 'No matching signature found' });
    // And the body is what was signed: one changed byte and nothing verifies.
    const tampered = { ...req!, body: req!.body.replace('"number":42', '"number":43') };
    expect(verifyWebhook(tampered, [next, current]).verified).toBe(false);
    // Each signature is the current one's and the old one's, in that order.
    const ts = Number(req!.headers['webhook-timestamp']);
    expect(signWebhook(page.id, ts, req!.body, [next])).toBe(signatures[0]);
    expect(signWebhook(page.id, ts, req!.body, [current])).toBe(signatures[1]);
  });

  it('keeps the webhook-id across retries so the receiver can drop the duplicate', async () => {
    const r = await receiver([current]);
    r.respondNext({ status: 502 });
    const msg = { ...page, to: `${r.url}/hook` };
    expect(await webhookNotifier.send(msg, ctx([current]))).toMatchObject({
      ok: false,
      retryable: true,
      status: 502,
      reason: 'webhook 502',
    });
    expect(await webhookNotifier.send(msg, ctx([current]))).toEqual({ ok: true });
    const ids = r.received.map((w) => w.request.headers['webhook-id']);
    expect(ids).toEqual([page.id, page.id]);
    expect(r.received.every((w) => w.verified)).toBe(true);
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    const elsewhere = await receiver([current]);
    const r = await receiver([current], () => ({
      status: 307,
      headers: { location: `${elsewhere.url}/stolen` },
    }));
    const out = await webhookNotifier.send({ ...page, to: `${r.url}/hook` }, ctx([current]));
    expect(out).toMatchObject({ ok: false, retryable: false, status: 307, reason: 'webhook 307' });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('gives up on 410 Gone', async () => {
    const r = await receiver([current], () => ({ status: 410 }));
    const out = await webhookNotifier.send({ ...page, to: `${r.url}/hook` }, ctx([current]));
    expect(out).toMatchObject({ ok: false, retryable: false, status: 410 });
  });

  it('never names the URL, which may carry a token, when the connection fails', async () => {
    const gone = await new HttpDouble(() => ({ status: 204 })).start();
    await gone.stop();
    const to = `${gone.url}/hook?token=tok_5f2d9c8e7a6b`;
    const out = await webhookNotifier.send({ ...page, to }, ctx([current]));
    expect(out).toMatchObject({ ok: false, retryable: true });
    if (!out.ok) {
      expect(out.reason).not.toContain('tok_5f2d9c8e7a6b');
      expect(out.reason).not.toContain(current);
    }
  });

  it('goes through ctx.fetch, and a request the SSRF guard refuses is not retried', async () => {
    const urls: string[] = [];
    const guarded = (async (input: string | URL | Request) => {
      urls.push(String(input));
      throw Object.assign(new TypeError('fetch failed'), {
        cause: { code: 'SSRF_BLOCKED', message: 'address 10.0.0.5 is not public' },
      });
    }) as typeof fetch;
    const out = await webhookNotifier.send(
      { ...page, to: 'http://intranet.test/hook' },
      ctx([current], guarded),
    );
    expect(urls).toEqual(['http://intranet.test/hook']);
    expect(out).toEqual({ ok: false, retryable: false, reason: 'address 10.0.0.5 is not public' });
  });

  it('refuses a URL that is not http(s) without sending', async () => {
    const calls: unknown[] = [];
    const spy = (async (...args: unknown[]) => {
      calls.push(args);
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    for (const to of ['ftp://receiver.test/hook', 'not a url', 'file:///etc/passwd']) {
      expect(await webhookNotifier.send({ ...page, to }, ctx([current], spy))).toEqual({
        ok: false,
        retryable: false,
        reason: 'webhook: not an http(s) URL',
      });
    }
    expect(calls).toHaveLength(0);
  });
});
