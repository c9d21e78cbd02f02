import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { EngineModule } from '../../src/engine/index.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

/*
 * A module that fails the same way every tick (the store is down) is logged once a minute with
 * how many failures were not logged, and once when it recovers; a different error is logged at
 * once.
 */

describeEachStore('logging: repeated engine errors', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    await app.close();
  });

  it('logs a repeated identical module error once a minute with a count, and the recovery', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    let failWith: string | undefined = 'connect ECONNREFUSED 127.0.0.1:5432';
    const flaky: EngineModule = {
      name: 'flaky',
      runOnce() {
        if (failWith) return Promise.reject(new Error(failWith));
        return Promise.resolve({ processed: 0 });
      },
    };
    const clock = new FakeClock('2026-03-10T02:00:00Z');
    app = await createTestApp(kind, {
      clock,
      extraModules: [flaky],
      logger: createLogger({ level: 'info', destination: sink }),
    });
    const ofFlaky = () => lines.filter((l) => l.module === 'flaky');
    const tick = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await app.engine!.runCycle();
        clock.fastForward(10_000);
      }
    };

    await tick(6); // 0 s … 50 s: one line, with the stack
    expect(ofFlaky()).toHaveLength(1);
    expect(ofFlaky()[0]).toMatchObject({ msg: 'engine module failed', level: 50 });
    expect((ofFlaky()[0]!.err as { stack: string }).stack).toContain('ECONNREFUSED');

    await tick(6); // at 60 s the second line counts the 5 not logged
    expect(ofFlaky()).toHaveLength(2);
    expect(ofFlaky()[1]).toMatchObject({ level: 50, suppressed: 5 });
    expect(ofFlaky()[1]!.msg).toMatch(/5 identical failures not logged/);

    // Another error is news: logged at once.
    failWith = 'relation "x" does not exist';
    await tick(1);
    expect(ofFlaky()).toHaveLength(3);
    expect(ofFlaky()[2]).toMatchObject({ msg: 'engine module failed', previousSuppressed: 5 });

    failWith = undefined;
    await tick(1);
    expect(ofFlaky()).toHaveLength(4);
    expect(ofFlaky()[3]).toMatchObject({
      msg: 'engine module recovered',
      level: 30,
      failures: 13,
      suppressed: 0,
    });
  });
});
