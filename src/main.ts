import { createApp } from './app/app.js';
import { packageVersion } from './app/package-info.js';
import { buildProgram } from './cli/program.js';
import { requireExistingStore } from './cli/startup.js';
import { loadConfig, sqlitePathOf } from './config/config.js';
import { isAppError } from './core/errors.js';
import { createLogger } from './core/logger.js';
import { migrateToLatest, openStore } from './db/index.js';

/*
 * The process entry: parse the command line, build what the command needs, run it. Errors a user
 * can fix (bad config, bad flags) print one line and exit 2; anything else exits 1.
 */
const program = buildProgram({
  version: packageVersion(),
  async openApp(overrides, options) {
    const config = { ...loadConfig(), ...overrides };
    if (options?.existingStoreOnly) requireExistingStore(config);
    // A command (no roles: it serves nothing) logs to stderr, so its stdout stays its output
    // (`--json` parses); a server logs to stdout like any service.
    const command = config.roles.length === 0;
    return createApp({
      config,
      skipInitialise: options?.skipInitialise ?? false,
      ...(command
        ? { logger: createLogger({ level: config.logLevel, destination: process.stderr }) }
        : {}),
    });
  },
  async migrate() {
    const config = loadConfig();
    const store = openStore({
      databaseUrl: config.databaseUrl,
      sqlitePath: sqlitePathOf(config),
    });
    try {
      return await migrateToLatest(store);
    } finally {
      await store.close();
    }
  },
});

program.parseAsync(process.argv).catch((err: unknown) => {
  if (isAppError(err)) {
    process.stderr.write(
      `tocsin: ${err.message}${err.field ? ` (${err.field})` : ''} [${err.code}]\n`,
    );
    process.exit(2);
  }
  process.stderr.write(
    `tocsin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
