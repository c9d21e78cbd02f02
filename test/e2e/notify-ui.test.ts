import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpDouble } from '../doubles/http-double.js';
import { verifyWebhook } from '../doubles/webhook-receiver.js';
import { chromiumAvailable, e2eAdmin, openUiSession, type UiSession } from './browser.js';
import type { Served } from './built.js';

// Notifier settings in a real browser: the webhook notifier set up on Settings → Notifiers, its
// secret stored (and never shown again), and "Send test" to a local receiver, answered first with
// success and then with a 400.

const admin = e2eAdmin;
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const storedPlaceholder = 'stored — leave empty to keep';

describe.runIf(chromiumAvailable())('notifier settings UI in Chromium', () => {
  let session: UiSession;
  let server: Served;
  let page: Page;
  let receiver: HttpDouble;

  beforeAll(async () => {
    receiver = await new HttpDouble(() => ({ status: 204 })).start();
    session = await openUiSession(
      {
        // The receiver listens on loopback, which the outbound guard refuses unless allowed.
        TOCSIN_OUTBOUND_ALLOW: '127.0.0.1/32',
        TOCSIN_SECRET_KEY: 'a1'.repeat(32),
      },
      { width: 1400, height: 900 },
    );
    ({ server, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    await receiver?.stop();
  });

  const main = () => page.getByRole('navigation', { name: 'Main' });
  const webhookCard = (): Locator => page.getByRole('region', { name: 'Webhook', exact: true });

  it('signs in and opens Settings → Notifiers, one card per notifier', async () => {
    await page.goto(server.url + '/');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();

    await main().getByRole('link', { name: 'Settings', exact: true }).click();
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Notifiers' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Notifiers' }).waitFor();
    await webhookCard().waitFor();
    for (const name of ['Slack', 'Microsoft Teams']) {
      expect(await page.getByRole('region', { name, exact: true }).count()).toBe(1);
    }
    // Slack can change its messages and take button presses.
    const slack = await page.getByRole('region', { name: 'Slack', exact: true }).innerText();
    expect(slack).toContain('Updates in place');
    expect(slack).toContain('Interactive');
    expect(await webhookCard().innerText()).toMatch(/not set up/i);
  });

  it('saves the webhook notifier with a signing secret that is never shown again', async () => {
    const card = webhookCard();
    await card.getByLabel('Signing secrets').fill(secret);
    await card.getByRole('switch', { name: 'Enabled' }).check({ force: true });
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('Webhook saved.').waitFor();
    expect(await card.getByLabel('Signing secrets').inputValue()).toBe('');

    await page.reload();
    const reloaded = webhookCard();
    await reloaded.waitFor();
    const input = reloaded.getByLabel('Signing secrets');
    expect(await input.inputValue()).toBe('');
    expect(await input.getAttribute('placeholder')).toBe(storedPlaceholder);
    expect(await reloaded.getByRole('switch', { name: 'Enabled' }).isChecked()).toBe(true);
    expect(await reloaded.innerText()).not.toContain(secret);
    // Nor does the API give it out.
    const listed = await page.evaluate(() => fetch('/api/notifiers').then((r) => r.text()));
    expect(listed).not.toContain(secret.slice('whsec_'.length));
  });

  it('sends a signed test webhook and shows "Sent"', async () => {
    const card = webhookCard();
    await card.getByLabel('Send a test to').fill(`${receiver.url}/hook`);
    await card.getByRole('button', { name: 'Send test' }).click();
    await card.getByText('Sent', { exact: true }).waitFor();

    const [request] = await receiver.waitFor(1, (r) => r.path === '/hook');
    expect(request!.method).toBe('POST');
    expect(request!.headers['webhook-signature']).toMatch(/^v1,/);
    // A receiver holding the secret accepts it.
    const received = verifyWebhook(request!, [secret]);
    expect(received.verified).toBe(true);
    expect(received.payload).toMatchObject({ type: 'notification.test' });
  });

  it('shows the reason when the receiver answers 400', async () => {
    receiver.respondNext({ status: 400 });
    const card = webhookCard();
    await card.getByRole('button', { name: 'Send test' }).click();
    await card.getByText(/webhook 400/).waitFor();
    expect(await card.getByText('Sent', { exact: true }).count()).toBe(0);
    await receiver.waitFor(2, (r) => r.path === '/hook');
  });
});
