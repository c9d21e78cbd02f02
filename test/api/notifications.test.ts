import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { Config } from '../../src/config/config.js';
import type { DefaultHandler } from '../doubles/http-double.js';
import { SlackDouble } from '../doubles/slack-double.js';
import { WebhookReceiver } from '../doubles/webhook-receiver.js';
import {
  addNotificationRule,
  addSignedInMember,
  addVerifiedContact,
  configureNotifier,
  createPagedService,
  createTeam,
  loginAdmin,
} from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  type Session,
  type TestApp,
} from '../harness.js';

// Delivery through a real notifier (Standard Webhooks) to a local receiver that can be told to
// fail: retries with backoff and Retry-After, permanent failures, dead letters and fallbacks,
// storms folded into digests, provider outages, and what happens to secrets.

const system = systemActor('test');
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const second = 1000;

describeEachStore('notifications: delivery, retries, fallbacks', (kind) => {
  let app: TestApp;
  let hook: WebhookReceiver;
  let admin: Session;
  let ada: { id: string; session: Session };
  let teamId: string;
  let logs: string[];

  async function setup(config: Partial<Config> = {}, answer?: DefaultHandler) {
    hook = await new WebhookReceiver([secret], answer).start();
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T02:00:00Z'),
      random: () => 0,
      config,
      logger: createLogger({ level: 'trace', destination: sink }),
    });
    admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'webhook', { secrets: [secret] });
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
  }
  afterEach(async () => {
    await app?.close();
    await hook?.stop();
  });

  /** A verified webhook contact method of Ada's at `path`, with a rule at 0 min if `rule`. */
  async function method(path: string, rule = true): Promise<string> {
    const id = await addVerifiedContact(
      app,
      ada.session,
      { type: 'webhook', label: path, address: `${hook.url}${path}` },
      () => hook.requests.at(-1)!.body,
    );
    if (rule) await addNotificationRule(app, ada.session, id, 0);
    return id;
  }

  /** A service paging Ada; returns a function that triggers `n` incidents on it. */
  async function service(name = 'Checkout') {
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: `${name} policy`,
      repeatCount: 0,
      levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: ada.id }] }],
    });
    const { key } = await createPagedService(app, teamId, name, policy.id);
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    let seq = 0;
    return async (n = 1): Promise<string[]> => {
      const outcomes = await app.services.ingest.ingest(
        ref,
        Array.from({ length: n }, () => ({
          action: 'trigger' as const,
          dedupKey: `${name}-${++seq}`,
          summary: `${name} is failing (${seq})`,
          severity: 'critical' as const,
          labels: { alertname: `${name}-${seq}` },
          raw: {},
        })),
      );
      await app.engine!.runUntilIdle();
      return outcomes.map((o) => o.incidentId!);
    };
  }

  const pagesTo = (path: string) =>
    hook.received.filter(
      (r) =>
        r.request.path === path && (r.payload as { type: string }).type.startsWith('incident.'),
    );

  async function deliveries(incidentId: string): Promise<string[]> {
    const res = await app.http!.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}/deliveries`,
      headers: asSession(admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Array<{ outcome: string; statusCode: number | null }>)
      .reverse()
      .map((d) => `${d.outcome}${d.statusCode ? ` ${d.statusCode}` : ''}`);
  }

  describe('with the default allow-list', () => {
    beforeEach(() => setup());

    it('retries a 503 with backoff and a 429 only after its Retry-After, then delivers, signed', async () => {
      await method('/a');
      const trigger = await service();
      hook.respondNext({ status: 503 }, { status: 429, headers: { 'retry-after': '30' } });
      const [incidentId] = await trigger();
      expect(hook.requests.filter((r) => r.path === '/a')).toHaveLength(2); // verify code + 503
      // First retry after 5 s × (½ + ½·0) = 2.5 s.
      app.clock.fastForward(2.4 * second);
      await app.engine!.runUntilIdle();
      expect(hook.requests.filter((r) => r.path === '/a')).toHaveLength(2);
      app.clock.fastForward(0.1 * second);
      await app.engine!.runUntilIdle();
      expect(hook.requests.filter((r) => r.path === '/a')).toHaveLength(3); // 429
      app.clock.fastForward(29 * second);
      await app.engine!.runUntilIdle();
      expect(hook.requests.filter((r) => r.path === '/a')).toHaveLength(3);
      app.clock.fastForward(1 * second);
      await app.engine!.runUntilIdle();
      const pages = pagesTo('/a');
      expect(pages).toHaveLength(3);
      // Every attempt carries the same webhook-id: receivers can dedupe a retry.
      expect(new Set(pages.map((p) => p.request.headers['webhook-id'])).size).toBe(1);
      expect(pages.every((p) => p.verified)).toBe(true);
      expect(await deliveries(incidentId!)).toEqual(['retry 503', 'retry 429', 'sent']);
    });

    it('never retries a 4xx: dead letter, timeline, the next contact method at once; admins can resend', async () => {
      await method('/a');
      await method('/b', false);
      const trigger = await service();
      hook.respondNext({ status: 410 });
      const [incidentId] = await trigger();
      expect(pagesTo('/a')).toHaveLength(1);
      expect(pagesTo('/b')).toHaveLength(1);
      app.clock.fastForward(10 * 60 * second);
      await app.engine!.runUntilIdle();
      expect(pagesTo('/a')).toHaveLength(1);
      expect(await deliveries(incidentId!)).toEqual(['failed 410', 'fallback', 'sent']);
      const incident = await app.http!.inject({
        method: 'GET',
        url: `/api/incidents/${incidentId}`,
        headers: asSession(admin),
      });
      expect(
        (incident.json().timeline as Array<{ kind: string; message: string }>).find(
          (t) => t.kind === 'notification.failed',
        )?.message,
      ).toBe('Could not notify Ada by webhook (webhook 410); trying webhook next');

      const dead = await app.http!.inject({
        method: 'GET',
        url: '/api/deliveries/dead-letters',
        headers: asSession(admin),
      });
      expect(dead.json().items).toHaveLength(1);
      const notAdmin = await app.http!.inject({
        method: 'GET',
        url: '/api/deliveries/dead-letters',
        headers: asSession(ada.session),
      });
      expect(notAdmin.statusCode).toBe(403);
      const retry = await app.http!.inject({
        method: 'POST',
        url: `/api/deliveries/${dead.json().items[0].id}/retry`,
        headers: asSession(admin),
      });
      expect(retry.statusCode).toBe(202);
      await app.engine!.runUntilIdle();
      expect(pagesTo('/a')).toHaveLength(2);
    });

    it('folds a storm of pages due at once into one digest', async () => {
      await method('/a');
      const trigger = await service();
      const ids = await trigger(5);
      const pages = hook.received.filter((r) => r.request.path === '/a').slice(1);
      expect(pages).toHaveLength(1);
      expect(pages[0]!.payload).toMatchObject({
        type: 'notification.digest',
        data: { digest: { count: 5 } },
      });
      for (const id of ids) {
        const log = await deliveries(id);
        expect(log.length).toBe(1);
        expect(['sent', 'digested']).toContain(log[0]);
      }
    });

    /** What `path` received after its verification code: [type, digest count, incident numbers]. */
    const sentTo = (path: string) =>
      hook.received
        .filter((r) => r.request.path === path)
        .slice(1)
        .map((r) => {
          const p = r.payload as {
            type: string;
            data: { number?: number; digest?: { incidents: Array<{ number: number }> } };
          };
          return [p.type, p.data.digest?.incidents.map((i) => i.number) ?? [p.data.number]];
        });
    const numberOf = async (id: string) =>
      (
        await app.db
          .selectFrom('incidents')
          .select('number')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).number;

    it('retries a failed digest as the digest, leaving out incidents acknowledged meanwhile', async () => {
      await method('/a');
      const trigger = await service();
      hook.respondNext({ status: 503 });
      const ids = await trigger(3);
      const numbers = await Promise.all(ids.map(numberOf));
      expect(sentTo('/a')).toEqual([['notification.digest', numbers]]); // the 503
      // The lead page's incident is acknowledged before the retry.
      await app.services.incidents.acknowledge(system, ids[0]!);
      app.clock.fastForward(2.5 * second);
      await app.engine!.runUntilIdle();
      expect(sentTo('/a')).toEqual([
        ['notification.digest', numbers],
        ['notification.digest', numbers.slice(1)],
      ]);
      for (const id of ids.slice(1)) {
        const incident = await app.http!.inject({
          method: 'GET',
          url: `/api/incidents/${id}`,
          headers: asSession(admin),
        });
        expect(
          (incident.json().timeline as Array<{ kind: string; message: string }>).filter(
            (t) => t.kind === 'notification.sent',
          ),
        ).toEqual([
          expect.objectContaining({
            message: 'Notified Ada by webhook (one digest of 2 incidents)',
          }),
        ]);
      }
    });

    it('a digest retry down to one incident is a page about it, and none is sent once all are acknowledged', async () => {
      await method('/a');
      const trigger = await service();
      hook.respondNext({ status: 503 }, { status: 503 });
      const ids = await trigger(3);
      const numbers = await Promise.all(ids.map(numberOf));
      await app.services.incidents.acknowledge(system, ids[0]!);
      await app.services.incidents.acknowledge(system, ids[2]!);
      app.clock.fastForward(2.5 * second);
      await app.engine!.runUntilIdle();
      expect(sentTo('/a')).toEqual([
        ['notification.digest', numbers],
        ['incident.triggered', [numbers[1]]],
      ]);
      await app.services.incidents.acknowledge(system, ids[1]!);
      app.clock.fastForward(10 * second);
      await app.engine!.runUntilIdle();
      expect(sentTo('/a')).toHaveLength(2); // the phone does not ring after the acknowledgement
      expect((await deliveries(ids[0]!)).at(-1)).toBe('dropped');
    });

    it('resends a dead digest as the digest, with every incident still open', async () => {
      await method('/a');
      const trigger = await service();
      hook.respondNext({ status: 410 });
      const ids = await trigger(3);
      const numbers = await Promise.all(ids.map(numberOf));
      const dead = await app.http!.inject({
        method: 'GET',
        url: '/api/deliveries/dead-letters',
        headers: asSession(admin),
      });
      expect(dead.json().items).toHaveLength(1);
      const retry = await app.http!.inject({
        method: 'POST',
        url: `/api/deliveries/${dead.json().items[0].id}/retry`,
        headers: asSession(admin),
      });
      expect(retry.statusCode).toBe(202);
      await app.engine!.runUntilIdle();
      expect(sentTo('/a')).toEqual([
        ['notification.digest', numbers],
        ['notification.digest', numbers],
      ]);
    });

    it('a vendor that hangs holds up neither the engine nor other channels; its send is recorded when it ends', async () => {
      await app.close();
      await hook.stop();
      const gate: { hold?: Promise<void> } = {};
      let release = () => undefined as void;
      await setup({ notifyCycleWaitMs: 100 }, async (req) => {
        if (gate.hold && req.path === '/slow') await gate.hold;
        return { status: 204 };
      });
      await method('/slow');
      await method('/fast');
      gate.hold = new Promise<void>((resolve) => (release = resolve));
      const trigger = await service();

      // The engine runs until idle although the page to /slow has no answer yet.
      const [first] = await trigger();
      expect(pagesTo('/fast')).toHaveLength(1);
      await hook.waitFor(2, (r) => r.path === '/slow'); // its verification, then the page
      expect(await deliveries(first!)).toEqual(['sent']);

      // The next incident's page to /fast goes out meanwhile.
      const [next] = await trigger();
      expect(pagesTo('/fast')).toHaveLength(2);
      await hook.waitFor(3, (r) => r.path === '/slow');
      // Past the claim timeout the hung pages are due again, but this node is still sending them.
      app.clock.fastForward(3 * 60 * second);
      await app.engine!.runUntilIdle();
      await new Promise((r) => setTimeout(r, 200));
      expect(hook.requests.filter((r) => r.path === '/slow')).toHaveLength(3);

      release();
      await app.services.delivery.drain();
      expect(await deliveries(first!)).toEqual(['sent', 'sent']);
      expect(await deliveries(next!)).toEqual(['sent', 'sent']);
    });

    it('drops a page whose incident was acknowledged before it was due', async () => {
      const id = await method('/a', false);
      await app.http!.inject({
        method: 'POST',
        url: '/api/me/notification-rules',
        headers: asSession(ada.session),
        payload: { contactMethodId: id, urgency: 'high', delayMinutes: 2 },
      });
      const [incidentId] = await (await service())();
      await app.services.incidents.acknowledge(system, incidentId!);
      app.clock.fastForward(3 * 60 * second);
      await app.engine!.runUntilIdle();
      expect(pagesTo('/a')).toHaveLength(0);
      expect(await deliveries(incidentId!)).toEqual(['dropped']);
    });

    it('raises its own alert after three provider failures in a row, and resolves it on recovery', async () => {
      // Again, with Tocsin's own alerts going to a service named Tocsin.
      await app.close();
      await hook.stop();
      await setup({ selfAlertService: 'Tocsin' });
      await app.services.services.create(system, { teamId, name: 'Tocsin', description: '' });
      await method('/a');
      const trigger = await service();
      hook.respondNext({ status: 502 }, { status: 502 }, { status: 502 });
      await trigger();
      app.clock.fastForward(2.5 * second);
      await app.engine!.runUntilIdle();
      app.clock.fastForward(5 * second);
      await app.engine!.runUntilIdle();
      const health = await app.http!.inject({
        method: 'GET',
        url: '/api/notifiers/health',
        headers: asSession(ada.session),
      });
      expect(health.json().items).toEqual([
        expect.objectContaining({ notifierId: 'webhook', outage: true, consecutiveFailures: 3 }),
      ]);
      const own = () =>
        app.db
          .selectFrom('alerts')
          .select(['status', 'summary'])
          .where('dedup_key', '=', 'tocsin:notifier-outage:webhook')
          .execute();
      expect(await own()).toEqual([
        {
          status: 'triggered',
          summary: 'Tocsin cannot deliver webhook notifications: webhook 502',
        },
      ]);
      app.clock.fastForward(10 * second);
      await app.engine!.runUntilIdle();
      expect(pagesTo('/a').length).toBeGreaterThanOrEqual(4);
      expect((await own())[0]!.status).toBe('resolved');
    });

    it('keeps secrets encrypted at rest, never returns them, never logs them', async () => {
      const slack = await new SlackDouble({ botToken: 'xoxb-0000-secret-bot-token' }).start();
      try {
        const token = 'xoxb-9999-the-real-bot-token';
        const signing = 'signing-secret-never-shown-1234';
        const save = (config: Record<string, unknown>) =>
          app.http!.inject({
            method: 'PUT',
            url: '/api/notifiers/slack',
            headers: asSession(admin),
            payload: { enabled: true, config },
          });
        const saved = await save({
          botToken: token,
          signingSecret: signing,
          apiUrl: `${slack.url}/api`,
        });
        expect(saved.statusCode, saved.body).toBe(200);
        expect(saved.json().secretsSet).toEqual(['botToken', 'signingSecret']);
        const list = await app.http!.inject({
          method: 'GET',
          url: '/api/notifiers',
          headers: asSession(admin),
        });
        expect(list.body).not.toContain(token);
        expect(list.body).not.toContain(signing);
        const row = await app.db
          .selectFrom('notifier_settings')
          .select('config_json')
          .where('id', '=', 'slack')
          .executeTakeFirstOrThrow();
        expect(row.config_json).not.toContain(token);
        expect(row.config_json).toMatch(/"botToken":"enc:v1:/);
        // Saving without the secrets keeps them.
        expect((await save({ apiUrl: `${slack.url}/api` })).statusCode).toBe(200);
        // The double refuses this token (invalid_auth) and echoes what it got.
        const test = await app.http!.inject({
          method: 'POST',
          url: '/api/notifiers/slack/test',
          headers: asSession(admin),
          payload: { to: 'U0ADA0001' },
        });
        expect(test.json()).toMatchObject({ ok: false, retryable: false });
        expect(slack.requests.at(-1)!.headers.authorization).toBe(`Bearer ${token}`);
        expect(test.body).not.toContain(token);
        // A bad config names the field.
        const bad = await save({ botToken: 'not-a-bot-token', apiUrl: 'x' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.field).toMatch(/^config\./);
        // Non-admins neither read nor write settings.
        for (const [method, url] of [
          ['GET', '/api/notifiers'],
          ['PUT', '/api/notifiers/slack'],
        ] as const) {
          const res = await app.http!.inject({
            method,
            url,
            headers: asSession(ada.session),
            ...(method === 'PUT' ? { payload: { enabled: false, config: {} } } : {}),
          });
          expect(res.statusCode).toBe(403);
        }
        const all = logs.join('');
        expect(all.length).toBeGreaterThan(0);
        expect(all).not.toContain(token);
        expect(all).not.toContain(signing);
        expect(all).not.toContain(secret);
      } finally {
        await slack.stop();
      }
    });
  });

  describe('with no allow-list', () => {
    beforeEach(() => setup({ outboundAllow: [] }));

    it('refuses to send to loopback, metadata and their odd spellings', async () => {
      const port = new URL(hook.url).port;
      for (const to of [
        `http://127.0.0.1:${port}/x`,
        `http://0x7f000001:${port}/x`,
        `http://2130706433:${port}/x`,
        `http://[::ffff:127.0.0.1]:${port}/x`,
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.1/',
      ]) {
        const res = await app.http!.inject({
          method: 'POST',
          url: '/api/notifiers/webhook/test',
          headers: asSession(admin),
          payload: { to },
        });
        expect(res.json(), to).toMatchObject({ ok: false, retryable: false });
      }
      expect(hook.requests).toHaveLength(0);
    });
  });
});
