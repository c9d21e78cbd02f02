import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after the run, how many tests ran per store and in the browser, so a CI log shows that
 * the Postgres and Chromium suites really ran, then a closing `N passed, N failed` line.
 */
export class SuiteCountsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, { passed: number; failed: number; skipped: number }>();
    const bump = (suite: string, state: string) => {
      const c = counts.get(suite) ?? { passed: 0, failed: 0, skipped: 0 };
      if (state === 'passed') c.passed++;
      else if (state === 'failed') c.failed++;
      else c.skipped++;
      counts.set(suite, c);
    };
    let passed = 0;
    let failed = 0;
    for (const mod of testModules) {
      const browser = /test\/e2e\/[^/]*ui\.test\.ts$/.test(mod.moduleId);
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        if (state === 'failed') failed++;
        const store = /\[(sqlite|postgres)\]/.exec(test.fullName)?.[1];
        bump(browser ? 'chromium' : store ? `store:${store}` : mod.project.name, state);
      }
    }
    const lines = [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([suite, c]) =>
          `  ${suite.padEnd(16)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`,
      );
    process.stdout.write(
      `\nTests by suite:\n${lines.join('\n')}\n${passed} passed, ${failed} failed\n`,
    );
  }
}
