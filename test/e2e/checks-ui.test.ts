import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchableHttpServer } from '../doubles/check-targets.js';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// Health checks in a real browser: an HTTP check made through the form against a local target
// (127.0.0.1, so the org admin allows private addresses in the form), "Test now", the check going
// up on its own schedule, then the target switched off and the check shown down on its page and
// in the list.

const admin = e2eAdmin;
const name = 'Local target (e2e)';
// The server runs the check every 10 s, the page refreshes every 5 s: a result shows within
// about 15 s; a slow machine gets twice that and more.
const waitMs = 40_000;

describe.runIf(chromiumAvailable())('checks UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let target: SwitchableHttpServer;
  let checkPath = '';

  beforeAll(async () => {
    target = await new SwitchableHttpServer().start();
    session = await openUiSession({}, { width: 1400, height: 900 });
    ({ server, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    await target?.stop();
  });

  const main = () => page.getByRole('navigation', { name: 'Main' });
  const statusLine = () => page.getByTestId('check-status-line');

  it('creates an HTTP check through the form and opens its page', async () => {
    await page.goto(server.url + '/checks');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checks' }).waitFor();
    expect(
      await main().getByRole('link', { name: 'Checks', exact: true }).getAttribute('aria-current'),
    ).toBe('page');
    // The demo organisation comes with two checks.
    const table = page.getByRole('table', { name: 'Checks' });
    await expect.poll(() => table.innerText()).toContain('Nightly cache snapshot');
    expect(await table.innerText()).toContain('Tocsin health (this server)');

    await page.getByRole('button', { name: 'New check' }).click();
    const dialog = page.getByRole('dialog', { name: 'New check' });
    expect(await dialog.getByLabel('Check type').inputValue()).toBe('http');
    await dialog.getByRole('textbox', { name: /^Check name/ }).fill(name);
    await dialog.getByRole('textbox', { name: /^URL\b/ }).fill(`${target.url}/health`);
    await dialog.getByLabel('Keyword').fill('ok');
    await dialog.getByLabel('Interval (seconds)').fill('10');
    await dialog.getByLabel('Timeout (seconds)').fill('5');
    await dialog.getByLabel('Failures before alerting').fill('1');
    await dialog.getByLabel('May reach private addresses').check();
    // "Test now" before the check exists: probes the form's settings, creates nothing.
    await dialog.getByRole('button', { name: 'Test now' }).click();
    const draftResult = dialog.getByTestId('test-result');
    await draftResult.waitFor();
    expect(await draftResult.innerText()).toContain('Test passed: up');
    expect(target.requests.length).toBe(1);
    await dialog.getByRole('button', { name: 'Create check' }).click();

    await page.getByRole('heading', { level: 1, name }).waitFor();
    checkPath = new URL(page.url()).pathname;
    expect(checkPath).toMatch(/^\/checks\/[0-9a-f-]{36}$/);
    expect(await statusLine().innerText()).toContain(`${target.url}/health`);
    const settings = page.getByRole('table', { name: 'Check settings' });
    expect(await settings.innerText()).toMatch(/every 10 s, timeout 5 s/);
    expect(await settings.innerText()).toMatch(/after 1 failure in a row/);
  });

  it('"Test now" shows the result without recording it', async () => {
    await page.getByRole('button', { name: 'Test now' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('Test passed: up');
    expect(await result.innerText()).toContain('"status": 200');
    expect(target.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('goes green on its own schedule, on its page and in the list', async () => {
    await expect
      .poll(() => statusLine().innerText(), { timeout: waitMs, interval: 500 })
      .toMatch(/^up/i);
    const results = page.getByRole('table', { name: 'Recent results' });
    await expect.poll(() => results.innerText(), { timeout: 15_000 }).toContain('OK');
    await page.getByRole('list', { name: 'Uptime by period' }).waitFor();
    expect(await page.getByRole('listitem', { name: 'Uptime over 24 hours: 100 %' }).count()).toBe(
      1,
    );
    const chart = page.getByTestId('latency-chart');
    await expect
      .poll(() => chart.getAttribute('aria-label'), { timeout: 20_000 })
      .toMatch(/^Latency over the last 24 hours: typical p50 [\d.]+ ms/);
    // Drawn by uPlot on a canvas the width of the page's column.
    const canvas = chart.locator('canvas');
    expect(await canvas.count()).toBe(1);
    expect((await canvas.boundingBox())!.width).toBeGreaterThan(300);
    expect(await page.getByText('No downtime in the last 90 days.').count()).toBe(1);
    await page.getByRole('link', { name: '← All checks' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/\bup\b/i);
    expect(await row.innerText()).toContain('HTTP(S)');
    expect(await row.innerText()).toContain('100 %');
    await row.getByTestId('latency-sparkline').waitFor();
  });

  it('turns red in the list and on its page when the target goes down', async () => {
    await target.switchOff();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    await expect
      .poll(() => row.innerText(), { timeout: waitMs, interval: 500 })
      .toMatch(/\bdown\b/i);
    // The status filter finds it among the down checks.
    await page.getByLabel('Status').selectOption('down');
    await expect.poll(() => page.getByRole('link', { name }).count()).toBe(1);
    await page.getByLabel('Status').selectOption('up');
    await expect.poll(() => page.getByRole('link', { name }).count()).toBe(0);
    await page.getByLabel('Status').selectOption('');

    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await expect.poll(() => statusLine().innerText(), { timeout: 15_000 }).toMatch(/^down/i);
    const downtime = page.getByRole('table', { name: 'Downtime periods' });
    await expect.poll(() => downtime.innerText(), { timeout: 15_000 }).toContain('Ongoing');
    expect(await downtime.innerText()).toContain('connection refused');
    expect(await page.getByRole('table', { name: 'Recent results' }).innerText()).toContain(
      'Failed',
    );
  });

  it('creates a heartbeat, shows its URL once, and a ping through that URL marks it up', async () => {
    await main().getByRole('link', { name: 'Checks', exact: true }).click();
    await page.getByRole('button', { name: 'New check' }).click();
    const dialog = page.getByRole('dialog', { name: 'New check' });
    await dialog.getByLabel('Check type').selectOption('heartbeat');
    await dialog.getByRole('textbox', { name: /^Check name/ }).fill('Nightly export (e2e)');
    await dialog.getByRole('radio', { name: 'On a cron schedule' }).check();
    await dialog.getByLabel('Cron expression').fill('0 2 * * *');
    await dialog.getByLabel('Grace period (seconds)').fill('600');
    await dialog.getByRole('button', { name: 'Create check' }).click();

    const secret = page.getByRole('dialog', { name: 'Heartbeat URL' });
    const url = (await secret.getByTestId('heartbeat-url').innerText()).trim();
    expect(url).toMatch(new RegExp(`^${server.url}/api/heartbeats/[A-Za-z0-9_-]{20,}$`));
    expect(await secret.getByRole('button', { name: 'Copy URL' }).count()).toBe(1);
    const ping = await fetch(url, { method: 'POST' });
    expect(await ping.json()).toEqual({ ok: true, recorded: true });
    await secret.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('heading', { level: 1, name: 'Nightly export (e2e)' }).waitFor();
    // The URL is not shown again, anywhere.
    await expect.poll(() => page.getByText(url).count()).toBe(0);
    await expect.poll(() => statusLine().innerText(), { timeout: 15_000 }).toMatch(/^up/i);
    expect(await statusLine().innerText()).toMatch(/cron 0 2 \* \* \*/);

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => statusLine().innerText()).toMatch(/^paused/i);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit check' });
    expect(await edit.getByLabel('Cron expression').inputValue()).toBe('0 2 * * *');
    await edit.getByRole('textbox', { name: /^Check name/ }).fill('Nightly export v2 (e2e)');
    await edit.getByLabel('Grace period (seconds)').fill('900');
    await edit.getByRole('button', { name: 'Save check' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nightly export v2 (e2e)' }).waitFor();
    expect(await page.getByRole('table', { name: 'Check settings' }).innerText()).toContain(
      'grace 15 min',
    );
  });
});
