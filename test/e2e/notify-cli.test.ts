import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebhookReceiver } from '../doubles/webhook-receiver.js';
import { requireBuild, runCliAsync, serve, tempDataDir } from './built.js';

// An operator's view: configure a notifier in the UI's API, then test a person's contact method
// from the command line, see a failure reported with a non-zero exit, and rotate the key that
// encrypts the notifier's secrets without breaking it.

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const oldKey = 'a1'.repeat(32);
const newKey = 'b2'.repeat(32);
const admin = { email: 'ops@example.com', password: 'a long enough password' };

let dataDir: string;
let hook: WebhookReceiver;
beforeAll(async () => {
  requireBuild();
  dataDir = tempDataDir();
  hook = await new WebhookReceiver([secret]).start();
});
afterAll(async () => {
  await hook.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('tocsin notify test sends through the configured notifier; rotate-secrets re-encrypts', async () => {
  const env = {
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_SECRET_KEY: oldKey,
    TOCSIN_OUTBOUND_ALLOW: '127.0.0.1/32',
    TOCSIN_ADMIN_EMAIL: admin.email,
    TOCSIN_ADMIN_PASSWORD: admin.password,
  };
  const s = await serve(env, ['--no-demo']);
  try {
    const login = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${s.url}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (
        await call('PUT', '/api/notifiers/webhook', {
          enabled: true,
          config: { secrets: [secret] },
        })
      ).status,
    ).toBe(200);
    const cm = await call('POST', '/api/me/contact-methods', {
      type: 'webhook',
      label: 'ops hook',
      address: `${hook.url}/ops`,
    });
    expect(cm.status).toBe(201);
    const code = /code is (\d{6})/.exec(hook.requests.at(-1)!.body)![1]!;
    const { id } = (await cm.json()) as { id: string };
    expect((await call('POST', `/api/me/contact-methods/${id}/verify`, { code })).status).toBe(200);
  } finally {
    await s.stop();
  }

  const ok = await runCliAsync(
    ['notify', 'test', '--user', admin.email, '--method', 'webhook', '--json'],
    env,
  );
  expect(ok.status, ok.stderr).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, channel: 'webhook' });
  const last = hook.received.at(-1)!;
  expect(last.verified).toBe(true);
  expect(last.payload).toMatchObject({ type: 'notification.test' });

  hook.respondNext({ status: 400 });
  const failed = await runCliAsync(
    ['notify', 'test', '--user', admin.email, '--method', 'webhook'],
    env,
  );
  expect(failed.status).toBe(1);
  expect(failed.stdout).toContain('NOT sent by webhook');
  expect(failed.stdout).toContain('webhook 400');

  const missing = await runCliAsync(
    ['notify', 'test', '--user', admin.email, '--method', 'sms'],
    env,
  );
  expect(missing.status).not.toBe(0);
  expect(missing.stderr).toContain('No contact method sms');

  // Rotation: the new key first, the old one still listed; then the old one can go.
  const rotated = await runCliAsync(['notify', 'rotate-secrets', '--json'], {
    ...env,
    TOCSIN_SECRET_KEY: `${newKey},${oldKey}`,
  });
  expect(rotated.status, rotated.stderr).toBe(0);
  expect(JSON.parse(rotated.stdout)).toMatchObject({
    changed: 1,
    unreadable: 0,
    kinds: { notifierSettings: { changed: 1, unreadable: 0 } },
  });
  const after = await runCliAsync(
    ['notify', 'test', '--user', admin.email, '--method', 'webhook', '--json'],
    {
      ...env,
      TOCSIN_SECRET_KEY: newKey,
    },
  );
  expect(after.status, after.stderr).toBe(0);
  expect(hook.received.at(-1)!.verified).toBe(true);
  // And with only the old key, the secret can no longer be read.
  const stale = await runCliAsync(
    ['notify', 'test', '--user', admin.email, '--method', 'webhook'],
    env,
  );
  expect(stale.status).not.toBe(0);
  expect(stale.stderr + stale.stdout).not.toContain(secret);
});
