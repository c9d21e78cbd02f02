import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); playwright-core never downloads a browser. */
export const chromiumPath = process.env.TOCSIN_CHROMIUM ?? '/usr/bin/chromium';

/**
 * True when the browser suite can run here. Under CI=true a missing browser is an error, not a
 * skip: .ci/run installs it.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${chromiumPath} is missing (apt-get install chromium)`);
  console.warn(
    `!! ${chromiumPath} not found: the browser tests are SKIPPED (apt-get install chromium)`,
  );
  return false;
}

/** Headless Chromium with the flags this closed network needs (no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
