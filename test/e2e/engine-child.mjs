// A separate engine process for the crash test: runs the real engine (compiled) against the
// store named in the environment, at the instant TOCSIN_TEST_NOW, until nothing is due, then
// exits 0. The test kills it with SIGKILL part-way and starts it again.
import { createApp } from '../../dist/server/app/app.js';
import { loadConfig } from '../../dist/server/config/config.js';
import { createLogger } from '../../dist/server/core/logger.js';

const now = Number(process.env.TOCSIN_TEST_NOW);
const config = loadConfig(process.env, { roles: ['engine'], demo: false, logLevel: 'silent' });
const app = await createApp({
  config,
  clock: { now: () => now },
  logger: createLogger({ level: 'silent' }),
  skipInitialise: true,
  deliver: async () => {},
  // Reports each finished cycle, so the test can kill this process while the next one runs.
  extraModules: [
    { name: 'progress', runOnce: async () => (process.stdout.write('cycle\n'), { processed: 0 }) },
  ],
});
process.stdout.write('ready\n');
await app.engine.runUntilIdle(10_000);
await app.stop();
process.stdout.write('idle\n');
