import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  StatusSubscribersService,
  type NoticePayload,
} from '../../src/domains/statuspages/index.js';
import { SmtpSink } from '../doubles/smtp-sink.js';
import { WebhookReceiver } from '../doubles/webhook-receiver.js';
import { addSignedInMember, createTeam, requestAs, type Member } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// Subscribing is public: anyone can post any address or URL. The stories here are the abuse a
// customer would complain of ("someone changed what I get", "my webhook stopped verifying",
// "I got fifty confirmation mails", "the page said it was full") and the links a customer keeps
// in their inbox, which must keep working when the page is renamed and must not act when a mail
// scanner opens them.

const system = systemActor('test');
const minute = 60_000;
const hour = 60 * minute;

describeEachStore('status page subscriptions from the public', (kind) => {
  let app: TestApp;
  let sink: SmtpSink;
  let hook: WebhookReceiver;
  const hookSecrets: string[] = [];
  let ada: Member;
  let teamId: string;
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
      config: { host: sink.host, port: sink.port, from: 'status@acme.test', ignoreTls: true },
    });
    const team = await createTeam(app, 'Web');
    teamId = team.id;
    ada = await addSignedInMember(app, team.id, 'Ada', 'responder');
    pageId = (
      await app.services.statusPages.create(system, { teamId: team.id, slug: 'qa', name: 'QA' })
    ).id;
    apiId = (await app.services.statusPages.addComponent(system, pageId, { name: 'API' })).id;
    webId = (await app.services.statusPages.addComponent(system, pageId, { name: 'Website' })).id;
  });
  afterEach(async () => {
    await app?.close();
    await sink?.stop();
    await hook?.stop();
  });

  const post = (url: string, payload: object, ip = '203.0.113.7') =>
    app.http!.inject({ method: 'POST', url, payload, remoteAddress: ip });
  const subscriber = (address: string) =>
    app.db
      .selectFrom('status_subscribers')
      .selectAll()
      .where('address', '=', address)
      .executeTakeFirst();
  const confirmMails = async () =>
    Number(
      (
        await app.db
          .selectFrom('status_notices')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('dedup_key', 'like', 'confirm:%')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const linkPattern =
    /https:\/\/tocsin\.example(\/status\/\S+\/subscriptions\/confirm\?token=[\w-]+)/;
  /** The confirmation link in the `nth` confirmation mail to `to` (sink order), as a path. */
  async function confirmLink(to: string, nth = 1): Promise<string> {
    await app.engine!.runUntilIdle();
    const mails = () => sink.mails.filter((m) => m.to.includes(to) && linkPattern.test(m.text));
    for (let i = 0; i < 100 && mails().length < nth; i++)
      await new Promise((r) => setTimeout(r, 20));
    const m = linkPattern.exec(mails()[nth - 1]?.text ?? '');
    expect(m, `confirmation mail ${nth} to ${to}`).not.toBeNull();
    return m![1]!;
  }
  const confirmByPost = (path: string) => app.http!.inject({ method: 'POST', url: path });

  it('never re-keys a subscribed webhook nor hands its secret to a second caller', async () => {
    const first = await post('/status/qa/subscribe', { webhookUrl: `${hook.url}/legit` });
    expect(first.statusCode, first.body).toBe(201);
    const secret = (first.json() as { secret: string }).secret;
    hookSecrets.push(secret);
    const before = await subscriber(`${hook.url}/legit`);

    for (const body of [
      { webhookUrl: `${hook.url}/legit` },
      { webhookUrl: `${hook.url}/legit`, componentIds: [webId] },
    ]) {
      const again = await post('/status/qa/subscribe', body, '198.51.100.9');
      expect(again.statusCode, again.body).toBe(409);
      expect((again.json() as { error: { code: string } }).error.code).toBe(
        'STATUS_WEBHOOK_EXISTS',
      );
      expect(again.body).not.toContain('whsec_');
    }
    const after = await subscriber(`${hook.url}/legit`);
    expect(after).toEqual(before);

    // The real subscriber's deliveries still verify with the secret it was given.
    await requestAs(app, ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
      title: 'Website slow',
      body: 'Looking.',
      impact: 'minor',
      componentIds: [webId],
    });
    await app.engine!.runUntilIdle();
    await hook.waitFor(1);
    expect(hook.received[0]!.verified).toBe(true);
    const unsubscribeUrl = (hook.received[0]!.payload as { data: { unsubscribe_url: string } }).data
      .unsubscribe_url;

    // Its owner changes it by unsubscribing (the link every delivery carries), then subscribing.
    const path = unsubscribeUrl.replace('https://tocsin.example', '');
    expect((await app.http!.inject({ method: 'POST', url: path })).statusCode).toBe(200);
    const fresh = await post('/status/qa/subscribe', {
      webhookUrl: `${hook.url}/legit`,
      componentIds: [apiId],
    });
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect((fresh.json() as { secret: string }).secret).not.toBe(secret);
  });

  it('keeps a confirmed choice of components until the new choice is confirmed', async () => {
    await post('/status/qa/subscribe', { email: 'carol@customer.test' });
    expect((await confirmByPost(await confirmLink('carol@customer.test'))).statusCode).toBe(200);
    expect((await subscriber('carol@customer.test'))!.component_ids_json).toBeNull();

    // Someone else narrows Carol to the Website: the same answer as for anyone, nothing changes.
    app.clock.fastForward(11 * minute);
    const narrowed = await post(
      '/status/qa/subscribe',
      { email: 'Carol@customer.test', componentIds: [webId] },
      '198.51.100.9',
    );
    expect([narrowed.statusCode, narrowed.json()]).toEqual([
      202,
      { kind: 'email', pendingConfirmation: true },
    ]);
    expect((await subscriber('carol@customer.test'))!.component_ids_json).toBeNull();

    // An API incident still reaches her.
    sink.mails.length = 0;
    await requestAs(app, ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
      title: 'API errors',
      body: 'Investigating.',
      impact: 'major',
      componentIds: [apiId],
    });
    await app.engine!.runUntilIdle();
    await sink.waitFor(2); // the new confirmation and the incident
    expect(sink.mails.map((m) => m.subject)).toContain('[QA status] Investigating: API errors');

    // Following the new link shows what it would change; confirming applies it.
    const link = await confirmLink('carol@customer.test');
    const ask = await app.http!.inject({ method: 'GET', url: link });
    expect(ask.body).toContain('Send status updates about Website to carol@customer.test?');
    expect((await subscriber('carol@customer.test'))!.component_ids_json).toBeNull();
    expect((await confirmByPost(link)).statusCode).toBe(200);
    expect(JSON.parse((await subscriber('carol@customer.test'))!.component_ids_json!)).toEqual([
      webId,
    ]);
  });

  it('confirms only on the button (a POST), never on opening the link', async () => {
    await post('/status/qa/subscribe', { email: 'dan@customer.test', componentIds: [apiId] });
    const link = await confirmLink('dan@customer.test');
    for (let i = 0; i < 2; i++) {
      const opened = await app.http!.inject({ method: 'GET', url: link });
      expect(opened.statusCode).toBe(200);
      expect(opened.body).toContain('Send status updates about API to dan@customer.test?');
      expect(opened.body).toMatch(
        /<form method="post" action="\/status\/qa\/subscriptions\/confirm\?token=/,
      );
    }
    expect((await subscriber('dan@customer.test'))!.confirmed_at).toBeNull();
    expect((await confirmByPost(link)).statusCode).toBe(200);
    expect((await subscriber('dan@customer.test'))!.confirmed_at).not.toBeNull();
    expect((await confirmByPost(link)).statusCode).toBe(404);
  });

  it('keeps confirmation and unsubscribe links working after the page is renamed', async () => {
    await post('/status/qa/subscribe', { email: 'erin@customer.test' });
    await post('/status/qa/subscribe', { email: 'finn@customer.test' });
    const erin = await confirmLink('erin@customer.test');
    const finn = await confirmLink('finn@customer.test');
    expect((await confirmByPost(finn)).statusCode).toBe(200);

    const renamed = await requestAs(app, ada.session, 'PATCH', `/api/status-pages/${pageId}`, {
      slug: 'quality',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);

    // Erin's link still names /status/qa/.
    expect(erin).toMatch(/^\/status\/qa\//);
    expect((await app.http!.inject({ method: 'GET', url: erin })).statusCode).toBe(200);
    const done = await confirmByPost(erin);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('href="https://tocsin.example/status/quality"');
    expect((await subscriber('erin@customer.test'))!.confirmed_at).not.toBeNull();

    // Finn unsubscribes with a link built before the rename.
    const token = (await subscriber('finn@customer.test'))!.unsubscribe_token;
    const old = `/status/qa/subscriptions/unsubscribe?token=${token}`;
    const ask = await app.http!.inject({ method: 'GET', url: old });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('finn@customer.test');
    expect((await app.http!.inject({ method: 'POST', url: old })).statusCode).toBe(200);
    expect(await subscriber('finn@customer.test')).toBeUndefined();
    expect((await app.http!.inject({ method: 'POST', url: old })).statusCode).toBe(404);
  });

  it('sends one confirmation per address per 10 minutes, answering every repeat the same', async () => {
    const first = await post('/status/qa/subscribe', { email: 'gail@customer.test' });
    expect(first.statusCode).toBe(202);
    for (let i = 0; i < 5; i++) {
      app.clock.fastForward(minute);
      const again = await post('/status/qa/subscribe', {
        email: 'gail@customer.test',
        componentIds: [apiId],
      });
      expect([again.statusCode, again.json()]).toEqual([202, first.json()]);
    }
    expect(await confirmMails()).toBe(1);
    // The repeats changed nothing: the first link still confirms the first choice.
    const link = await confirmLink('gail@customer.test');
    expect((await app.http!.inject({ method: 'GET', url: link })).body).toContain('all components');
    app.clock.fastForward(5 * minute);
    await post('/status/qa/subscribe', { email: 'gail@customer.test' });
    expect(await confirmMails()).toBe(2);
    // Only the newest link works.
    expect((await confirmByPost(link)).statusCode).toBe(404);
    expect((await confirmByPost(await confirmLink('gail@customer.test', 2))).statusCode).toBe(200);
  });

  it('two first subscriptions of one address at once: both answered 202, one mail', async () => {
    const [a, b] = await Promise.all([
      post('/status/qa/subscribe', { email: 'hana@customer.test' }),
      post('/status/qa/subscribe', { email: 'hana@customer.test' }, '203.0.113.8'),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(await confirmMails()).toBe(1);
  });

  it('limits subscribing per page and client, not per client across every page', async () => {
    await app.services.statusPages.create(system, {
      teamId,
      slug: 'other',
      name: 'Other',
    });
    for (let i = 0; i < 10; i++)
      expect(
        (await post('/status/qa/subscribe', { email: `h${i}@customer.test` })).statusCode,
      ).toBe(202);
    expect((await post('/status/qa/subscribe', { email: 'h10@customer.test' })).statusCode).toBe(
      429,
    );
    expect((await post('/status/other/subscribe', { email: 'h@customer.test' })).statusCode).toBe(
      202,
    );
  });

  it('forgets addresses that never confirm after 48 hours; their links expire', async () => {
    await post('/status/qa/subscribe', { email: 'ivan@customer.test' });
    await post('/status/qa/subscribe', { email: 'jane@customer.test' });
    const ivan = await confirmLink('ivan@customer.test');
    await confirmLink('jane@customer.test');
    app.clock.fastForward(47 * hour);
    await app.engine!.runUntilIdle();
    expect(await subscriber('jane@customer.test')).toBeDefined();
    app.clock.fastForward(hour);
    expect((await app.http!.inject({ method: 'GET', url: ivan })).statusCode).toBe(404);
    expect((await confirmByPost(ivan)).statusCode).toBe(404);
    // The engine's status-page pass deletes them (no request needed).
    await app.engine!.runUntilIdle();
    expect(await subscriber('jane@customer.test')).toBeUndefined();
    expect(await subscriber('ivan@customer.test')).toBeUndefined();
  });

  describe('with small limits', () => {
    // A service over the same store with limits small enough to reach.
    const sent: NoticePayload[] = [];
    let small: StatusSubscribersService;
    beforeEach(() => {
      sent.length = 0;
      small = new StatusSubscribersService({
        db: app.db,
        clock: app.clock,
        audit: app.services.audit,
        pages: app.services.statusPages,
        cipher: { encrypt: (s) => s, decrypt: (s) => s, isCurrent: () => true },
        sender: {
          email: (m) => (sent.push(m.payload), Promise.resolve({ ok: true })),
          webhook: () => Promise.resolve({ ok: true }),
          slack: () => Promise.resolve({ ok: true }),
        },
        baseUrl: 'https://tocsin.example',
        maxPerPage: 2,
        confirmationsPerHour: 4,
      });
    });
    const tokenOf = (p: NoticePayload) => new URL(p.confirmUrl!).searchParams.get('token')!;

    it('counts only confirmed subscribers toward the cap', async () => {
      for (const who of ['k', 'l', 'm'])
        expect(await small.subscribe('qa', { email: `${who}@customer.test` })).toEqual({
          kind: 'email',
          pendingConfirmation: true,
        });
      await small.sendDue(app.clock.now());
      expect(sent).toHaveLength(3);
      expect(await small.confirm(tokenOf(sent[0]!))).toMatchObject({ pageName: 'QA' });
      expect(await small.confirm(tokenOf(sent[1]!))).toMatchObject({ pageName: 'QA' });
      // Full now: the third cannot confirm, and nobody new is taken (whoever they are).
      expect(await small.confirm(tokenOf(sent[2]!))).toBe('full');
      for (const email of ['n@customer.test', 'k@customer.test'])
        await expect(small.subscribe('qa', { email })).rejects.toMatchObject({
          code: 'STATUS_SUBSCRIBERS_FULL',
        });
    });

    it('sends at most so many confirmation mails per page per hour', async () => {
      for (let i = 0; i < 4; i++) await small.subscribe('qa', { email: `p${i}@customer.test` });
      await expect(small.subscribe('qa', { email: 'p4@customer.test' })).rejects.toMatchObject({
        kind: 'rate_limited',
        code: 'STATUS_SUBSCRIBE_BUSY',
      });
      await small.sendDue(app.clock.now());
      expect(sent).toHaveLength(4);
      app.clock.fastForward(hour);
      await small.subscribe('qa', { email: 'p4@customer.test' });
      await small.sendDue(app.clock.now());
      expect(sent).toHaveLength(5);
    });
  });
});
