import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuild, runCliAsync, serve, tempDataDir } from './built.js';

// `tocsin check list` and `tocsin check run` against the demo's checks: the HTTP check of the
// server's own /healthz is up while the server runs and down (exit 1) once it has stopped. The
// demo's status page is there too.

let dataDir: string;
beforeAll(() => {
  requireBuild();
  dataDir = tempDataDir();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('tocsin check list and check run, up while the server runs, down after', async () => {
  const env = { TOCSIN_DATA_DIR: dataDir, TOCSIN_SECRET_KEY: 'd4'.repeat(32) };
  const server = await serve(env);
  try {
    const list = await runCliAsync(['check', 'list', '--json'], env);
    expect(list.status, list.stderr).toBe(0);
    const checks = JSON.parse(list.stdout) as Array<{ name: string; kind: string }>;
    expect(checks.map((c) => [c.name, c.kind]).sort()).toEqual([
      ['Nightly cache snapshot', 'heartbeat'],
      ['Tocsin health (this server)', 'http'],
    ]);

    // The demo's status page shows the platform's services, the API also from that check.
    const html = await fetch(`${server.url}/status/demo`);
    expect(html.status).toBe(200);
    const text = await html.text();
    for (const name of ['Demo status', 'Website', 'API']) expect(text).toContain(name);
    const summary = (await (
      await fetch(`${server.url}/status/demo/api/v2/summary.json`)
    ).json()) as {
      components: Array<{ name: string; status: string }>;
    };
    expect(summary.components.find((c) => c.name === 'API')?.status).toBe('operational');

    const up = await runCliAsync(['check', 'run', 'Tocsin health (this server)'], env);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/\bup\b/);

    const heartbeat = await runCliAsync(['check', 'run', 'Nightly cache snapshot'], env);
    expect(heartbeat.status).not.toBe(0);
    expect(heartbeat.stderr).toContain('heartbeat');

    const unknown = await runCliAsync(['check', 'run', 'No such check'], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('No check No such check');
  } finally {
    await server.stop();
  }

  // `tocsin event` names a bad or unreachable --url in one line (exit 2), no stack trace.
  const send = (url: string) =>
    runCliAsync(['event', 'trigger', '--key', 'k'.repeat(32), '--summary', 'x', '--url', url], env);
  const notUrl = await send('not a url');
  expect(notUrl.status).toBe(2);
  expect(notUrl.stderr).toMatch(/^tocsin: --url not a url is not a URL.*\[VALIDATION_FAILED\]\n$/);
  const gone = await send(server.url);
  expect(gone.status).toBe(2);
  expect(gone.stderr).toMatch(/^tocsin: cannot reach http:\/\/[^ ]+: ECONNREFUSED.*\n$/);

  const down = await runCliAsync(['check', 'run', 'Tocsin health (this server)', '--json'], env);
  expect(down.status).toBe(1);
  expect(JSON.parse(down.stdout)).toMatchObject({ ok: false });

  const table = await runCliAsync(['check', 'list'], env);
  expect(table.status, table.stderr).toBe(0);
  expect(table.stdout).toMatch(/Tocsin health \(this server\)/);
});
