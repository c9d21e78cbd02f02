import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuild, runCli, serve, tempDataDir } from './built.js';

type Items = { items: Array<{ name: string }> };
const json = async (r: Response) => (await r.json()) as Items;

// The first-run story of `npm start`: a fresh data dir, a demo organisation, credentials shown
// once, the login page served, a clean stop on SIGTERM, and a quick restart on the same data.

let dataDir: string;
beforeAll(() => {
  requireBuild();
  dataDir = tempDataDir();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('first start seeds the demo organisation and prints the admin credentials once; SIGTERM exits 0', async () => {
  const s = await serve({ TOCSIN_DATA_DIR: dataDir });
  try {
    const out = s.output();
    expect(out).toContain('demo organisation created');
    const password = /Password: (\S+)/.exec(out)![1]!;
    const page = await fetch(s.url + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const deep = await fetch(s.url + '/settings/teams');
    expect(deep.status).toBe(200);

    const login = await fetch(s.url + '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@tocsin.local', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const teams = await json(await fetch(s.url + '/api/teams', { headers: { cookie } }));
    expect(teams.items.map((t: { name: string }) => t.name)).toEqual(['Platform', 'Solutions']);
    const users = await json(await fetch(s.url + '/api/users', { headers: { cookie } }));
    expect(users.items).toHaveLength(5);
    const services = await json(await fetch(s.url + '/api/services', { headers: { cookie } }));
    expect(services.items.length).toBeGreaterThanOrEqual(3);
  } finally {
    expect(await s.stop()).toBe(0);
  }
  expect(s.output()).toContain('SIGTERM: draining and stopping');
});

it('restarts on the existing database quickly, without seeding or printing credentials again', async () => {
  const s = await serve({ TOCSIN_DATA_DIR: dataDir });
  try {
    expect(s.output()).not.toContain('Password:');
    // The target is "ready in under 3 s"; CI machines vary, so the test allows slack and
    // the measured figure is reported by the benchmark, not asserted tightly here.
    expect(s.readyMs).toBeLessThan(6000);
    const ready = await fetch(s.url + '/readyz');
    expect([200, 503]).toContain(ready.status);
  } finally {
    expect(await s.stop()).toBe(0);
  }
});

it('--no-demo starts clean: only the admin, from TOCSIN_ADMIN_EMAIL / TOCSIN_ADMIN_PASSWORD', async () => {
  const dir = tempDataDir();
  const s = await serve(
    {
      TOCSIN_DATA_DIR: dir,
      TOCSIN_ADMIN_EMAIL: 'ops@example.com',
      TOCSIN_ADMIN_PASSWORD: 'given by the operator',
    },
    ['--no-demo'],
  );
  try {
    expect(s.output()).toContain('empty organisation created');
    expect(s.output()).not.toContain('Password:');
    const login = await fetch(s.url + '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'given by the operator' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const teams = await json(await fetch(s.url + '/api/teams', { headers: { cookie } }));
    expect(teams.items).toEqual([]);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('the CLI creates users and API keys with --json, and a revoked key stops working', async () => {
  const env = { TOCSIN_DATA_DIR: dataDir };
  const user = runCli(
    [
      'user',
      'create',
      '--email',
      'eve@example.com',
      '--name',
      'Eve',
      '--password',
      'long enough pass',
      '--team',
      'Platform',
      '--role',
      'viewer',
      '--json',
    ],
    env,
  );
  expect(user.status, user.stderr).toBe(0);
  expect(JSON.parse(user.stdout)).toMatchObject({ email: 'eve@example.com', isOrgAdmin: false });

  const created = runCli(
    ['apikey', 'create', '--team', 'Platform', '--role', 'admin', '--name', 'ci', '--json'],
    env,
  );
  expect(created.status, created.stderr).toBe(0);
  const key = JSON.parse(created.stdout) as { id: string; key: string; role: string };
  expect(key.key).toMatch(/^tocsin_/);
  expect(key.role).toBe('admin');

  const s = await serve(env);
  try {
    const auth = { authorization: `Bearer ${key.key}` };
    expect((await fetch(s.url + '/api/services', { headers: auth })).status).toBe(200);
    const revoked = runCli(
      ['apikey', 'revoke', '--team', 'Platform', '--id', key.id, '--json'],
      env,
    );
    expect(revoked.status, revoked.stderr).toBe(0);
    expect((await fetch(s.url + '/api/services', { headers: auth })).status).toBe(401);

    const reset = runCli(
      ['user', 'reset-password', '--email', 'eve@example.com', '--password', 'another long pass'],
      env,
    );
    expect(reset.status, reset.stderr).toBe(0);
    const login = await fetch(s.url + '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eve@example.com', password: 'another long pass' }),
    });
    expect(login.status).toBe(200);
  } finally {
    await s.stop();
  }

  const bad = runCli(
    ['user', 'create', '--email', 'not-an-email', '--name', 'X', '--password', 'long enough pass'],
    env,
  );
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('email');
  expect(runCli(['version', '--json'], env).stdout).toContain('"version"');
  expect(runCli(['apikey', 'create', '--help'], env).stdout).toContain('--team <team>');
  expect(join(dataDir, 'tocsin.db')).toBeTruthy();
});
