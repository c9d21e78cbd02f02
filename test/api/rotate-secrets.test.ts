import { afterEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { createSecretBox, parseSecretKey } from '../../src/core/secrets.js';
import { createApp, type TocsinApp } from '../../src/app/app.js';
import type { Store } from '../../src/db/index.js';
import { describeEachStore, login, openTestStore, testAdmin, testConfig } from '../harness.js';

// Key rotation covers every secret Tocsin stores, not only the notifiers': put a new key first,
// run rotate-secrets, and afterwards the new key alone reads every stored value.

const system = systemActor('test');
const oldKey = 'a1'.repeat(32);
const newKey = 'b2'.repeat(32);
const lostKey = 'c3'.repeat(32);
const box = (...keys: string[]) => createSecretBox(keys.map(parseSecretKey));

const HEADER = 'Bearer check-token-1234';
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/rotation-test-1';
const LEGACY_SLACK_URL = 'https://hooks.slack.com/services/T000/B000/stored-in-clear';
const JIRA_TOKEN = 'jira-api-token-5678';
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describeEachStore('rotate-secrets', (kind) => {
  let store: Store | undefined;
  let app: TocsinApp | undefined;
  const clock = new FakeClock('2026-03-10T12:00:00Z');

  async function start(secretKey: string): Promise<TocsinApp> {
    await app?.stop();
    app = await createApp({
      config: testConfig({ secretKey }),
      clock,
      store: store!,
      logger: createLogger({ level: 'silent' }),
    });
    return app;
  }
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await store?.close();
  });

  /** Every sealed value stored for the things the test made, as written in the database. */
  async function storedSecrets(db: Store['db']) {
    const settings = await db.selectFrom('notifier_settings').select('config_json').execute();
    const checks = await db.selectFrom('checks').select('config_json').execute();
    const subs = await db
      .selectFrom('status_subscribers')
      .select(['kind', 'address', 'secret'])
      .execute();
    const pm = await db
      .selectFrom('org_settings')
      .select('value_json')
      .where('key', '=', 'postmortems')
      .executeTakeFirstOrThrow();
    const tokens = (s: string) => [...s.matchAll(/enc:v1:[^"]+/g)].map((m) => m[0]);
    return {
      webhookSecret: tokens(settings.map((r) => r.config_json).join('\n')),
      checkHeader: tokens(checks.map((r) => r.config_json).join('\n')),
      slack: subs.filter((s) => s.kind === 'slack').map((s) => s.address),
      subscriberSecret: subs.filter((s) => s.kind === 'webhook').map((s) => s.secret!),
      jira: tokens(pm.value_json),
    };
  }

  it('re-encrypts notifier settings, check headers, subscribers and tracker tokens; counts what it cannot read', async () => {
    store = await openTestStore(kind);
    let a = await start(oldKey);
    await a.services.notifierSettings.save(system, 'webhook', {
      enabled: true,
      config: { secrets: [WEBHOOK_SECRET] },
    });
    const team = await a.services.teams.create(system, { name: 'Web', description: '' });
    const service = await a.services.services.create(system, {
      teamId: team.id,
      name: 'Web',
      description: '',
    });
    await a.services.checks.create(system, {
      serviceId: service.id,
      name: 'API',
      kind: 'http',
      intervalSeconds: 60,
      timeoutSeconds: 5,
      config: { url: 'https://api.example.test/health', headers: { Authorization: HEADER } },
    });
    const page = await a.services.statusPages.create(system, {
      teamId: team.id,
      slug: 'acme',
      name: 'Acme',
    });
    await a.services.statusSubscribers.addSlack(system, page.id, {
      kind: 'slack',
      webhookUrl: SLACK_URL,
    });
    const hook = await a.services.statusSubscribers.subscribe('acme', {
      webhookUrl: 'https://hooks.example.test/status',
    });
    await a.services.postmortems.saveSettings(system, {
      jira: {
        baseUrl: 'https://acme.atlassian.net',
        projectKey: 'OPS',
        issueType: 'Task',
        email: '',
        token: JIRA_TOKEN,
        labels: [],
      },
    });
    // A Slack subscriber stored in clear (before URLs were encrypted), and one sealed with a key
    // nobody has any more.
    const legacy = await a.services.statusSubscribers.addSlack(system, page.id, {
      kind: 'slack',
      webhookUrl: 'https://hooks.slack.com/services/T000/B000/placeholder-1',
    });
    const lost = await a.services.statusSubscribers.addSlack(system, page.id, {
      kind: 'slack',
      webhookUrl: 'https://hooks.slack.com/services/T000/B000/placeholder-2',
    });
    await a.store.db
      .updateTable('status_subscribers')
      .set({ address: LEGACY_SLACK_URL })
      .where('id', '=', legacy.id)
      .execute();
    await a.store.db
      .updateTable('status_subscribers')
      .set({ address: box(lostKey).encrypt('https://hooks.slack.com/services/lost') })
      .where('id', '=', lost.id)
      .execute();

    // Rotate: the new key first, the old one after it.
    a = await start(`${newKey},${oldKey}`);
    const admin = await login(a, testAdmin.email, testAdmin.password);
    const res = await a.http!.inject({
      method: 'POST',
      url: '/api/notifiers/rotate-secrets',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      changed: 6,
      unreadable: 1,
      kinds: {
        notifierSettings: { changed: 1, unreadable: 0 },
        checkHeaders: { changed: 1, unreadable: 0 },
        statusPageSubscribers: { changed: 3, unreadable: 1 },
        trackerTokens: { changed: 1, unreadable: 0 },
      },
    });
    // Subscribers are counted by row: the webhook subscriber (its signing secret), the sealed
    // Slack URL, the Slack URL stored in clear (now sealed); the lost key's row is unreadable.

    // Afterwards the new key alone reads every value, and each is what was saved.
    const only = box(newKey);
    const s = await storedSecrets(a.store.db);
    const open = (v: string) => only.decrypt(v);
    expect(s.webhookSecret.map(open)).toEqual([WEBHOOK_SECRET]);
    expect(s.checkHeader.map(open)).toEqual([HEADER]);
    expect(s.jira.map(open)).toEqual([JIRA_TOKEN]);
    expect(s.subscriberSecret.map(open)).toEqual([hook.secret]);
    const slack = s.slack.filter((v) => only.isCurrent(v)).map(open);
    expect(slack.sort()).toEqual([LEGACY_SLACK_URL, SLACK_URL].sort());
    // The unreadable one is left as it was.
    expect(s.slack.filter((v) => !only.isCurrent(v))).toHaveLength(1);

    // Running it again changes nothing; the audit log has both runs.
    a = await start(`${newKey},${oldKey}`);
    expect(await a.services.secrets.rotate(system)).toMatchObject({ changed: 0, unreadable: 1 });
    const audit = await a.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'secrets.rotated')
      .execute();
    expect(audit).toHaveLength(2);

    // With the new key alone the app opens them: the subscribers list shows each Slack channel.
    a = await start(newKey);
    const listed = await a.services.statusSubscribers.list(system, page.id);
    expect(listed).toHaveLength(4);
  });

  it('is for organisation admins only', async () => {
    store = await openTestStore(kind);
    const a = await start(oldKey);
    const team = await a.services.teams.create(system, { name: 'Web', description: '' });
    const user = await a.services.users.create(system, {
      email: 'ada@x.test',
      name: 'Ada',
      password: 'a long enough password',
      isOrgAdmin: false,
    });
    await a.services.teams.setMember(system, team.id, user.id, 'admin');
    const session = await login(a, 'ada@x.test', 'a long enough password');
    const res = await a.http!.inject({
      method: 'POST',
      url: '/api/notifiers/rotate-secrets',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(res.statusCode).toBe(403);
  });
});
