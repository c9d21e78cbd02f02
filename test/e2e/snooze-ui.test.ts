import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// Snooze and the acknowledgement timeout in a real browser: "Snooze" next to Acknowledge on the
// incident page (1 hour, then a custom number of minutes), the incident then acknowledged and
// "snoozed until …", each snooze on the timeline; and the timeout set in the service's settings.

const admin = e2eAdmin;

describe.runIf(chromiumAvailable())('snooze and acknowledgement timeout UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let incidentId = '';
  let serviceId = '';

  beforeAll(async () => {
    session = await openUiSession({}, { width: 1400, height: 900 });
    ({ server, page } = session);
    // A SEV3 on the demo's Web frontend (pages nobody), declared through the API.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const services = (await (await fetch(`${server.url}/api/services`, { headers })).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    serviceId = services.items.find((s) => s.name === 'Web frontend')!.id;
    const declared = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: 'Search results are stale',
        severity: 'SEV3',
        serviceIds: [serviceId],
      }),
    });
    expect(declared.status).toBe(201);
    incidentId = ((await declared.json()) as { id: string }).id;
  });

  afterAll(() => session?.close());

  const timelineText = () => page.getByRole('list', { name: 'Timeline' }).innerText();

  it('snoozes a triggered incident for an hour from the incident page', async () => {
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /Search results are stale$/ }).waitFor();

    // Next to Acknowledge.
    const buttons = await page.getByRole('button').allInnerTexts();
    const ack = buttons.findIndex((b) => b.startsWith('Acknowledge'));
    expect(ack).toBeGreaterThanOrEqual(0);
    expect(buttons[ack + 1]).toBe('Snooze');

    await page.getByRole('button', { name: 'Snooze' }).click();
    await page.getByRole('menuitem', { name: 'For 1 hour' }).click();
    await expect.poll(timelineText).toMatch(/Admin snoozed for 1 h \(until \d\d:\d\d UTC\)/);
    await expect.poll(timelineText).toContain('Acknowledged by Admin');
    await page.getByText('Snoozed until').waitFor();
    // Acknowledged now: no Acknowledge button; Snooze stays (to snooze again).
    await page.getByRole('button', { name: /^Acknowledge/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Snooze' }).count()).toBe(1);
  });

  it('snoozes again for a custom number of minutes', async () => {
    await page.getByRole('button', { name: 'Snooze' }).click();
    await page.getByRole('menuitem', { name: 'Custom…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Snooze incident' });
    await dialog.waitFor();
    await dialog.getByLabel('Snooze for (minutes)').fill('90');
    await dialog.getByRole('button', { name: 'Snooze' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(timelineText).toContain('Admin snoozed for 1 h 30 min');

    // The list shows it too.
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    const row = page.getByRole('row', { name: /Search results are stale/ });
    await expect.poll(() => row.innerText()).toContain('Snoozed until');
  });

  it('sets the acknowledgement timeout in the service settings', async () => {
    await page.goto(`${server.url}/services/${serviceId}`);
    await page.getByRole('button', { name: 'Edit service' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit service' });
    await dialog.getByLabel('Acknowledgement timeout (minutes)').fill('30');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('30 min: then an acknowledged incident is triggered again').waitFor();
  });
});
