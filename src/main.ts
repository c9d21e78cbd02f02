import { createApp } from './app/app.js';
import { packageVersion } from './app/package-info.js';
import { buildProgram } from './cli/program.js';
import { requireExistingStore } from './cli/startup.js';
import { loadConfig, sqlitePathOf } from './config/config.js';
import { isAppError } from './core/errors.js';
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
    return createApp({
      config,
      skipInitialise: options?.skipInitialise ?? false,
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
