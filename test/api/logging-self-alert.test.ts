import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { matchSelfAlertService } from '../../src/app/self-alert.js';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { Store } from '../../src/db/index.js';
import { describeEachStore, openTestStore, testConfig } from '../harness.js';

/*
 * TOCSIN_SELF_ALERT_SERVICE is checked at start (one warning when it names no service), and
 * matches names as the CLI does: id, exact name, then ignoring case.
 */

const system = systemActor('test');

describeEachStore('TOCSIN_SELF_ALERT_SERVICE', (kind) => {
  let store: Store | undefined;
  const apps: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await store?.close();
  });

  async function start(selfAlertService: string) {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const app = await createApp({
      config: testConfig({ selfAlertService }),
      clock: new FakeClock('2026-03-10T02:00:00Z'),
      store: store!,
      logger: createLogger({ level: 'info', destination: sink }),
    });
    apps.push(app);
    const warnings = lines.filter((l) =>
      String(l.msg).startsWith('TOCSIN_SELF_ALERT_SERVICE names'),
    );
    return { app, warnings };
  }

  it('warns once at start when no service has that name, and not when one has it in any case', async () => {
    store = await openTestStore(kind);
    const first = await start('nosuch');
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatchObject({ level: 40, target: 'nosuch' });
    const team = await first.app.services.teams.create(system, { name: 'T', description: '' });
    await first.app.services.services.create(system, {
      teamId: team.id,
      name: 'Tocsin',
      description: '',
    });
    await first.app.stop();
    apps.splice(0);

    // The next start finds `Tocsin` for `tocsin`, as the CLI would.
    const second = await start('tocsin');
    expect(second.warnings).toHaveLength(0);
  });
});

it('matches by id, then exact name, then name ignoring case', () => {
  const services = [
    { id: 's1', name: 'Tocsin' },
    { id: 's2', name: 'TOCSIN' },
    { id: 's3', name: 'Other' },
  ];
  expect(matchSelfAlertService(services, 's3').map((s) => s.id)).toEqual(['s3']);
  expect(matchSelfAlertService(services, 'TOCSIN').map((s) => s.id)).toEqual(['s2']);
  expect(matchSelfAlertService(services, 'tocsin').map((s) => s.id)).toEqual(['s1', 's2']);
  expect(matchSelfAlertService(services, 'nosuch')).toEqual([]);
});
