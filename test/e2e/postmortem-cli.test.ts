import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuild, runCliAsync, serve, tempDataDir } from './built.js';

// The command line after an incident: a SEV1 resolved through the API gets its postmortem
// drafted by the engine; `tocsin postmortem list` shows it and `tocsin postmortem export <n>`
// prints it as Markdown with the timeline filled in.

let dataDir: string;
beforeAll(() => {
  requireBuild();
  dataDir = tempDataDir();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('tocsin postmortem list and export', async () => {
  const admin = { email: 'admin@cli.test', password: 'cli admin password' };
  const env = {
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_SECRET_KEY: 'c4'.repeat(32),
    TOCSIN_ADMIN_EMAIL: admin.email,
    TOCSIN_ADMIN_PASSWORD: admin.password,
  };
  const server = await serve(env);
  let number = 0;
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const services = (await (await call('GET', '/api/services')).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    const cache = services.items.find((s) => s.name === 'Cache')!;
    const declared = (await (
      await call('POST', '/api/incidents', {
        title: 'Cache cluster down',
        severity: 'SEV1',
        serviceIds: [cache.id],
      })
    ).json()) as { id: string; number: number };
    number = declared.number;
    expect(
      (await call('POST', `/api/incidents/${declared.id}/status`, { status: 'resolved' })).status,
    ).toBe(200);
    await expect
      .poll(async () => (await call('GET', `/api/incidents/${declared.id}/postmortem`)).status, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe(200);
  } finally {
    await server.stop();
  }

  const list = await runCliAsync(['postmortem', 'list', '--status', 'draft'], env);
  expect(list.status, list.stderr).toBe(0);
  expect(list.stdout).toMatch(new RegExp(`#${number}\\s+draft\\s+#${number} Cache cluster down`));
  const bad = await runCliAsync(['postmortem', 'list', '--status', 'final'], env);
  expect(bad.status).not.toBe(0);
  expect(bad.stderr).toContain('status');

  const md = await runCliAsync(['postmortem', 'export', `#${number}`], env);
  expect(md.status, md.stderr).toBe(0);
  expect(md.stdout).toContain(`# Postmortem: #${number} Cache cluster down`);
  expect(md.stdout).toContain('## Timeline');
  expect(md.stdout).toMatch(/- \d{4}-\d\d-\d\d [\d:]+Z — Admin declared SEV1/);
  const missing = await runCliAsync(['postmortem', 'export', '999'], env);
  expect(missing.status).not.toBe(0);
  expect(missing.stderr).toContain('No incident #999');
});
