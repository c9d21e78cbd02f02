import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { HttpDouble } from '../doubles/http-double.js';
import { SmtpSink } from '../doubles/smtp-sink.js';
import { WebhookReceiver } from '../doubles/webhook-receiver.js';
import {
  addSignedInMember,
  createTeam,
  requestAs,
  type ApiMethod,
  type Member,
} from '../fixtures.js';
import { createTestApp, describeEachStore, type Session, type TestApp } from '../harness.js';

// Status page subscribers and notices, the story a customer would tell: "I subscribed on the
// page, confirmed from the email, got told about the outage of the part I chose, was warned of
// the maintenance an hour ahead, saw it start and end on its own, and unsubscribed in one click."
// A webhook subscriber receives the same, signed, and is retried when it fails.

const system = systemActor('test');
const minute = 60_000;
const hour = 60 * minute;

describeEachStore('status page subscribers and maintenance', (kind) => {
  let app: TestApp;
  let sink: SmtpSink;
  let hook: WebhookReceiver;
  const hookSecrets: string[] = [];
  let ada: Member;
  let vic: Member;
  let eve: Member;
  let pageId: string;
  let apiId: string;
  let webId: string;

  beforeEach(async () => {
    sink = await new SmtpSink().start();
    hookSecrets.length = 0;
    hook = await new WebhookReceiver(hookSecrets).start();
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T12:00:00Z'),
      config: { publicUrl: 'https://tocsin.example' },
    });
    await app.services.notifierSettings.save(system, 'email', {
      enabled: true,
      config: {
        host: sink.host,
        port: sink.port,
        from: 'Acme Status <status@acme.test>',
        ignoreTls: true,
      },
    });
    const team = await createTeam(app, 'Web');
    const other = await createTeam(app, 'Other');
    ada = await addSignedInMember(app, team.id, 'Ada', 'responder');
    vic = await addSignedInMember(app, team.id, 'Vic', 'viewer');
    eve = await addSignedInMember(app, other.id, 'Eve', 'responder');
    const page = await app.services.statusPages.create(system, {
      teamId: team.id,
      slug: 'acme',
      name: 'Acme',
    });
    pageId = page.id;
    apiId = (await app.services.statusPages.addComponent(system, pageId, { name: 'API' })).id;
    webId = (await app.services.statusPages.addComponent(system, pageId, { name: 'Website' })).id;
  });
  afterEach(async () => {
    await app?.close();
    await sink?.stop();
    await hook?.stop();
  });

  const req = (s: Session, method: ApiMethod, url: string, payload?: object) =>
    requestAs(app, s, method, url, payload);
  const form = (url: string, fields: Record<string, string>) =>
    app.http!.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
  const linkIn = (text: string, path: string) => {
    const m = new RegExp(
      `https://tocsin\\.example/status/acme/${path}\\?token=[A-Za-z0-9_-]+`,
    ).exec(text);
    expect(m, text).not.toBeNull();
    return m![0].replace('https://tocsin.example', '');
  };
  const mailsTo = (addr: string) => sink.mails.filter((m) => m.to.includes(addr));

  it('double opt-in, per-component choice, signed webhooks, one-click unsubscribe', async () => {
    // Subscribing from the page's form; nothing but the confirmation is sent until confirmed.
    const sub = await form('/status/acme/subscribe', { email: 'Carol@Customer.test' });
    expect(sub.statusCode).toBe(200);
    expect(sub.body).toContain('Check your inbox');
    expect((await form('/status/acme/subscribe', { email: 'not an email' })).statusCode).toBe(400);
    const json = await app.http!.inject({
      method: 'POST',
      url: '/status/acme/subscribe',
      payload: { email: 'dan@customer.test', componentIds: [webId] },
    });
    expect(json.statusCode).toBe(202);
    const bad = await app.http!.inject({
      method: 'POST',
      url: '/status/acme/subscribe',
      payload: { email: 'x@customer.test', componentIds: ['nope'] },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { field: string } }).error.field).toBe('componentIds');
    await app.http!.inject({
      method: 'POST',
      url: '/status/acme/subscribe',
      payload: { email: 'never@customer.test' },
    });
    const wh = await app.http!.inject({
      method: 'POST',
      url: '/status/acme/subscribe',
      payload: { webhookUrl: `${hook.url}/hooks`, componentIds: [apiId] },
    });
    expect(wh.statusCode, wh.body).toBe(201);
    const secret = (wh.json() as { secret: string }).secret;
    expect(secret).toMatch(/^whsec_/);
    hookSecrets.push(secret);

    await app.engine!.runUntilIdle();
    await sink.waitFor(3);
    const [carolConfirm] = mailsTo('carol@customer.test');
    expect(carolConfirm!.subject).toBe('Confirm your subscription to Acme status');
    const confirmPath = linkIn(carolConfirm!.text, 'subscriptions/confirm');
    // Opening the link only asks (mail scanners open links); the button posts.
    const asked = await app.http!.inject({ method: 'GET', url: confirmPath });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Confirm subscription');
    const confirmed = await app.http!.inject({ method: 'POST', url: confirmPath });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Subscription confirmed');
    expect((await app.http!.inject({ method: 'POST', url: confirmPath })).statusCode).toBe(404);
    expect((await app.http!.inject({ method: 'GET', url: confirmPath })).statusCode).toBe(404);
    const danPath = linkIn(mailsTo('dan@customer.test')[0]!.text, 'subscriptions/confirm');
    expect((await app.http!.inject({ method: 'POST', url: danPath })).statusCode).toBe(200);

    // An incident on the API: Carol (everything) and the webhook (API) hear; Dan (Website) and
    // the unconfirmed address do not.
    sink.mails.length = 0;
    const incident = await req(ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
      title: 'API errors',
      body: 'Investigating elevated errors.',
      impact: 'major',
      componentIds: [apiId],
    });
    expect(incident.statusCode).toBe(201);
    await app.engine!.runUntilIdle();
    await sink.waitFor(1);
    await hook.waitFor(1);
    expect(sink.mails.map((m) => m.to).flat()).toEqual(['carol@customer.test']);
    const mail = sink.mails[0]!;
    expect(mail.subject).toBe('[Acme status] Investigating: API errors');
    expect(mail.text).toContain('Investigating elevated errors.');
    expect(mail.text).toContain('Affected: API');
    expect(mail.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.raw.replace(/\r\n[ \t]+/g, ' ')).toMatch(
      /List-Unsubscribe: ?<https:\/\/tocsin\.example\/status\/acme\/subscriptions\/unsubscribe\?token=/,
    );
    const received = hook.received;
    expect(received).toHaveLength(1);
    expect(received[0]!.verified).toBe(true);
    expect(received[0]!.payload).toMatchObject({
      type: 'incident.created',
      data: {
        page: { name: 'Acme', url: 'https://tocsin.example/status/acme' },
        incident: { title: 'API errors', status: 'investigating', components: ['API'] },
      },
    });

    // One-click unsubscribe: a GET only asks; the POST (what mail clients send) acts.
    const unsub = linkIn(mail.text, 'subscriptions/unsubscribe');
    const ask = await app.http!.inject({ method: 'GET', url: unsub });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Stop sending status updates to carol@customer.test?');
    const done = await app.http!.inject({
      method: 'POST',
      url: unsub,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);

    // The webhook fails once: retried after the backoff, then delivered.
    hook.respondNext({ status: 503 });
    sink.mails.length = 0;
    await req(
      ada.session,
      'POST',
      `/api/status-pages/${pageId}/incidents/${(incident.json() as { id: string }).id}/updates`,
      {
        status: 'resolved',
        body: 'Fixed.',
      },
    );
    await app.engine!.runUntilIdle();
    await hook.waitFor(2);
    expect(sink.mails).toHaveLength(0); // Carol left
    app.clock.fastForward(31_000);
    await app.engine!.runUntilIdle();
    await hook.waitFor(3);
    const last = hook.received.at(-1)!;
    expect(last.verified).toBe(true);
    expect(last.payload).toMatchObject({
      type: 'incident.updated',
      data: { incident: { status: 'resolved' } },
    });
    // The retry is recognisably the same message.
    expect(last.request.headers['webhook-id']).toBe(
      hook.received[1]!.request.headers['webhook-id'],
    );
  });

  it('posts to a Slack channel the team subscribed, without showing its URL', async () => {
    const slack = await new HttpDouble(() => ({ status: 200, body: 'ok' })).start();
    try {
      const url = `${slack.url}/services/T000/B000/secret-part`;
      expect(
        (
          await req(vic.session, 'POST', `/api/status-pages/${pageId}/subscribers`, {
            kind: 'slack',
            webhookUrl: url,
          })
        ).statusCode,
      ).toBe(403);
      const bad = await req(ada.session, 'POST', `/api/status-pages/${pageId}/subscribers`, {
        kind: 'slack',
        webhookUrl: 'not a url',
      });
      expect((bad.json() as { error: { field: string } }).error.field).toBe('webhookUrl');
      const added = await req(ada.session, 'POST', `/api/status-pages/${pageId}/subscribers`, {
        kind: 'slack',
        webhookUrl: url,
        componentIds: [apiId],
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.body).not.toContain('secret-part');
      const list = await req(ada.session, 'GET', `/api/status-pages/${pageId}/subscribers`);
      expect(list.body).not.toContain('secret-part');
      // Stored encrypted too (ADR 0005): the URL is a credential.
      const stored = await app.db
        .selectFrom('status_subscribers')
        .select('address')
        .where('kind', '=', 'slack')
        .execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.address).toMatch(/^enc:v1:/);
      expect(stored[0]!.address).not.toContain('secret-part');

      await req(ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
        title: 'Checkout <slow>',
        body: 'Investigating & fixing.',
        componentIds: [apiId],
      });
      await app.engine!.runUntilIdle();
      const [post] = await slack.waitFor(1);
      expect(post!.path).toBe('/services/T000/B000/secret-part');
      const text = (JSON.parse(post!.body) as { text: string }).text;
      expect(text).toBe(
        '*Investigating: Checkout &lt;slow&gt;*\nInvestigating &amp; fixing.\nAffected: API\n<https://tocsin.example/status/acme|Acme status>',
      );
      // A Website-only incident does not reach the API-only channel.
      await req(ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
        title: 'Website slow',
        body: 'x',
        componentIds: [webId],
      });
      await app.engine!.runUntilIdle();
      expect(slack.requests).toHaveLength(1);
    } finally {
      await slack.stop();
    }
  });

  it('lists and exports subscribers to the team’s responders only', async () => {
    await app.http!.inject({
      method: 'POST',
      url: '/status/acme/subscribe',
      payload: { email: 'carol@customer.test', componentIds: [apiId] },
    });
    // Viewers do not see customers' addresses.
    for (const path of ['subscribers', 'subscribers.csv']) {
      const byViewer = await req(vic.session, 'GET', `/api/status-pages/${pageId}/${path}`);
      expect([byViewer.statusCode, byViewer.json().error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const list = await req(ada.session, 'GET', `/api/status-pages/${pageId}/subscribers`);
    expect(list.statusCode).toBe(200);
    expect(
      (list.json() as { items: Array<{ address: string; confirmed: boolean }> }).items,
    ).toEqual([expect.objectContaining({ address: 'carol@customer.test', confirmed: false })]);
    expect(list.body).not.toContain('token');
    const csv = await req(ada.session, 'GET', `/api/status-pages/${pageId}/subscribers.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toEqual([
      'kind,address,confirmed,confirmed_at,created_at,component_ids',
      `email,carol@customer.test,no,,2026-03-10T12:00:00.000Z,${apiId}`,
      '',
    ]);
    expect(
      (await req(eve.session, 'GET', `/api/status-pages/${pageId}/subscribers`)).statusCode,
    ).toBe(404);
  });

  it('announces maintenance ahead, starts and completes it on time', async () => {
    const sub = await app.http!.inject({
      method: 'POST',
      url: '/status/acme/subscribe',
      payload: { webhookUrl: `${hook.url}/m` },
    });
    hookSecrets.push((sub.json() as { secret: string }).secret);
    const res = await req(ada.session, 'POST', `/api/status-pages/${pageId}/maintenances`, {
      title: 'Database upgrade',
      body: 'We upgrade the database.',
      componentIds: [apiId],
      scheduledFor: '2026-03-10T15:00:00Z',
      scheduledUntil: '2026-03-10T16:00:00Z',
      notifyBeforeMinutes: 60,
    });
    expect(res.statusCode, res.body).toBe(201);
    const type = () => hook.received.map((r) => (r.payload as { type: string }).type);
    await app.engine!.runUntilIdle();
    await hook.waitFor(1);
    expect(type()).toEqual(['maintenance.created']);

    const status = async () =>
      (
        await app.http!.inject({ method: 'GET', url: '/status/acme/api/v2/summary.json' })
      ).json() as {
        components: Array<{ id: string; status: string }>;
        scheduled_maintenances: Array<{ status: string }>;
      };
    app.clock.set('2026-03-10T13:59:00Z');
    await app.engine!.runUntilIdle();
    expect(type()).toEqual(['maintenance.created']);
    app.clock.set('2026-03-10T14:00:00Z');
    await app.engine!.runUntilIdle();
    await hook.waitFor(2);
    expect(type()).toEqual(['maintenance.created', 'maintenance.advance']);
    expect((await status()).scheduled_maintenances.map((m) => m.status)).toEqual(['scheduled']);

    app.clock.set('2026-03-10T15:00:00Z');
    await app.engine!.runUntilIdle();
    await hook.waitFor(3);
    let s = await status();
    expect(s.scheduled_maintenances.map((m) => m.status)).toEqual(['in_progress']);
    expect(s.components.find((c) => c.id === apiId)!.status).toBe('under_maintenance');

    app.clock.set('2026-03-10T16:00:00Z');
    await app.engine!.runUntilIdle();
    await hook.waitFor(4);
    expect(type()).toEqual([
      'maintenance.created',
      'maintenance.advance',
      'maintenance.started',
      'maintenance.completed',
    ]);
    s = await status();
    expect(s.scheduled_maintenances).toEqual([]);
    expect(s.components.find((c) => c.id === apiId)!.status).toBe('operational');
    const detail = (
      await req(ada.session, 'GET', `/api/status-pages/${pageId}/maintenances`)
    ).json() as {
      items: Array<{ status: string; updates: Array<{ status: string; body: string }> }>;
    };
    expect(detail.items[0]!.updates.map((u) => u.status)).toEqual([
      'completed',
      'in_progress',
      'scheduled',
    ]);
    // Nothing further is due.
    app.clock.fastForward(24 * hour);
    await app.engine!.runUntilIdle();
    expect(hook.received).toHaveLength(4);
  });
});
