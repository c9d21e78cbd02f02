import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import { root, type Served } from './built.js';

// The web shell in a real browser, against the built server on a fresh demo organisation.

const admin = e2eAdmin;

describe.runIf(chromiumAvailable())('web UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;

  beforeAll(async () => {
    session = await openUiSession();
    ({ server, page } = session);
  });

  afterAll(() => session?.close());

  const main = () => page.getByRole('navigation', { name: 'Main' });

  it('sends an anonymous visitor to the login page, which rejects a wrong password', async () => {
    await page.goto(server.url + '/services');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/wrong/i);
  });

  it('signs the demo admin in and returns to the page they wanted', async () => {
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/services');
    const text = await page.getByRole('table').innerText();
    for (const name of ['Web frontend', 'Public API', 'Cache', 'Customer portal'])
      expect(text).toContain(name);
  });

  it('has no dead links: every area of the navigation opens a page with a heading', async () => {
    for (const [link, path] of [
      ['Incidents', '/incidents'],
      ['Alerts', '/alerts'],
      ['Services', '/services'],
      ['Checks', '/checks'],
      ['On-call', '/on-call'],
      ['Status pages', '/status-pages'],
      ['Postmortems', '/postmortems'],
      ['Reports', '/reports'],
      ['Settings', '/settings/profile'],
    ] as const) {
      await main().getByRole('link', { name: link, exact: true }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await page.getByText('Page not found').count()).toBe(0);
    }
  });

  it('creates a team API key, shows the secret once, and the key works against the API', async () => {
    await page.goto(server.url + '/settings/teams');
    await page.getByRole('link', { name: 'Platform' }).click();
    await page.getByLabel('Key name').fill('deploy bot');
    await page
      .getByLabel('Key role')
      .selectOption('responder')
      .catch(async () => {
        // Mantine Select renders a combobox rather than a native select.
        await page.getByLabel('Key role').click();
        await page.getByRole('option', { name: /responder/i }).click();
      });
    await page.getByRole('button', { name: 'Create API key' }).click();
    const secret = (await page.getByTestId('api-key-secret').innerText()).trim();
    expect(secret).toMatch(/^tocsin_/);
    await page.getByRole('button', { name: 'Done' }).click();
    // Gone once the dialog closes (after its closing transition).
    await expect.poll(() => page.getByText(secret).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'API keys' }).innerText()).toContain('deploy bot');

    const res = await fetch(server.url + '/api/services', {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
  });

  it('shows the writes in the audit log', async () => {
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.waitFor();
    await expect.poll(() => table.innerText()).toContain('apikey.created');
    expect(await table.innerText()).toContain('Admin');
  });

  it('switches to dark mode and keeps it across a reload', async () => {
    const scheme = () => page.locator('html').getAttribute('data-mantine-color-scheme');
    const before = await scheme();
    await page.getByRole('button', { name: 'Toggle color scheme' }).click();
    await expect.poll(scheme).not.toBe(before);
    const after = await scheme();
    await page.reload();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await scheme()).toBe(after);
    if (after !== 'light') {
      await page.getByRole('button', { name: 'Toggle color scheme' }).click();
      await expect.poll(scheme).toBe('light');
    }
  });

  it('on a phone: the closed menu is out of the Tab order, opens with its button, and pages fit the width', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      await page.goto(server.url + '/alerts/maintenance');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const menuButton = page.getByRole('button', { name: 'Toggle navigation' });
      expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
      // Tabbing through the header never lands in the hidden menu.
      const inMenu = () =>
        page.evaluate(`!!document.activeElement?.closest('nav[aria-label="Main"]')`);
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        expect(await inMenu()).toBe(false);
      }
      // Nothing wider than the screen (a long header button wraps below the title).
      const overflow = () =>
        page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        ) as Promise<number>;
      expect(await overflow()).toBeLessThanOrEqual(0);
      await menuButton.click();
      expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
      await main().getByRole('link', { name: 'Status pages', exact: true }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/status-pages');
      await page.getByRole('link', { name: 'Demo status' }).first().click();
      await page.getByRole('tab', { name: 'Components' }).waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('signs out, after which the API refuses the old session', async () => {
    await page.goto(server.url + '/services');
    await page.getByRole('table').waitFor();
    // `TOCSIN_SCREENSHOT=1 npm run test:e2e` refreshes the README's picture.
    if (process.env.TOCSIN_SCREENSHOT)
      await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'tocsin_session')!;
    expect(session.httpOnly).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    const me = await fetch(server.url + '/api/auth/me', {
      headers: { cookie: `tocsin_session=${session.value}` },
    });
    expect(me.status).toBe(401);
  });
});
