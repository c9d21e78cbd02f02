import { existsSync, rmSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireBuild, serve, tempDataDir, type Served } from './built.js';

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

/** The admin every browser test's server is started with. */
export const e2eAdmin = { email: 'admin@e2e.test', password: 'e2e admin password' };

/** A built server on its own data dir (demo organisation, {@link e2eAdmin}) and a Chromium page. */
export interface UiSession {
  server: Served;
  page: Page;
  close(): Promise<void>;
}

/** Starts a server and a browser page for one browser test file; `close` undoes both. */
export async function openUiSession(
  env: Record<string, string> = {},
  viewport = { width: 1280, height: 800 },
): Promise<UiSession> {
  requireBuild();
  const dataDir = tempDataDir();
  const server = await serve({
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_ADMIN_EMAIL: e2eAdmin.email,
    TOCSIN_ADMIN_PASSWORD: e2eAdmin.password,
    ...env,
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  return {
    server,
    page,
    async close() {
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
