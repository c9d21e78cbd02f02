import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// Coverage gaps and who is next in a real browser: a schedule on call one hour a day shows the
// gap banner, the Now page says who is next, and a policy paging only it is flagged.

const scheduleName = 'Morning hour';

describe.runIf(chromiumAvailable())('on-call gaps UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let scheduleId = '';

  beforeAll(async () => {
    session = await openUiSession({}, { width: 1400, height: 900 });
    ({ server, page } = session);
  });

  afterAll(() => session?.close());

  it('signs in and makes a schedule and a policy through the API', async () => {
    await page.goto(server.url + '/');
    await page.getByLabel('Email').fill(e2eAdmin.email);
    await page.getByLabel('Password').fill(e2eAdmin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    scheduleId = await page.evaluate(async (name) => {
      const json = async <T>(res: Response): Promise<T> => {
        if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      const me = await json<{ csrfToken: string }>(await fetch('/api/auth/me'));
      const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken };
      const teams = await json<{ items: { id: string; name: string }[] }>(
        await fetch('/api/teams'),
      );
      const team = teams.items.find((t) => t.name === 'Platform')!;
      const members = await json<{ items: { userId: string; name: string }[] }>(
        await fetch(`/api/teams/${team.id}/members`),
      );
      const id = (n: string) => members.items.find((m) => m.name === n)!.userId;
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const schedule = await json<{ id: string }>(
        await fetch('/api/schedules', {
          method: 'POST',
          headers,
          body: JSON.stringify({
            teamId: team.id,
            name,
            timeZone: 'Europe/Berlin',
            layers: [
              {
                name: 'Daily',
                participants: [id('Ada Okafor'), id('Bo Lindqvist')],
                rotation: { kind: 'daily', handoffTime: '09:00' },
                startDate: yesterday,
                restrictions: [{ kind: 'daily', start: '09:00', end: '10:00' }],
              },
            ],
          }),
        }),
      );
      await json(
        await fetch('/api/escalation-policies', {
          method: 'POST',
          headers,
          body: JSON.stringify({
            teamId: team.id,
            name: 'Mornings only',
            repeatCount: 0,
            levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: schedule.id }] }],
          }),
        }),
      );
      return schedule.id;
    }, scheduleName);
    expect(scheduleId).not.toBe('');
  });

  it('warns of the gaps on the schedule page', async () => {
    await page.goto(`${server.url}/on-call/schedules/${scheduleId}`);
    await page.getByRole('heading', { level: 2, name: scheduleName }).waitFor();
    const banner = page.getByRole('alert', { name: 'Gaps in coverage' });
    await banner.waitFor();
    const text = await banner.innerText();
    expect(text).toMatch(/Nobody is on call .+ your time/);
    expect(text).toMatch(/and 1[0-9] more gaps in the next 14 days/);
    expect(text).toContain('Europe/Berlin');
  });

  it('says who is next on the Now page', async () => {
    await page.goto(`${server.url}/on-call`);
    const card = page
      .getByRole('list', { name: 'On call now' })
      .getByRole('listitem')
      .filter({ hasText: scheduleName });
    await card.waitFor();
    expect(await card.innerText()).toMatch(/Next: (Ada Okafor|Bo Lindqvist) from /);
  });

  it('flags a policy whose first level has nobody on call', async () => {
    await page.goto(`${server.url}/on-call/policies`);
    const row = page
      .getByRole('table', { name: 'Escalation policies' })
      .getByRole('row')
      .filter({ hasText: 'Mornings only' });
    await expect.poll(() => row.innerText()).toMatch(/Level 1 has nobody on call/);
  });
});
