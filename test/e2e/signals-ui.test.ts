import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// Signals in a real browser: an integration made in the UI, an event sent with its key, the alert
// showing up live, acknowledged and silenced, and its incident resolved from the incident page.

const admin = e2eAdmin;
const summary = 'Disk full on db-7 (e2e)';
const marker = `e2e-${Date.now()}`;

describe.runIf(chromiumAvailable())('signals UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let key = '';

  beforeAll(async () => {
    session = await openUiSession({}, { width: 1400, height: 900 });
    ({ server, page } = session);
  });

  afterAll(() => session?.close());

  const main = () => page.getByRole('navigation', { name: 'Main' });

  it('adds an integration to a demo service and shows its key with ready-made snippets', async () => {
    await page.goto(server.url + '/services');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Web frontend' }).click();
    await page.getByRole('heading', { level: 1, name: 'Web frontend' }).waitFor();

    expect(await page.getByLabel('Integration type').inputValue()).toBe('pagerduty-v2');
    await page.getByLabel('Integration name').fill('Prod monitoring');
    await page.getByRole('button', { name: 'Add integration' }).click();
    const dialog = page.getByRole('dialog', { name: 'Integration created' });
    key = (await dialog.getByTestId('integration-key').innerText()).trim();
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    const text = await dialog.innerText();
    // The curl example and the Alertmanager receiver both carry this key and this server.
    expect(text).toContain(`curl -X POST ${server.url}/v2/enqueue`);
    expect(text).toContain(`"routing_key":"${key}"`);
    expect(text).toContain('pagerduty_configs:');
    expect(text).toContain(`routing_key: ${key}`);
    expect(
      await dialog.getByRole('button', { name: 'Copy curl (PagerDuty Events API v2)' }).count(),
    ).toBe(1);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByText(key).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Integrations' }).innerText()).toContain(
      'Prod monitoring',
    );
  });

  it('shows an event sent with that key in the alert list without a reload', async () => {
    await main().getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByText('No alerts match these filters.').waitFor();
    expect(await page.getByText(summary).count()).toBe(0);

    const res = await fetch(`${server.url}/v2/enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'db-7-disk',
        payload: {
          summary,
          source: 'db-7',
          severity: 'critical',
          custom_details: { marker },
        },
      }),
    });
    expect(res.status).toBe(202);

    // The list refreshes itself (every few seconds).
    const link = page.getByRole('link', { name: summary });
    await link.waitFor({ timeout: 15_000 });
    const row = page.getByRole('row').filter({ has: link });
    expect(await row.innerText()).toMatch(/critical/i);
    expect(await row.innerText()).toMatch(/triggered/i);
    expect(await row.innerText()).toContain('Web frontend');
  });

  it('opens the alert, shows the raw payload and acknowledges it', async () => {
    await page.getByRole('link', { name: summary }).click();
    await page.getByRole('heading', { level: 1, name: summary }).waitFor();
    await page.getByRole('button', { name: 'Show raw payload' }).click();
    const raw = page.locator('#alert-raw-payload');
    await expect.poll(() => raw.innerText()).toContain(marker);
    expect(await raw.innerText()).toContain('"dedup_key": "db-7-disk"');
    // The key is a credential: it is not kept with the payload.
    expect(await raw.innerText()).not.toContain(key);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    const fields = page.getByRole('table', { name: 'Alert fields' });
    await expect.poll(() => fields.innerText()).toMatch(/Acknowledged\s+\S.* by /);
  });

  it('creates a silence from “Silence similar…” and lists it', async () => {
    await page.getByRole('button', { name: 'Silence similar…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New silence' });
    // Prefilled from the alert's labels.
    const names = await dialog.getByRole('textbox', { name: /^Matcher \d+ name$/ }).all();
    const pairs = await Promise.all(
      names.map(async (_, i) => [
        await dialog.getByLabel(`Matcher ${i + 1} name`).inputValue(),
        await dialog.getByLabel(`Matcher ${i + 1} value`).inputValue(),
      ]),
    );
    expect(pairs).toContainEqual(['source', 'db-7']);
    expect(pairs).toContainEqual(['marker', marker]);
    await dialog.getByLabel('Comment').fill('Disk being replaced (e2e)');
    await dialog.getByRole('button', { name: 'Create silence' }).click();
    await page.getByText('Silence created.').waitFor();
    await page.getByRole('link', { name: 'See silences' }).click();
    const silences = page.getByRole('table', { name: 'Silences' });
    await silences.waitFor();
    const text = await silences.innerText();
    expect(text).toContain('Disk being replaced (e2e)');
    expect(text).toContain(`source="db-7"`);
  });

  it('finds the incident, resolves it from its page, and the timeline shows the resolve', async () => {
    await main().getByRole('link', { name: 'Incidents', exact: true }).click();
    const table = page.getByRole('table', { name: 'Incidents' });
    await table.waitFor();
    const row = page.getByRole('row').filter({ hasText: summary });
    expect(await row.count()).toBe(1);
    await row.getByRole('link').first().click();
    await page
      .getByRole('heading', { level: 1, name: new RegExp(summary.replace(/[()]/g, '\\$&')) })
      .waitFor();
    expect(await page.getByRole('table', { name: 'Incident alerts' }).innerText()).toContain(
      summary,
    );

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('button', { name: 'Resolve' }).waitFor({ state: 'detached' });
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.innerText()).toContain('Resolved by');
    // The resolve is the newest entry.
    const entries = await timeline.getByRole('listitem').allInnerTexts();
    expect(entries.at(-1)).toContain('Resolved by');
    expect(await page.getByText(/^Resolved .* by /).count()).toBeGreaterThan(0);
  });
});
