import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { Registry } from 'prom-client';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { DeliveryService } from '../../src/domains/notifications/index.js';
import { Engine } from '../../src/engine/engine.js';
import { sendMessagesModule } from '../../src/engine/modules/send-messages.js';
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
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

/*
 * The metrics an operator alerts on: inbound events by source and outcome, notification
 * deliveries by channel and outcome, the notification backlog, escalation lag and the
 * send-messages module's due rows — read back from /metrics as Prometheus scrapes them.
 */

const system = systemActor('test');
const event = (dedupKey: string) => ({
  action: 'trigger' as const,
  dedupKey,
  summary: `${dedupKey} is failing`,
  severity: 'critical' as const,
  labels: { alertname: dedupKey },
  raw: {},
});
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const minute = 60_000;

/** The value of one series in /metrics text (0 when absent). */
async function metric(app: TestApp, name: string, labels: Record<string, string> = {}) {
  const res = await app.http!.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  for (const line of res.body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describeEachStore('metrics: ingest events', (kind) => {
  let app: TestApp;
  let serviceId: string;
  beforeEach(async () => {
    app = await createTestApp(kind);
    const team = await app.services.teams.create(system, { name: 'T', description: '' });
    serviceId = (
      await app.services.services.create(system, { teamId: team.id, name: 'S', description: '' })
    ).id;
  });
  afterEach(async () => {
    await app.close();
  });
  const post = (url: string, body: unknown) =>
    app.http!.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const events = (source: string, outcome: string) =>
    metric(app, 'tocsin_ingest_events_total', { source, outcome });

  it('counts accepted, refused, rate-limited and failed events per source', async () => {
    // Every series is there from the start, at 0.
    expect(await events('grafana', 'accepted')).toBe(0);
    const res = await app.http!.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('tocsin_ingest_events_total{source="grafana",outcome="failed"} 0');

    const { key } = await app.services.integrations.create(system, serviceId, {
      type: 'alertmanager',
      config: {},
      rateLimitPerMinute: 5,
    });
    const url = `/api/integrations/alertmanager/${key}/api/v2/alerts`;
    const alerts = (n: number, p: string) =>
      Array.from({ length: n }, (_, i) => ({
        labels: { alertname: 'Load', instance: `${p}${i}` },
      }));
    expect((await post(url, alerts(3, 'a'))).statusCode).toBe(200);
    expect(await events('alertmanager', 'accepted')).toBe(3);
    // Over the key's limit: the request's 4 events are rate-limited.
    expect((await post(url, alerts(4, 'b'))).statusCode).toBe(429);
    expect(await events('alertmanager', 'rate_limited')).toBe(4);
    // A malformed body never reaches the pipeline: one refused request.
    expect((await post(url, '{nope')).statusCode).toBe(400);
    // An unknown key: refused too.
    expect(
      (await post('/api/integrations/alertmanager/nosuchkey/api/v2/alerts', [])).statusCode,
    ).toBe(404);
    expect(await events('alertmanager', 'refused')).toBe(2);

    // PagerDuty Events v2, and a store that fails under it: failed (5xx).
    const pd = await app.services.integrations.create(system, serviceId, {
      type: 'pagerduty-v2',
      config: {},
      rateLimitPerMinute: 600,
    });
    const trigger = {
      routing_key: pd.key,
      event_action: 'trigger',
      payload: { summary: 'Disk full', source: 'db1', severity: 'critical' },
    };
    expect((await post('/v2/enqueue', trigger)).statusCode).toBe(202);
    expect(await events('pagerduty-v2', 'accepted')).toBe(1);
    app.services.ingest.ingest = () => Promise.reject(new Error('store down'));
    expect((await post('/v2/enqueue', trigger)).statusCode).toBe(500);
    expect(await events('pagerduty-v2', 'failed')).toBe(1);
    expect(await events('alertmanager', 'failed')).toBe(0);
  });
});

describeEachStore('metrics: notifications and escalation', (kind) => {
  let app: TestApp;
  let hook: WebhookReceiver;
  beforeEach(async () => {
    hook = await new WebhookReceiver([secret]).start();
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T02:00:00Z'),
      random: () => 0,
    });
  });
  afterEach(async () => {
    await app.close();
    await hook.stop();
  });

  it('counts sends, retries and failures per channel, the backlog, due rows and escalation lag', async () => {
    const admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'webhook', { secrets: [secret] });
    const teamId = (await createTeam(app)).id;
    const ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    const method = await addVerifiedContact(
      app,
      ada.session,
      { type: 'webhook', label: 'hook', address: `${hook.url}/a` },
      () => hook.requests.at(-1)!.body,
    );
    await addNotificationRule(app, ada.session, method, 0);
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'P',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
      ],
    });
    const { key } = await createPagedService(app, teamId, 'Checkout', policy.id);
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const sent = (outcome: string) =>
      metric(app, 'tocsin_notifications_sent_total', { channel: 'webhook', outcome });

    await app.engine!.runCycle(); // the first pass starts counting
    hook.respondNext({ status: 503 });
    await app.services.ingest.ingest(ref, [event('k1')]);
    await app.engine!.runUntilIdle();
    expect(await sent('retried')).toBe(1);
    expect(await sent('sent')).toBe(0);
    // The retry (after 2.5 s) goes through.
    app.clock.fastForward(3_000);
    await app.engine!.runUntilIdle();
    expect(await sent('sent')).toBe(1);
    // Level 2 is due 5 minutes after the incident; the engine runs it 3 minutes late, and the
    // notifier refuses it for good.
    hook.respondNext({ status: 410 });
    app.clock.fastForward(8 * minute - 3_000);
    await app.engine!.runUntilIdle();
    expect(await sent('failed')).toBe(1);
    expect(await sent('retried')).toBe(1);
    expect(await sent('sent')).toBe(1);
    expect(await metric(app, 'tocsin_notifications_pending')).toBe(0);
    const lag = await metric(app, 'tocsin_escalation_lag_seconds_sum');
    expect(lag).toBeGreaterThanOrEqual(180);
    expect(lag).toBeLessThan(185);
    expect(await metric(app, 'tocsin_escalation_lag_seconds_bucket', { le: '120' })).toBe(
      (await metric(app, 'tocsin_escalation_lag_seconds_count')) - 1,
    );
  });

  it('reports the backlog: outbox rows due and not yet sent, as pending and as due rows', async () => {
    const admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'webhook', { secrets: [secret] });
    const teamId = (await createTeam(app)).id;
    const ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    const method = await addVerifiedContact(
      app,
      ada.session,
      { type: 'webhook', label: 'hook', address: `${hook.url}/a` },
      () => hook.requests.at(-1)!.body,
    );
    await addNotificationRule(app, ada.session, method, 0);
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'P',
      repeatCount: 0,
      levels: [{ delayMinutes: 0, targets: [{ type: 'user', id: ada.id }] }],
    });
    const { key } = await createPagedService(app, teamId, 'Checkout', policy.id);
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    await app.services.ingest.ingest(ref, [event('k1'), event('k2')]);
    // The pages are queued (escalation ran) but a delivery that sends nothing leaves them due.
    await app.services.escalation.runDue(app.clock.now(), 200);
    const registry = new Registry();
    const stalled = {
      deliverDue: () => Promise.resolve(0),
      refreshSent: () => Promise.resolve(0),
      nextDueAt: () => Promise.resolve(undefined),
    } as unknown as DeliveryService;
    const engine = new Engine({
      db: app.db,
      clock: app.clock,
      logger: createLogger({ level: 'silent' }),
      registry,
      modules: [sendMessagesModule(stalled)],
    });
    await engine.runCycle();
    const text = await registry.metrics();
    expect(text).toContain('tocsin_notifications_pending 2');
    expect(text).toContain('tocsin_engine_module_due_rows{module="send-messages"} 2');
  });
});
