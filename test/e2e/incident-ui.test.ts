import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// Incident response in a real browser: a SEV2 declared from the list page on the demo's Web
// frontend (with the demo's recent changes shown), a commander assigned and a checklist item
// ticked, the incident moved forward with a keyboard shortcut and the buttons, each step on the
// timeline, a note added through the API
// showing up live without a reload, the list's filters and search, and a severity definition
// edited in the settings and shown when declaring.

const admin = e2eAdmin;
const title = `Checkout returns 503 (e2e ${Date.now()})`;

describe.runIf(chromiumAvailable())('incident UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let incidentId = '';
  /** Paths the page asked for (its live streams among them). */
  const requested: string[] = [];

  beforeAll(async () => {
    session = await openUiSession({}, { width: 1400, height: 900 });
    ({ server, page } = session);
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  });

  afterAll(() => session?.close());

  const timeline = () => page.getByRole('list', { name: 'Timeline' });
  const timelineText = () => timeline().innerText();

  it('signs in and opens the incident list', async () => {
    await page.goto(server.url + '/incidents');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/incidents');
    // The filters: team, status (mitigated included), severity, search.
    const filters = page.getByRole('region', { name: 'Filters' });
    expect(await filters.getByLabel('Status').locator('option').allInnerTexts()).toContain(
      'Mitigated',
    );
    for (const sev of ['SEV1', 'SEV2', 'SEV3'])
      expect(await filters.getByRole('checkbox', { name: sev }).count()).toBe(1);
    expect(await filters.getByRole('searchbox', { name: 'Search' }).count()).toBe(1);
  });

  it('declares a SEV2 on Web frontend, with the severity definitions shown, and lands on it', async () => {
    await page.getByRole('button', { name: 'Declare incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare incident' });
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill(title);
    // Each severity with its name and its definition under it.
    const dialogText = await dialog.innerText();
    expect(dialogText).toContain('SEV1 · Production System Down');
    expect(dialogText).toContain('SEV3 · System Impaired');
    expect(dialogText).toContain('A production system works but degraded');
    await dialog.getByRole('radio', { name: 'SEV2 · Production System Impaired' }).check();
    await dialog.getByLabel(/^Services/).click();
    await page.getByRole('option', { name: 'Web frontend' }).click();
    // Closes the dropdown (Escape would close the dialog).
    await dialog.getByLabel('Title').click();
    await dialog.getByLabel('Business impact').fill('Some customers cannot pay.');
    await dialog.getByRole('checkbox', { name: 'Customer-impacting' }).check();
    await dialog.getByRole('button', { name: 'Declare incident' }).click();

    await page
      .getByRole('heading', {
        level: 1,
        name: new RegExp(`^#\\d+ ${title.replace(/[()]/g, '\\$&')}$`),
      })
      .waitFor();
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/incidents\/[\w-]+$/);
    incidentId = path.split('/').pop()!;
    await expect.poll(timelineText).toContain('declared SEV2 (Production System Impaired)');
    expect(await page.getByRole('table', { name: 'Incident details' }).innerText()).toContain(
      'Web frontend',
    );
    // The roles, each with its checklist copied from the templates.
    expect(
      await page.getByRole('heading', { name: 'Incident commander', exact: true }).count(),
    ).toBe(1);
    expect(
      await page.getByRole('list', { name: 'Incident commander checklist' }).innerText(),
    ).toContain('Confirm the severity');
    // What changed: the demo's deploy of the web frontend and a change to the cache it depends
    // on, with how long before the incident each happened.
    const changes = await page.getByRole('table', { name: 'Recent changes' }).innerText();
    expect(changes).toContain('Deploy web-frontend build 412');
    expect(changes).toMatch(/Cache\s+a dependency\s+Cache: maxmemory-policy/);
    expect(changes).toMatch(/\d+ h \d\d min before/);
  });

  it('assigns the commander and ticks a checklist item, both on the timeline', async () => {
    const assign = page.getByRole('form', { name: 'Assign Incident commander' });
    await assign.getByLabel('Person for Incident commander').click();
    await page.getByRole('option', { name: 'Ada Okafor' }).click();
    await assign.getByRole('button', { name: 'Assign' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Incident commander holders' }).innerText())
      .toContain('Ada Okafor');
    await expect.poll(timelineText).toContain('Ada Okafor');

    const checklist = page.getByRole('list', { name: 'Incident commander checklist' });
    await checklist.getByRole('checkbox', { name: 'Confirm the severity' }).check();
    await expect.poll(timelineText).toContain('Done: Confirm the severity');
    await expect
      .poll(() => checklist.getByRole('checkbox', { name: 'Confirm the severity' }).isChecked())
      .toBe(true);
  });

  it('acknowledges with the keyboard shortcut a, then Mitigated and Resolve with the buttons', async () => {
    const acknowledge = page.getByRole('button', { name: 'Acknowledge' });
    expect(await acknowledge.getAttribute('aria-keyshortcuts')).toBe('a');
    expect(
      await page.getByRole('button', { name: 'Mitigated' }).getAttribute('aria-keyshortcuts'),
    ).toBe('m');
    expect(
      await page.getByRole('button', { name: 'Resolve' }).getAttribute('aria-keyshortcuts'),
    ).toBe('r');

    // Not while typing: an "a" in the note box acknowledges nothing.
    await page.getByRole('textbox', { name: 'Note', exact: true }).fill('');
    await page.getByRole('textbox', { name: 'Note', exact: true }).press('a');
    expect(await page.getByRole('textbox', { name: 'Note', exact: true }).inputValue()).toBe('a');
    await page.getByRole('textbox', { name: 'Note', exact: true }).fill('');
    expect(await acknowledge.count()).toBe(1);

    // Focus on nothing in particular (a string: this file is compiled without the DOM types).
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('a');
    await acknowledge.waitFor({ state: 'detached' });
    await expect.poll(timelineText).toContain('Acknowledged by Admin');

    await page.getByRole('button', { name: 'Mitigated' }).click();
    await page.getByRole('button', { name: 'Mitigated' }).waitFor({ state: 'detached' });
    await expect.poll(timelineText).toContain('Mitigated by Admin: service restored');

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('button', { name: 'Resolve' }).waitFor({ state: 'detached' });
    await expect.poll(timelineText).toContain('Resolved by Admin');

    // Every step, in order, on the timeline; the times to each step shown.
    const text = await timelineText();
    const steps = [
      'declared SEV2',
      'Acknowledged by Admin',
      'Mitigated by Admin',
      'Resolved by Admin',
    ];
    const at = steps.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const details = await page.getByRole('table', { name: 'Incident details' }).innerText();
    expect(details).toMatch(/To resolve: \d/);
  });

  it('shows a note added through the API live, without a reload', async () => {
    // The page listens to this incident's live stream.
    expect(requested).toContain(`/api/incidents/${incidentId}/live`);
    await page.evaluate("window.marker = 'same page'");

    // A separate API session of the admin: login gives the cookie and the CSRF token.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    // Quiet first: a note added right after the page last fetched must still arrive in a few
    // seconds, well before the 10 s poll would bring it.
    await page.waitForResponse((r) => new URL(r.url()).pathname === `/api/incidents/${incidentId}`);
    const res = await fetch(`${server.url}/api/incidents/${incidentId}/notes`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        markdown:
          'Live note from the API\n\nThe upstream said:\n\n```\nERROR 503 upstream timeout\n```',
        attachments: [
          {
            name: 'excerpt.log',
            contentType: 'text/plain',
            dataBase64: Buffer.from('line 1\nline 2\n').toString('base64'),
          },
        ],
      }),
    });
    expect(res.status).toBe(201);
    const started = Date.now();

    await expect
      .poll(timelineText, { timeout: 6000, interval: 200 })
      .toContain('Live note from the API');
    expect(Date.now() - started).toBeLessThan(6000);
    // The log excerpt as a code block, the attachment as a link.
    const note = timeline().getByRole('listitem').filter({ hasText: 'Live note from the API' });
    expect(await note.locator('pre').innerText()).toBe('ERROR 503 upstream timeout');
    expect(await note.getByRole('link', { name: /excerpt\.log/ }).count()).toBe(1);
    // No reload happened.
    expect(await page.evaluate('window.marker')).toBe('same page');
  });

  it('finds the incident on the list by #number, filtered to SEV2 and resolved', async () => {
    const number = /^#(\d+)/.exec(
      (await page.getByRole('heading', { level: 1 }).innerText()).trim(),
    )![1]!;
    await page.goto(`${server.url}/incidents?status=resolved&severity=SEV2`);
    const filters = page.getByRole('region', { name: 'Filters' });
    await filters.getByRole('searchbox', { name: 'Search' }).fill(`#${number}`);
    await expect
      .poll(() => page.getByRole('table', { name: 'Incidents' }).innerText())
      .toContain(title);
    const rows = page.getByRole('table', { name: 'Incidents' }).getByRole('row');
    expect(await rows.count()).toBe(2); // header and the one incident
    const text = await rows.nth(1).innerText();
    expect(text).toContain('SEV2');
    expect(text).toMatch(/resolved/i);
  });

  it('edits a severity definition in Settings → Incident response, shown when declaring', async () => {
    await page.goto(`${server.url}/settings/incident-response`);
    await page.getByRole('heading', { level: 2, name: 'Incident response' }).waitFor();
    const form = page.getByRole('form', { name: 'Incident response settings' });
    await form.getByLabel('SEV3 definition').waitFor();
    expect(await form.getByLabel('SEV2 name').inputValue()).toBe('Production System Impaired');
    expect(await form.getByLabel('Checklist template').first().inputValue()).toContain(
      'Confirm the severity',
    );
    await form.getByLabel('SEV3 definition').fill('Internal tooling is impaired (e2e).');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Incident response settings saved.').waitFor();

    await page.goto(`${server.url}/incidents`);
    await page.getByRole('button', { name: 'Declare incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare incident' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Internal tooling is impaired (e2e).');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
