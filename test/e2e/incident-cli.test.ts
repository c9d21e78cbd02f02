import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuild, runCliAsync, serve, tempDataDir } from './built.js';

// The command line during an incident: declare one against the demo's services, list what is
// open, and export the timeline as Markdown for the postmortem.

let dataDir: string;
beforeAll(() => {
  requireBuild();
  dataDir = tempDataDir();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('tocsin incident declare, list and export', async () => {
  const env = { TOCSIN_DATA_DIR: dataDir, TOCSIN_SECRET_KEY: 'c3'.repeat(32) };
  // First start seeds the demo organisation (Web frontend, Cache, …).
  await (await serve(env)).stop();

  const declared = await runCliAsync(
    [
      'incident',
      'declare',
      '--title',
      'Checkout 5xx above 20%',
      '--severity',
      'sev2',
      '--service',
      'Web frontend',
      '--service',
      'cache',
      '--customer-impacting',
      '--json',
    ],
    env,
  );
  expect(declared.status, declared.stderr).toBe(0);
  const incident = JSON.parse(declared.stdout) as { number: number; severity: string };
  expect(incident).toMatchObject({
    severity: 'SEV2',
    status: 'triggered',
    customerImpacting: true,
  });

  const bad = await runCliAsync(
    ['incident', 'declare', '--title', 'x', '--severity', 'SEV9', '--service', 'Cache'],
    env,
  );
  expect(bad.status).not.toBe(0);
  expect(bad.stderr).toContain('severity');

  const list = await runCliAsync(['incident', 'list'], env);
  expect(list.status, list.stderr).toBe(0);
  expect(list.stdout).toMatch(
    new RegExp(`#${incident.number}\\s+SEV2\\s+triggered\\s+Checkout 5xx`),
  );

  const md = await runCliAsync(['incident', 'export', '--number', String(incident.number)], env);
  expect(md.status, md.stderr).toBe(0);
  expect(md.stdout).toContain(`# Incident #${incident.number}: Checkout 5xx above 20%`);
  expect(md.stdout).toContain('- Services: Cache, Web frontend');
  expect(md.stdout).toMatch(
    /\| \d{4}-\d\d-\d\dT[\d:.]+Z \| cli \| incident\.declared: cli declared SEV2 \(Production System Impaired\)/,
  );
});
