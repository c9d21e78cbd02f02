import { afterEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { HttpDouble } from '../doubles/http-double.js';
import { WebhookReceiver } from '../doubles/webhook-receiver.js';
import {
  addSignedInMember,
  configureNotifier,
  createTeam,
  loginAdmin,
  requestAs,
  verificationCode,
} from '../fixtures.js';
import { createTestApp, describeEachStore, testAdmin, type TestApp } from '../harness.js';

// Three fixes from QA: a contact method whose code could not be sent is not stored; an org admin
// naming a team that does not exist gets 404 TEAM_NOT_FOUND, not a foreign-key 500; a status
// page's Slack webhook URL is stored encrypted, and still found again, sent to and shown by host.

const system = systemActor('test');
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describeEachStore('QA fixes', (kind) => {
  let app: TestApp | undefined;
  let hook: WebhookReceiver | undefined;
  let slack: HttpDouble | undefined;
  afterEach(async () => {
    await app?.close();
    await hook?.stop();
    await slack?.stop();
    app = hook = slack = undefined;
  });

  it('stores no contact method when its verification code cannot be sent, so a retry adds one', async () => {
    let failing = true;
    hook = await new WebhookReceiver([secret], () => ({ status: failing ? 500 : 204 })).start();
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T02:00:00Z') });
    const admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'webhook', { secrets: [secret] });
    const method = { type: 'webhook', label: 'Hook', address: `${hook.url}/me` };
    const count = async () =>
      (await app!.db.selectFrom('contact_methods').select('id').execute()).length;

    for (let i = 0; i < 2; i++) {
      const res = await requestAs(app, admin, 'POST', '/api/me/contact-methods', method);
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error.code).toBe('NOTIFICATION_NOT_SENT');
    }
    expect(hook.requests.length).toBeGreaterThanOrEqual(2);
    expect((await requestAs(app, admin, 'GET', '/api/me/contact-methods')).json()).toEqual({
      items: [],
    });
    expect(await count()).toBe(0);
    expect(
      await app.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'contact_method.added')
        .execute(),
    ).toEqual([]);

    failing = false;
    const added = await requestAs(app, admin, 'POST', '/api/me/contact-methods', method);
    expect(added.statusCode, added.body).toBe(201);
    expect(await count()).toBe(1);
    const verified = await requestAs(
      app,
      admin,
      'POST',
      `/api/me/contact-methods/${added.json().id}/verify`,
      { code: verificationCode(hook.requests.at(-1)!.body) },
    );
    expect(verified.statusCode, verified.body).toBe(200);
  });

  it('answers an org admin naming a team that does not exist with 404 TEAM_NOT_FOUND', async () => {
    app = await createTestApp(kind);
    const admin = await loginAdmin(app);
    const teamId = 'no-such-team';
    const adminId = (
      await app.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', testAdmin.email)
        .executeTakeFirstOrThrow()
    ).id;
    const attempts: Array<[string, object]> = [
      ['/api/services', { teamId, name: 'Ghost' }],
      [
        '/api/escalation-policies',
        { teamId, name: 'Ghost', levels: [{ targets: [{ type: 'team', id: teamId }] }] },
      ],
      [
        '/api/schedules',
        {
          teamId,
          name: 'Ghost',
          timeZone: 'UTC',
          layers: [
            {
              name: 'L',
              participants: [adminId],
              rotation: { kind: 'weekly', handoffTime: '09:00' },
              startDate: '2026-03-09',
            },
          ],
        },
      ],
    ];
    for (const [url, payload] of attempts) {
      const res = await requestAs(app, admin, 'POST', url, payload);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
      expect(res.json().error, url).toMatchObject({ code: 'TEAM_NOT_FOUND', field: 'teamId' });
    }
    for (const table of ['services', 'escalation_policies', 'schedules'] as const)
      expect(await app.db.selectFrom(table).select('id').execute(), table).toEqual([]);

    // A real team still works, and a team member who is not its admin is still refused.
    const team = await createTeam(app);
    const ada = await addSignedInMember(app, team.id, 'Ada', 'responder');
    const ok = await requestAs(app, admin, 'POST', '/api/services', {
      teamId: team.id,
      name: 'Real',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const refused = await requestAs(app, ada.session, 'POST', '/api/services', {
      teamId: team.id,
      name: 'Other',
    });
    expect(refused.statusCode).toBe(403);
  });

  it('stores a Slack subscriber URL encrypted, finds it again, and still sends to old plain rows', async () => {
    slack = await new HttpDouble(() => ({ status: 200, body: 'ok' })).start();
    app = await createTestApp(kind, { config: { publicUrl: 'https://tocsin.example' } });
    const team = await createTeam(app, 'Web');
    const ada = await addSignedInMember(app, team.id, 'Ada', 'responder');
    const page = await app.services.statusPages.create(system, {
      teamId: team.id,
      slug: 'acme',
      name: 'Acme',
    });
    const url = `${slack.url}/services/T000/B000/secret-part`;
    const add = (webhookUrl: string) =>
      requestAs(app!, ada.session, 'POST', `/api/status-pages/${page.id}/subscribers`, {
        kind: 'slack',
        webhookUrl,
      });
    const rows = () =>
      app!.db
        .selectFrom('status_subscribers')
        .selectAll()
        .where('kind', '=', 'slack')
        .orderBy('created_at')
        .execute();

    const first = await add(url);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().address).toBe(`Slack (${new URL(slack.url).host})`);
    const again = await add(url);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    let stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.address).toMatch(/^enc:v1:/);
    expect(stored[0]!.address).not.toContain('secret-part');
    expect(stored[0]!.address).not.toContain('/services/');

    // A row stored in clear before this change: listed by host, sent to, and sealed when re-added.
    const legacyUrl = `${slack.url}/services/T111/B111/old-secret`;
    await app.db
      .insertInto('status_subscribers')
      .values({
        id: 'legacy-slack',
        page_id: page.id,
        kind: 'slack',
        address: legacyUrl,
        component_ids_json: null,
        secret: null,
        confirm_token_hash: null,
        unsubscribe_token: 'legacy-unsubscribe-token',
        confirmed_at: app.clock.now(),
        created_at: app.clock.now() + 1,
      })
      .execute();
    const list = await requestAs(
      app,
      ada.session,
      'GET',
      `/api/status-pages/${page.id}/subscribers`,
    );
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('secret');
    expect(
      (list.json() as { items: Array<{ address: string }> }).items.map((s) => s.address),
    ).toEqual([`Slack (${new URL(slack.url).host})`, `Slack (${new URL(slack.url).host})`]);

    await requestAs(app, ada.session, 'POST', `/api/status-pages/${page.id}/incidents`, {
      title: 'Checkout slow',
      body: 'Investigating.',
    });
    await app.engine!.runUntilIdle();
    const posts = await slack.waitFor(2);
    expect(posts.map((p) => p.path).sort()).toEqual([
      '/services/T000/B000/secret-part',
      '/services/T111/B111/old-secret',
    ]);

    const legacyAgain = await add(legacyUrl);
    expect(legacyAgain.json().id).toBe('legacy-slack');
    stored = await rows();
    expect(stored).toHaveLength(2);
    for (const r of stored) {
      expect(r.address).toMatch(/^enc:v1:/);
      expect(r.address).not.toContain('secret');
    }
  });
});
