import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, launchChromium } from './browser.js';
import { requireBuild, serve, tempDataDir, type Served } from './built.js';

// Accessibility in a real browser: axe-core finds nothing serious or critical on the main
// pages in light and dark, and the keyboard checks of the accessibility review hold: incident
// shortcuts ignored on buttons, resolve by shortcut confirmed, shortcuts can be turned off, what
// they did announced; focus kept after acknowledging; the mobile menu closed by Escape.

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const admin = e2eAdmin;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Serious and critical axe findings on the page, as "rule: targets" lines. */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.addScriptTag({ path: axePath });
  // A string: this file is compiled without the DOM library.
  const result = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] })',
  )) as { violations: Violation[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.nodes.length}): ${v.nodes
          .slice(0, 5)
          .map((n) => JSON.stringify(n.target))
          .join(' ')}`,
    );
}

describe.runIf(chromiumAvailable())('accessibility in Chromium', () => {
  let server: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  let cookie = '';
  let csrfToken = '';
  let incidentId = '';

  async function api(method: string, path: string, body?: unknown) {
    return fetch(`${server.url}${path}`, {
      method,
      headers: {
        cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function declare(title: string): Promise<{ id: string; number: number }> {
    const services = (await (await api('GET', '/api/services')).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    const web = services.items.find((s) => s.name === 'Web frontend')!;
    const res = await api('POST', '/api/incidents', {
      title,
      severity: 'SEV2',
      serviceIds: [web.id],
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; number: number };
  }

  const announced = () => page.locator('#app-announcer').innerText();
  const activeTag = () =>
    page.evaluate(
      '(() => { const e = document.activeElement; return !e || e === document.body ? "BODY" : e.tagName + (e.id ? "#" + e.id : ""); })()',
    ) as Promise<string>;
  /** Loaded: the page's h1 shown and no loader left. */
  async function settled() {
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expect
      .poll(() => page.locator('.mantine-Loader-root').count(), { timeout: 10_000 })
      .toBe(0);
  }

  beforeAll(async () => {
    requireBuild();
    dataDir = tempDataDir();
    server = await serve({
      TOCSIN_DATA_DIR: dataDir,
      TOCSIN_ADMIN_EMAIL: admin.email,
      TOCSIN_ADMIN_PASSWORD: admin.password,
    });
    browser = await launchChromium();
    // axe is injected as a script: a Content-Security-Policy must not stop it.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    csrfToken = ((await login.json()) as { csrfToken: string }).csrfToken;
    incidentId = (await declare('Checkout latency (a11y e2e)')).id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has no serious or critical axe findings on the sign-in page, light and dark', async () => {
    await page.goto(server.url + '/login');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const findings: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      findings.push(...(await axe(page)).map((f) => `/login ${scheme}: ${f}`));
    }
    expect(findings).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
  });

  it('has no serious or critical axe findings on the main pages, light and dark', async () => {
    const findings: string[] = [];
    for (const path of [
      '/',
      '/incidents',
      `/incidents/${incidentId}`,
      '/alerts',
      '/services',
      '/on-call',
      '/settings/notifications',
    ]) {
      await page.goto(server.url + path);
      await settled();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        findings.push(...(await axe(page)).map((f) => `${path} ${scheme}: ${f}`));
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(findings, findings.join('\n')).toEqual([]);
  });

  it('announces a new incident on the incident list', async () => {
    await page.goto(server.url + '/incidents');
    await settled();
    const { number } = await declare('Queue backlog (a11y e2e)');
    await expect
      .poll(announced, { timeout: 10_000 })
      .toContain(`New incident #${number}: Queue backlog (a11y e2e)`);
  });

  it('ignores shortcuts on a button, confirms resolve, and can turn them off', async () => {
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await settled();
    const acknowledge = page.getByRole('button', { name: 'Acknowledge' });
    // On a focused button, "a" is the button's business, not a shortcut.
    await page.getByRole('link', { name: 'Export Markdown' }).focus();
    await page.keyboard.press('a');
    await page.getByRole('button', { name: 'Mitigated' }).focus();
    await page.keyboard.press('r');
    await page.waitForTimeout(500);
    expect(await acknowledge.count()).toBe(1);

    // Resolve by shortcut asks first; declined, nothing happens.
    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('r');
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toMatch(/^Resolve incident #\d+/);
    await expect.poll(announced).toContain('Not resolved');
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(1);

    // Turned off on the profile page: "a" does nothing.
    await page.goto(server.url + '/settings/profile');
    const setting = page.getByRole('switch', { name: 'Single-key shortcuts on incident pages' });
    await setting.uncheck({ force: true });
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await settled();
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('a');
    await page.waitForTimeout(500);
    expect(await acknowledge.count()).toBe(1);
    await page.goto(server.url + '/settings/profile');
    await setting.check({ force: true });

    // On again, from the page itself: acknowledged, and said so.
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await settled();
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('a');
    await acknowledge.waitFor({ state: 'detached' });
    await expect.poll(announced).toMatch(/Incident #\d+ acknowledged \(shortcut A\)/);
  });

  it('keeps focus on the page after Acknowledge with the keyboard, not on <body>', async () => {
    const { id } = await declare('Login errors (a11y e2e)');
    await page.goto(`${server.url}/incidents/${id}`);
    await settled();
    const acknowledge = page.getByRole('button', { name: 'Acknowledge' });
    await acknowledge.focus();
    await page.keyboard.press('Enter');
    await acknowledge.waitFor({ state: 'detached' });
    await expect.poll(activeTag).toBe('DIV#incident-status');
    await expect.poll(announced).toMatch(/Incident #\d+ acknowledged/);
  });

  it('moves focus to the first invalid field after a failed submit', async () => {
    await page.goto(server.url + '/on-call/schedules');
    await settled();
    await page.getByRole('button', { name: 'New schedule' }).click();
    const dialog = page.getByRole('dialog');
    const submit = dialog.getByRole('button', { name: /^Create/ });
    await submit.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        page.evaluate(
          '(() => { const e = document.activeElement; return e.tagName + " " + e.getAttribute("aria-invalid"); })()',
        ),
      )
      .toBe('INPUT true');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('moves focus to the new page’s heading after navigating', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Services' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    await expect.poll(activeTag).toBe('H1');
  });

  it('opens the mobile menu into it, makes the page inert, and closes it with Escape', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url + '/services');
    await settled();
    const burger = page.getByRole('button', { name: 'Toggle navigation' });
    await burger.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => burger.getAttribute('aria-expanded')).toBe('true');
    await expect
      .poll(() => page.evaluate('!!document.activeElement.closest("#main-navigation")'))
      .toBe(true);
    expect(await page.locator('main').getAttribute('inert')).not.toBeNull();
    await page.keyboard.press('Escape');
    await expect.poll(() => burger.getAttribute('aria-expanded')).toBe('false');
    await expect
      .poll(() => page.evaluate('document.activeElement.getAttribute("aria-label")'))
      .toBe('Toggle navigation');
    expect(await page.locator('main').getAttribute('inert')).toBeNull();
  });
});
