import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from './app/app.js';
import { packageVersion } from './app/package-info.js';
import { buildProgram } from './cli/program.js';
import { environmentErrorCodes, requireExistingStore, storeStartupError } from './cli/startup.js';
import { loadConfig, sqlitePathOf, type Config } from './config/config.js';
import { isAppError } from './core/errors.js';
import { createLogger } from './core/logger.js';
import { lockDataDir, migrateToLatest, openStore } from './db/index.js';

/*
 * The process entry: parse the command line, build what the command needs, run it. Errors a user
 * can fix (bad config, bad flags) print one line and exit 2; what stops a start from outside
 * (database unreachable, data directory not writable, another server on it) prints one line and
 * exits 1; anything else prints its stack and exits 1.
 */

/** Runs `open`, turning a store that cannot be opened into one line naming the variable. */
async function opening<T>(config: Config, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    throw storeStartupError(err, config) ?? err;
  }
}

const program = buildProgram({
  version: packageVersion(),
  async openApp(overrides, options) {
    const config = { ...loadConfig(), ...overrides };
    if (options?.existingStoreOnly) requireExistingStore(config);
    // A command (no roles: it serves nothing) logs to stderr, so its stdout stays its output
    // (`--json` parses); a server logs to stdout like any service.
    const command = config.roles.length === 0;
    const logger = command
      ? createLogger({ level: config.logLevel, destination: process.stderr })
      : createLogger({ level: config.logLevel });
    return opening(config, async () => {
      // One server per SQLite data directory (CLI commands run beside it); the lock goes with
      // the process, however it exits.
      if (!command && !config.databaseUrl) {
        const dir = resolve(config.dataDir);
        mkdirSync(dir, { recursive: true });
        const lock = lockDataDir(dir, (stale, path) =>
          logger.warn(
            { path, stalePid: stale?.pid, staleHost: stale?.hostname },
            'took over the lock of a server that is no longer running',
          ),
        );
        process.once('exit', () => lock.release());
      }
      return createApp({ config, skipInitialise: options?.skipInitialise ?? false, logger });
    });
  },
  async migrate() {
    const config = loadConfig();
    return opening(config, async () => {
      const store = openStore({
        databaseUrl: config.databaseUrl,
        sqlitePath: sqlitePathOf(config),
        poolSize: config.databasePoolSize,
      });
      try {
        return await migrateToLatest(store);
      } finally {
        await store.close();
      }
    });
  },
});

program.parseAsync(process.argv).catch((err: unknown) => {
  if (isAppError(err)) {
    process.stderr.write(
      `tocsin: ${err.message}${err.field ? ` (${err.field})` : ''} [${err.code}]\n`,
    );
    process.exit(environmentErrorCodes.has(err.code) ? 1 : 2);
  }
  process.stderr.write(
    `tocsin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
