import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// A status page set up in the admin UI and read by a customer in Chromium: the page works
// without JavaScript, has no serious or critical axe-core findings, fits a phone's width, and the
// embeddable script shows a banner on another site while the incident is open.

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }>;
}

async function axe(page: Page): Promise<AxeResult['violations']> {
  await page.addScriptTag({ path: axePath });
  // A string: this file is compiled without the DOM library.
  const result = (await page.evaluate('window.axe.run(document)')) as AxeResult;
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe.runIf(chromiumAvailable())('status pages in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;

  beforeAll(async () => {
    session = await openUiSession();
    ({ server, page } = session);
    await page.goto(server.url + '/login');
    await page.getByLabel('Email').fill(e2eAdmin.email);
    await page.getByLabel('Password').fill(e2eAdmin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
  });

  afterAll(() => session?.close());

  // The status page's tab panels stay mounted (hidden ones keep their input): look in the named
  // one, so a locator never settles on a field of the panel that is closing.
  const panel = (tab: string) => page.getByRole('tabpanel', { name: tab });

  it('creates a page, a component and a public incident from the admin UI', async () => {
    await page.goto(server.url + '/status-pages');
    await page.getByRole('heading', { level: 1, name: 'Status pages' }).waitFor();
    await page.getByRole('button', { name: 'New status page' }).click();
    await page.getByLabel('Name').fill('Acme');
    await page.getByLabel('Address').fill('acme');
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme' }).waitFor();

    await panel('Components').getByLabel('Name').fill('Checkout API');
    await panel('Components')
      .getByLabel(/^Group/)
      .fill('Core');
    await page.getByRole('button', { name: 'Add component' }).click();
    await page.getByRole('cell', { name: 'Checkout API' }).waitFor();

    await page.getByRole('tab', { name: 'Incidents' }).click();
    await panel('Incidents').getByLabel('Title').fill('Payments are slow');
    // A look at another tab keeps what was typed, and the open tab is in the address.
    await page.getByRole('tab', { name: 'Components' }).click();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('components');
    await page.getByRole('tab', { name: 'Incidents' }).click();
    expect(await panel('Incidents').getByLabel('Title').inputValue()).toBe('Payments are slow');
    await panel('Incidents').getByLabel('Message').fill('We are investigating slow payments.');
    await page.getByRole('button', { name: 'Post incident' }).click();
    await page.getByRole('article', { name: 'Payments are slow' }).waitFor();
  });

  it('keeps a message template per status, and a new incident starts from it', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await panel('Settings').getByLabel('Status', { exact: true }).selectOption('investigating');
    await panel('Settings')
      .getByLabel('Template', { exact: true })
      .fill('We are looking at {components}.');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('button', { name: 'Use Tocsin’s default' }).waitFor();

    await page.getByRole('tab', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'Use the investigating template' }).click();
    expect(await panel('Incidents').getByLabel('Message').inputValue()).toBe(
      'We are looking at our services.',
    );
  });

  it('serves the public page: accessible, without JavaScript, on a phone', async () => {
    const browser = page.context().browser()!;
    // The page's CSP forbids injected scripts (as it should): axe needs that bypassed.
    const audit = await browser.newContext({ bypassCSP: true });
    const pub = await audit.newPage();
    try {
      await pub.goto(server.url + '/status/acme');
      await pub.getByRole('heading', { level: 1, name: 'Acme' }).waitFor();
      expect(await pub.getByRole('heading', { level: 2, name: 'Current incidents' }).count()).toBe(
        1,
      );
      expect(await pub.getByText('We are investigating slow payments.').count()).toBe(1);
      const findings = await axe(pub);
      expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    } finally {
      await audit.close();
    }

    const noJs = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    try {
      const phone = await noJs.newPage();
      await phone.goto(server.url + '/status/acme');
      await phone.getByRole('heading', { level: 1, name: 'Acme' }).waitFor();
      expect(await phone.getByText('Checkout API').count()).toBeGreaterThan(0);
      expect(await phone.getByLabel('Email address').count()).toBe(1);
      const overflow = (await phone.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      )) as number;
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await noJs.close();
    }
  });

  it('shows the embedded banner on another site while the incident is open', async () => {
    const context = await page.context().browser()!.newContext();
    const other = await context.newPage();
    try {
      await other.setContent(
        `<!doctype html><html lang="en"><body><main><h1>Customer app</h1></main><script src="${server.url}/status/acme/embed.js"></script></body></html>`,
      );
      const banner = other.locator('#tocsin-status-banner');
      await banner.waitFor();
      expect(await banner.innerText()).toContain('Payments are slow');
      expect(await banner.getByRole('link').getAttribute('href')).toMatch(/\/status\/acme$/);
      await other.getByRole('button', { name: 'Dismiss status banner' }).click();
      expect(await banner.count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
