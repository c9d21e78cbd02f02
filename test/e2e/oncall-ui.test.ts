import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// On-call in a real browser: a schedule made in the UI, its timeline, an override from a bar,
// who is on call now, a verified contact method with a notification rule, and an escalation
// policy edited and deleted.

const admin = e2eAdmin;
const timeZone = 'Europe/Berlin';
const scheduleName = 'Platform primary';

/** `YYYY-MM-DD` of the day `ms` falls on in `timeZone`. */
function dateIn(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(ms));
}

describe.runIf(chromiumAvailable())('on-call UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;

  beforeAll(async () => {
    session = await openUiSession(
      {
        // With no notifier configured, verification codes go to the server log at info level.
        TOCSIN_LOG_LEVEL: 'info',
      },
      { width: 1400, height: 900 },
    );
    ({ server, page } = session);
  });

  afterAll(() => session?.close());

  const main = () => page.getByRole('navigation', { name: 'Main' });
  const finalBars = () =>
    page.getByRole('list', { name: 'Final shifts' }).getByRole('button').allInnerTexts();

  it('signs in and lands on the home page', async () => {
    await page.goto(server.url + '/');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('creates a schedule with a weekly layer of two people', async () => {
    await main().getByRole('link', { name: 'On-call', exact: true }).click();
    await page
      .getByRole('navigation', { name: 'On-call sections' })
      .getByRole('link', { name: 'Schedules' })
      .click();
    await page.getByRole('button', { name: 'New schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New schedule' });
    await dialog.getByLabel('Schedule name').fill(scheduleName);
    await dialog.getByLabel('Team').selectOption({ label: 'Platform' });
    // The searchable time zone list.
    await dialog.getByLabel('Time zone').click();
    await dialog.getByLabel('Time zone').fill('Europe/Berl');
    await page.getByRole('option', { name: timeZone, exact: true }).click();
    expect(await dialog.getByLabel('Time zone').inputValue()).toBe(timeZone);

    const layer = dialog.getByRole('group', { name: 'Layer 1' });
    await layer.getByLabel('Layer name').fill('Weekly');
    await layer.getByLabel('Participants', { exact: true }).click();
    await page.getByRole('option', { name: 'Ada Okafor' }).click();
    await page.getByRole('option', { name: 'Bo Lindqvist' }).click();
    // Closes the dropdown (Escape would close the dialog).
    await layer.getByLabel('Layer name').click();
    expect(await layer.getByLabel('Rotation', { exact: true }).inputValue()).toBe('weekly');
    // Started yesterday at 09:00: whatever the hour now, Ada is on call.
    await layer.getByLabel('Start date').fill(dateIn(Date.now() - 86_400_000));
    expect(await layer.getByLabel('Handoff time').inputValue()).toBe('09:00');
    await dialog.getByRole('button', { name: 'Create schedule' }).click();

    await page.getByRole('heading', { level: 2, name: scheduleName }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/on-call\/schedules\/[\w-]+$/);
    expect(await page.getByRole('table', { name: 'Layers' }).innerText()).toContain(
      'Ada Okafor → Bo Lindqvist',
    );
  });

  it('draws both people across a two-week timeline, titled in the schedule time zone', async () => {
    const weekly = page.getByRole('list', { name: 'Layer Weekly shifts' });
    await weekly.getByRole('listitem').first().waitFor();
    // A week's window: Ada's shift runs through it... until the handoff six days in.
    expect(await finalBars()).toEqual(['Ada Okafor', 'Bo Lindqvist']);
    await page.getByRole('radio', { name: '2 weeks' }).check();
    await expect.poll(finalBars).toEqual(['Ada Okafor', 'Bo Lindqvist', 'Ada Okafor']);
    expect(await weekly.innerText()).toMatch(/Ada Okafor[\s\S]*Bo Lindqvist[\s\S]*Ada Okafor/);

    const bar = page.getByRole('list', { name: 'Final shifts' }).getByRole('button').nth(1);
    const title = (await bar.getAttribute('title')) ?? '';
    expect(title).toContain(`(${timeZone})`);
    expect(title).toMatch(/09:00.* – .*09:00/);
    // Bars are as wide as their time: Bo's full week is about half of two weeks.
    const track = await page.getByRole('list', { name: 'Final shifts' }).boundingBox();
    const box = await bar.boundingBox();
    expect(box!.width / track!.width).toBeGreaterThan(0.45);
    expect(box!.width / track!.width).toBeLessThan(0.55);
  });

  it('overrides a shift from its bar, and the final row shows the override', async () => {
    await page
      .getByRole('list', { name: 'Final shifts' })
      .getByRole('button', { name: 'Ada Okafor' })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'New override' });
    // Prefilled with the shift's window, in the schedule's time zone.
    expect(await dialog.getByLabel('Override end').inputValue()).toMatch(/T09:00$/);
    expect(await dialog.getByLabel('Override start').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT/);
    await dialog.getByLabel('Override user').selectOption({ label: 'Chen Wei' });
    await dialog.getByRole('button', { name: 'Create override' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(finalBars).toEqual(['Chen Wei', 'Bo Lindqvist', 'Ada Okafor']);
    expect(
      await page
        .getByRole('list', { name: 'Override shifts' })
        .getByRole('listitem')
        .allInnerTexts(),
    ).toEqual(['Chen Wei']);
    const overrides = page.getByRole('table', { name: 'Overrides' });
    expect(await overrides.innerText()).toContain('Chen Wei');
    expect(await overrides.getByRole('button', { name: /^Remove override/ }).count()).toBe(1);
  });

  it('shows who is on call now, on the On-call page and at home', async () => {
    await page
      .getByRole('navigation', { name: 'On-call sections' })
      .getByRole('link', { name: 'Now' })
      .click();
    const cards = page.getByRole('list', { name: 'On call now' });
    await cards.waitFor();
    // The override holds now, not Ada's layer (polled: a cached answer from before the override
    // may show first and is refetched).
    await expect.poll(() => cards.innerText()).toContain('Chen Wei');
    const text = await cards.innerText();
    expect(text).toContain(scheduleName);
    expect(text).not.toContain('Ada Okafor');

    await page.getByRole('link', { name: 'Tocsin home' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await expect
      .poll(() => page.getByRole('list', { name: 'On call now' }).innerText())
      .toContain('Chen Wei');
  });

  it('adds a contact method, verifies it with the code sent to it, and adds a rule', async () => {
    await main().getByRole('link', { name: 'Settings', exact: true }).click();
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Notifications' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Notifications' }).waitFor();
    await page.getByText('SMS at 0 min, a call at 2 min').waitFor();
    // No verified method yet: rules cannot be added.
    const high = page.getByRole('region', { name: 'High urgency' });
    expect(await high.getByRole('button', { name: 'Add rule' }).isDisabled()).toBe(true);

    await page.getByLabel('Type').selectOption({ label: 'SMS' });
    await page.getByLabel('Label', { exact: true }).fill('Work phone');
    await page.getByLabel('Address', { exact: true }).fill('+15550100');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    const methods = page.getByRole('table', { name: 'Contact methods' });
    await methods.waitFor();
    expect(await methods.innerText()).toMatch(/not verified/i);
    await page.getByText('The code is sent to the contact method').first().waitFor();

    let code = '';
    await expect
      .poll(() => (code = /verification code is (\d{6})/.exec(server.output())?.[1] ?? ''))
      .toMatch(/^\d{6}$/);
    // A wrong code is refused first.
    await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByText(/wrong or has expired/).waitFor();
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    // Badges are upper-cased by CSS.
    await expect.poll(() => methods.innerText()).not.toMatch(/not verified/i);
    expect(await methods.innerText()).toMatch(/verified/i);
    await page.getByText('Work phone is verified').waitFor();

    await expect.poll(() => high.getByRole('button', { name: 'Add rule' }).isEnabled()).toBe(true);
    expect(await high.getByLabel('Contact method').locator('option:checked').innerText()).toContain(
      'Work phone',
    );
    await high.getByLabel('Delay (minutes)').fill('2');
    await high.getByRole('button', { name: 'Add rule' }).click();
    const rules = page.getByRole('table', { name: 'High urgency rules' });
    await rules.waitFor();
    expect(await rules.innerText()).toMatch(/SMS · Work phone\s+2 min/);
    // Stored: the API says the same.
    const stored = await page.evaluate(async () => {
      const res = await fetch('/api/me/notification-rules');
      return (await res.json()) as { items: { urgency: string; delayMinutes: number }[] };
    });
    expect(stored.items).toEqual([
      expect.objectContaining({ urgency: 'high', delayMinutes: 2, contactLabel: 'Work phone' }),
    ]);
  });

  it('edits an escalation policy made through the API, then deletes it', async () => {
    // Created with the admin's session, as the UI would (a write needs the CSRF token).
    const created = await page.evaluate(async () => {
      const json = async <T>(res: Response): Promise<T> => {
        if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      const me = await json<{ csrfToken: string }>(await fetch('/api/auth/me'));
      const teams = await json<{ items: { id: string; name: string }[] }>(
        await fetch('/api/teams'),
      );
      const team = teams.items.find((t) => t.name === 'Platform')!;
      const members = await json<{ items: { userId: string; name: string }[] }>(
        await fetch(`/api/teams/${team.id}/members`),
      );
      const ada = members.items.find((m) => m.name === 'Ada Okafor')!;
      return json<{ id: string; name: string }>(
        await fetch('/api/escalation-policies', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({
            teamId: team.id,
            name: 'Platform nights',
            repeatCount: 0,
            levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: ada.userId }] }],
          }),
        }),
      );
    });
    expect(created.name).toBe('Platform nights');

    await main().getByRole('link', { name: 'On-call', exact: true }).click();
    await page
      .getByRole('navigation', { name: 'On-call sections' })
      .getByRole('link', { name: 'Escalation policies' })
      .click();
    const policies = page.getByRole('table', { name: 'Escalation policies' });
    await page.getByRole('button', { name: 'Edit policy Platform nights' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit escalation policy' });
    // Prefilled from the saved policy.
    expect(await dialog.getByLabel('Policy name').inputValue()).toBe('Platform nights');
    const level = dialog.getByRole('group', { name: 'Level 1' });
    expect(await level.getByLabel('Delay (minutes)').inputValue()).toBe('5');
    await dialog.getByLabel('Policy name').fill('Platform evenings');
    await level.getByLabel('Delay (minutes)').fill('12');
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(() => policies.innerText()).toContain('Platform evenings');
    const row = policies.getByRole('row').filter({ hasText: 'Platform evenings' });
    expect(await row.innerText()).toMatch(/Ada Okafor\s*\(waits 12 min/);
    expect(await policies.innerText()).not.toContain('Platform nights');

    await page.getByRole('button', { name: 'Delete policy Platform evenings' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete escalation policy' });
    await confirm.getByRole('button', { name: 'Delete escalation policy' }).click();
    await page.getByText('Escalation policy “Platform evenings” deleted.').waitFor();
    await expect.poll(() => page.getByText('Platform evenings', { exact: true }).count()).toBe(0);
  });
});
