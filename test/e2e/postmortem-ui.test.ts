import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// A postmortem in a real browser: a SEV2 on the demo's Web frontend is resolved through the API
// and its draft appears; in the browser the admin writes the reason (the blameless hint flags
// the blaming sentence, then clears once it is rewritten), previews the Markdown, saves, sends
// it to review, approves it as the reviewer and publishes it. The export has the new text. The
// incident page links to it; Settings → Postmortems edits the word list; the reports show the
// incident, with a CSV to download.

const admin = e2eAdmin;
const title = `Cache flushed on deploy (e2e ${Date.now()})`;

describe.runIf(chromiumAvailable())('postmortem UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let cookie = '';
  let csrfToken = '';
  let postmortemId = '';
  let incidentId = '';

  beforeAll(async () => {
    session = await openUiSession({}, { width: 1400, height: 1000 });
    ({ server, page } = session);
  });
  afterAll(() => session?.close());

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res;
  }

  it('drafts the postmortem of a resolved SEV2', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    csrfToken = ((await login.json()) as { csrfToken: string }).csrfToken;
    const services = (await (await api('GET', '/api/services')).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    const web = services.items.find((s) => s.name === 'Web frontend')!;
    const declared = await api('POST', '/api/incidents', {
      title,
      severity: 'SEV2',
      serviceIds: [web.id],
    });
    expect(declared.status).toBe(201);
    const incident = (await declared.json()) as { id: string };
    incidentId = incident.id;
    expect(
      (await api('POST', `/api/incidents/${incident.id}/status`, { status: 'resolved' })).status,
    ).toBe(200);
    // The engine drafts it after the resolve wakes it.
    await expect
      .poll(async () => (await api('GET', `/api/incidents/${incident.id}/postmortem`)).status, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe(200);
    const detail = (await (
      await api('GET', `/api/incidents/${incident.id}/postmortem`)
    ).json()) as {
      postmortem: { id: string; status: string };
    };
    expect(detail.postmortem.status).toBe('draft');
    postmortemId = detail.postmortem.id;
  });

  it('signs in, finds the draft in the list and opens it', async () => {
    await page.goto(server.url + '/postmortems');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Postmortems' }).waitFor();
    await page.getByLabel('Search').fill('flushed on deploy');
    await page.getByRole('link', { name: new RegExp(title.replace(/[()]/g, '\\$&')) }).click();
    await page
      .getByRole('heading', { level: 1, name: new RegExp(title.replace(/[()]/g, '\\$&')) })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe(`/postmortems/${postmortemId}`);
    // The draft came with the timeline filled in.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    expect(await timeline.getByRole('textbox', { name: 'Timeline' }).inputValue()).toContain(
      'declared SEV2',
    );
  });

  it('flags a blaming sentence while typing, clears once rewritten, previews and saves', async () => {
    const reason = page.getByRole('textbox', { name: 'Reason for the outage' });
    await reason.fill("The deploy flushed the cache. It was Bo Lindqvist's fault.");
    const hints = page.getByLabel('Blameless language hints for Reason for the outage');
    await hints.waitFor();
    expect(await hints.innerText()).toContain("Lindqvist's fault");
    expect(await hints.innerText()).toContain('Suggestion');
    await reason.fill(
      'The deploy flushed the cache: the flush step had no guard.\n\n- **Fix:** guard the flush',
    );
    await hints.waitFor({ state: 'detached' });
    const section = page.getByRole('region', { name: 'Reason for the outage' });
    await section.getByRole('tab', { name: 'Preview' }).click();
    await section.getByText('Fix:', { exact: true }).waitFor();
    expect(await section.locator('strong').innerText()).toBe('Fix:');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = (await (await api('GET', `/api/postmortems/${postmortemId}`)).json()) as {
      postmortem: { sections: { reason: string }; version: number };
    };
    expect(saved.postmortem.sections.reason).toContain('the flush step had no guard');
    expect(saved.postmortem.version).toBe(2);
  });

  it('goes to review, is approved and published', async () => {
    await page.getByRole('combobox', { name: 'Reviewers' }).click();
    await page
      .getByRole('listbox', { name: 'Reviewers' })
      .getByRole('option', { name: 'Admin', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Review', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('In review', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.getByLabel('Review comment').fill('Clear and blameless.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Admin: approved').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published: this postmortem is final.').waitFor();
    // Read-only now: no editor, the text rendered.
    expect(await page.getByRole('textbox', { name: 'Reason for the outage' }).count()).toBe(0);
    await page.getByText('the flush step had no guard', { exact: false }).first().waitFor();

    const md = await (await api('GET', `/api/postmortems/${postmortemId}/export.md`)).text();
    expect(md).toContain('status: published');
    expect(md).toContain('The deploy flushed the cache: the flush step had no guard.');
    expect(md).toContain('Reviewers: Admin (approved)');
  });

  it('is reached from its incident', async () => {
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await page.getByRole('link', { name: 'Postmortem', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/postmortems/${postmortemId}`);
    await page.getByText('Published: this postmortem is final.').waitFor();
  });

  it('edits the blameless word list in Settings → Postmortems', async () => {
    await page.goto(`${server.url}/settings/postmortems`);
    await page.getByRole('heading', { level: 2, name: 'Postmortems' }).waitFor();
    await page
      .getByLabel('More terms (one per line, “term = suggestion”)')
      .fill('cowboy = unreviewed');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const check = (await (
      await api('POST', '/api/postmortems/check', { text: 'A cowboy change went out.' })
    ).json()) as { findings: Array<{ match: string; suggestion: string }> };
    expect(check.findings).toEqual([
      expect.objectContaining({ match: 'cowboy', suggestion: 'unreviewed' }),
    ]);
  });

  it('shows the incident in the reports, with a CSV to download', async () => {
    await page.goto(`${server.url}/reports`);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const times = page.getByRole('region', { name: 'Response times' });
    await times.getByText(/^1 incident · MTTA/).waitFor();
    expect(await times.getByRole('img', { name: 'MTTR per group' }).innerHTML()).toContain(
      'Web frontend',
    );
    for (const name of [
      'Incidents',
      'Availability',
      'Alert noise',
      'On-call load',
      'Overdue action items',
    ])
      await page.getByRole('region', { name }).waitFor();
    const href = await times.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const csv = await api('GET', href!);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toMatch(
      /^bucket,service,incidents,resolved,mtta_minutes,mttr_minutes\r\n.*,Web frontend,1,1,/,
    );
  });
});
