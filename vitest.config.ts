import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SuiteCountsReporter } from './test/reporters/suite-counts.js';

/**
 * Two projects. `unit` holds pure, store, engine and API tests; store-backed tests run once per
 * store (SQLite always; Postgres when TOCSIN_TEST_PG_URL is set, which `npm test` arranges
 * through scripts/with-postgres.mjs). `e2e` drives the built app in Debian's Chromium.
 */
export default defineConfig({
  test: {
    reporters: [process.env.CI === 'true' ? 'verbose' : 'default', new SuiteCountsReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
          setupFiles: ['test/setup/fast-password-hashing.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // At least two files at a time. Vitest's default is one less than the CPUs: one file at a
          // time on a 2-core CI machine, where most store and API tests wait on Postgres, sockets
          // and timers rather than the CPU.
          maxWorkers: Math.max(2, availableParallelism() - 1),
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
