import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// "Mine" and bulk acknowledge on the incident list in a real browser: the list opens on Mine for
// someone with an open incident of their own (here the commander of one), the Mine / All switch
// is kept in the address, and two triggered incidents ticked and acknowledged at once, the
// result announced.

const admin = e2eAdmin;

describe.runIf(chromiumAvailable())('incident list Mine and bulk acknowledge in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let headers: Record<string, string> = {};
  const incidents: Record<string, { id: string; number: number }> = {};

  const api = async (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    session = await openUiSession({}, { width: 1400, height: 900 });
    ({ server, page } = session);
    page.setDefaultTimeout(10_000);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const me = (await (await api('GET', '/api/auth/me')).json()) as { user: { id: string } };
    const services = (await (await api('GET', '/api/services')).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    const web = services.items.find((s) => s.name === 'Web frontend')!.id;
    // SEV3s page nobody: only the commander makes the first one the admin's.
    for (const [title, commanderId] of [
      ['Checkout slow (mine e2e)', me.user.id],
      ['Search stale (mine e2e)', undefined],
      ['Images missing (mine e2e)', undefined],
    ] as const) {
      const res = await api('POST', '/api/incidents', {
        title,
        severity: 'SEV3',
        serviceIds: [web],
        ...(commanderId ? { commanderId } : {}),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      incidents[title] = (await res.json()) as { id: string; number: number };
    }
  });

  afterAll(() => session?.close());

  const table = () => page.getByRole('table', { name: 'Incidents' });
  const titlesShown = async () => {
    const text = await table().innerText();
    return ['Checkout slow', 'Search stale', 'Images missing'].filter((t) =>
      text.includes(`${t} (mine e2e)`),
    );
  };
  const announced = () => page.locator('#app-announcer').innerText();

  it('opens on Mine for someone with an open incident of their own, in the address', async () => {
    await page.goto(server.url + '/incidents');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    const filters = page.getByRole('region', { name: 'Filters' });
    const show = filters.getByRole('group', { name: 'Show' });
    await expect.poll(() => show.getByRole('radio', { name: 'Mine' }).isChecked()).toBe(true);
    await expect.poll(titlesShown).toEqual(['Checkout slow']);
    expect(new URL(page.url()).searchParams.get('mine')).toBe('1');

    await show.getByText('All', { exact: true }).click();
    await expect.poll(titlesShown).toEqual(['Checkout slow', 'Search stale', 'Images missing']);
    await expect.poll(() => new URL(page.url()).searchParams.get('mine')).toBe('0');
  });

  it('acknowledges two ticked triggered incidents at once and says so', async () => {
    const search = incidents['Search stale (mine e2e)']!;
    const images = incidents['Images missing (mine e2e)']!;
    const button = page.getByRole('button', { name: /^Acknowledge selected/ });
    expect(await button.innerText()).toBe('Acknowledge selected (0)');
    expect(await button.isDisabled()).toBe(true);
    await page
      .getByRole('checkbox', { name: `Select incident #${search.number} Search stale (mine e2e)` })
      .check();
    await page
      .getByRole('checkbox', {
        name: `Select incident #${images.number} Images missing (mine e2e)`,
      })
      .check();
    expect(await button.innerText()).toBe('Acknowledge selected (2)');
    await button.click();

    const said = new RegExp(
      `Acknowledged (#${search.number}, #${images.number}|#${images.number}, #${search.number})\\.`,
    );
    await expect.poll(announced).toMatch(said);
    expect(await page.getByTestId('bulk-ack-result').innerText()).toMatch(said);
    for (const incident of [search, images]) {
      const res = await api('GET', `/api/incidents/${incident.id}`);
      expect(((await res.json()) as { status: string }).status).toBe('acknowledged');
    }
    // The commander's own incident was not ticked: still triggered.
    const own = await api('GET', `/api/incidents/${incidents['Checkout slow (mine e2e)']!.id}`);
    expect(((await own.json()) as { status: string }).status).toBe('triggered');

    // Acknowledged by me: mine now too.
    await page
      .getByRole('region', { name: 'Filters' })
      .getByRole('group', { name: 'Show' })
      .getByText('Mine', { exact: true })
      .click();
    await expect.poll(titlesShown).toEqual(['Checkout slow', 'Search stale', 'Images missing']);
  });
});
