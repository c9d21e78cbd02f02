import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStore, openSecondHandle, openTestStore } from '../../test/harness.js';
import { FakeClock, type Clock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { openPgPresence, type Store } from '../db/index.js';
import { Engine, localProcessLiveness, type EngineOptions } from './engine.js';
import type { EngineModule } from './engine-module.js';

const logger = createLogger({ level: 'silent' });

function engineOn(
  store: Store,
  modules: EngineModule[],
  clock: Clock = new FakeClock(),
  extra: Partial<EngineOptions> = {},
) {
  return new Engine({ db: store.db, clock, logger, registry: new Registry(), modules, ...extra });
}

describeEachStore('engine', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs modules in their fixed order, each pass seeing the same cycle time', async () => {
    const seen: Array<[string, number]> = [];
    const mod = (name: string): EngineModule => ({
      name,
      runOnce: async (ctx) => {
        seen.push([name, ctx.now]);
        return { processed: 0 };
      },
    });
    const clock = new FakeClock('2026-03-01T02:00:00Z');
    await engineOn(
      store,
      [mod('escalate'), mod('send-messages'), mod('cleanup')],
      clock,
    ).runCycle();
    expect(seen).toEqual([
      ['escalate', clock.now()],
      ['send-messages', clock.now()],
      ['cleanup', clock.now()],
    ]);
  });

  it('contains a module that throws: the others still run, and the error is reported and counted', async () => {
    const ran: string[] = [];
    const registry = new Registry();
    const engine = new Engine({
      db: store.db,
      clock: new FakeClock(),
      logger,
      registry,
      modules: [
        { name: 'first', runOnce: async () => (ran.push('first'), { processed: 0 }) },
        {
          name: 'broken',
          runOnce: async () => {
            throw new Error('vendor exploded');
          },
        },
        { name: 'last', runOnce: async () => (ran.push('last'), { processed: 0 }) },
      ],
    });
    const report = await engine.runCycle();
    expect(ran).toEqual(['first', 'last']);
    expect(report.modules.find((m) => m.name === 'broken')).toMatchObject({
      ran: true,
      error: 'vendor exploded',
    });
    expect(await registry.getSingleMetricAsString('tocsin_engine_module_errors_total')).toContain(
      'module="broken"} 1',
    );
    // The broken module's lease was released: the next cycle runs it again.
    const again = await engine.runCycle();
    expect(again.modules.find((m) => m.name === 'broken')!.ran).toBe(true);
  });

  it('runs until idle after a fast-forward: due rows are all handled', async () => {
    const clock = new FakeClock('2026-03-01T02:00:00Z');
    const dueAt = [clock.now() + 60_000, clock.now() + 120_000, clock.now() + 10 * 60_000];
    const done: number[] = [];
    const module: EngineModule = {
      name: 'timers',
      runOnce: async (ctx) => {
        const due = dueAt.filter((t) => t <= ctx.now && !done.includes(t)).slice(0, 1); // batch of one
        done.push(...due);
        return { processed: due.length };
      },
    };
    const engine = engineOn(store, [module], clock);
    await engine.runUntilIdle();
    expect(done).toEqual([]);
    clock.fastForward(5 * 60_000);
    const reports = await engine.runUntilIdle();
    expect(done).toEqual(dueAt.slice(0, 2));
    expect(reports.length).toBe(3); // two busy cycles and the idle one
  });

  it('skips a module whose lease another node holds, and takes it once that lease expires', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const module: EngineModule = {
      name: 'escalate',
      runOnce: async () => (runs++, { processed: 0 }),
    };
    await store.db
      .insertInto('engine_leases')
      .values({ module: 'escalate', holder: 'other-node', expires_at: clock.now() + 30_000 })
      .execute();
    const engine = engineOn(store, [module], clock, { holder: 'this-node' });
    expect((await engine.runCycle()).modules[0]!.ran).toBe(false);
    expect(runs).toBe(0);
    clock.fastForward(30_000);
    expect((await engine.runCycle()).modules[0]!.ran).toBe(true);
    expect(runs).toBe(1);
  });

  it('takes over the leases of a gone process of this host only when told to (one server per SQLite file)', async () => {
    const ran: string[] = [];
    const mod = (name: string): EngineModule => ({
      name,
      runOnce: async () => {
        ran.push(name);
        return { processed: 0 };
      },
    });
    const clock = new FakeClock('2026-03-01T02:00:00Z');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const holders: Record<string, string> = {
      gone: `${hostname()}:${dead}:crashed`,
      earlier: `${hostname()}:${process.pid}:restarted`, // this pid, another run (a container)
      alive: `${hostname()}:${process.ppid}:running`,
      remote: `elsewhere:${dead}:other`,
    };
    await store.db
      .insertInto('engine_leases')
      .values(
        Object.entries(holders).map(([module, holder]) => ({
          module,
          holder,
          expires_at: clock.now() + 60_000,
        })),
      )
      .execute();
    const modules = Object.keys(holders).map(mod);
    await engineOn(store, modules, clock).runCycle();
    expect(ran).toEqual([]);
    await engineOn(store, modules, clock, { liveness: localProcessLiveness }).runCycle();
    expect(ran).toEqual(['gone', 'earlier']);

    // Another engine of this process (same pid) is alive: its leases stay its own.
    const sibling = engineOn(store, [mod('sibling')], clock);
    await store.db
      .insertInto('engine_leases')
      .values({ module: 'sibling', holder: sibling.holder, expires_at: clock.now() + 60_000 })
      .execute();
    ran.length = 0;
    await engineOn(store, [mod('sibling')], clock, { liveness: localProcessLiveness }).runCycle();
    expect(ran).toEqual([]);
  });

  it('starts on trigger without waiting for the tick', async () => {
    let cycles = 0;
    const engine = new Engine({
      db: store.db,
      clock: new FakeClock(),
      logger,
      registry: new Registry(),
      tickMs: 60_000,
      modules: [{ name: 'count', runOnce: async () => (cycles++, { processed: 0 }) }],
    });
    engine.start();
    await expect.poll(() => cycles, { timeout: 2000 }).toBe(1); // the first cycle at start
    engine.trigger();
    await expect.poll(() => cycles, { timeout: 2000 }).toBe(2);
    await engine.stop();
  });

  it('runs the next cycle at once while a module still has work, instead of waiting a tick', async () => {
    let backlog = 5;
    const engine = new Engine({
      db: store.db,
      clock: new FakeClock(),
      logger,
      registry: new Registry(),
      tickMs: 60_000,
      modules: [
        { name: 'drain', runOnce: async () => ({ processed: backlog > 0 ? (backlog--, 1) : 0 }) },
      ],
    });
    engine.start();
    await expect.poll(() => backlog, { timeout: 2000 }).toBe(0);
    await engine.stop();
  });

  it('backs off to the tick after a module throws, even though it says a row is due now', async () => {
    let failures = 0;
    let others = 0;
    const engine = new Engine({
      db: store.db,
      clock: { now: () => Date.now() },
      logger,
      registry: new Registry(),
      tickMs: 60_000,
      modules: [
        {
          name: 'broken',
          runOnce: async () => {
            failures++;
            throw new Error('Invalid day: 31');
          },
          // The row that breaks it stays due.
          nextDueAt: async () => Date.now() - 1000,
        },
        { name: 'other', runOnce: async () => (others++, { processed: 0 }) },
      ],
    });
    engine.start();
    await expect.poll(() => failures, { timeout: 2000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    await engine.stop();
    // Without the back-off the engine spins on the broken row (over a hundred cycles a second).
    expect(failures).toBe(1);
    expect(others).toBe(1);
  });

  it('sleeps until the earliest due row rather than a whole tick', async () => {
    const clock = { now: () => Date.now() };
    const dueAt = Date.now() + 300;
    let ranAt: number | undefined;
    const engine = new Engine({
      db: store.db,
      clock,
      logger,
      registry: new Registry(),
      tickMs: 60_000,
      modules: [
        {
          name: 'timer',
          runOnce: async (ctx) => {
            if (ranAt === undefined && ctx.now >= dueAt) ranAt = ctx.now;
            return { processed: 0 };
          },
          nextDueAt: async () => (ranAt === undefined ? dueAt : undefined),
        },
      ],
    });
    engine.start();
    await expect.poll(() => ranAt, { timeout: 3000 }).toBeDefined();
    expect(ranAt! - dueAt).toBeLessThan(1000);
    await engine.stop();
  });

  it('stop() waits for the cycle in flight to finish (graceful shutdown)', async () => {
    let finished = false;
    let begun!: () => void;
    const started = new Promise<void>((r) => (begun = r));
    const engine = engineOn(store, [
      {
        name: 'slow',
        runOnce: async () => {
          begun();
          await new Promise((r) => setTimeout(r, 100));
          finished = true;
          return { processed: 0 };
        },
      },
    ]);
    engine.start();
    await started;
    await engine.stop();
    expect(finished).toBe(true);
  });

  if (kind === 'postgres')
    it('takes over at once the leases of a node whose presence session is gone, and takes none while its own is down', async () => {
      const other = openSecondHandle(store);
      const crashed = await openPgPresence(other, { confirmMs: 100 });
      const here = await openPgPresence(store, { confirmMs: 100, retryMs: 60_000 });
      try {
        const clock = new FakeClock('2026-03-01T02:00:00Z');
        let runs = 0;
        const modules: EngineModule[] = [
          { name: 'escalate', runOnce: async () => (runs++, { processed: 0 }) },
        ];
        await store.db
          .insertInto('engine_leases')
          .values([
            { module: 'escalate', holder: crashed.holder, expires_at: clock.now() + 60_000 },
          ])
          .execute();
        const registry = new Registry();
        const engine = engineOn(store, modules, clock, {
          holder: here.holder,
          liveness: here,
          livenessCheckMs: 0,
          registry,
        });
        // The holder's session is up: it is mid-cycle somewhere, its lease stands.
        expect((await engine.runCycle()).modules[0]!.ran).toBe(false);
        await crashed.close(); // its process dies
        expect((await engine.runCycle()).modules[0]!.ran).toBe(true);
        expect(runs).toBe(1);
        expect(await registry.metrics()).toContain(
          'tocsin_engine_lease_takeovers_total{module="escalate"} 1',
        );

        // This node's own session drops (and stays down: retry in a minute): it takes no lease.
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = ${`tocsin-engine ${here.holder.split(':').at(-1)}`}`.execute(
          other.db,
        );
        await expect.poll(() => here.selfAlive(), { timeout: 5000 }).toBe(false);
        await store.db.updateTable('engine_leases').set({ holder: '', expires_at: 0 }).execute();
        expect((await engine.runCycle()).modules[0]!.ran).toBe(false);
        expect(runs).toBe(1);
        const row = await store.db
          .selectFrom('engine_leases')
          .selectAll()
          .executeTakeFirstOrThrow();
        expect(row.holder, 'the lease was not even taken').toBe('');
      } finally {
        await here.close();
        await crashed.close();
        await other.close();
      }
    });

  if (kind === 'postgres')
    it('runs no further module once its presence session drops mid-cycle', async () => {
      const here = await openPgPresence(store, { retryMs: 60_000 });
      try {
        const ran: string[] = [];
        const engine = new Engine({
          db: store.db,
          clock: new FakeClock(),
          logger,
          registry: new Registry(),
          holder: here.holder,
          liveness: here,
          modules: [
            {
              name: 'first',
              runOnce: async () => {
                ran.push('first');
                await sql`select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = current_database() and application_name like 'tocsin-engine %'`.execute(
                  store.db,
                );
                await expect.poll(() => here.selfAlive(), { timeout: 5000 }).toBe(false);
                return { processed: 0 };
              },
            },
            { name: 'second', runOnce: async () => (ran.push('second'), { processed: 0 }) },
          ],
        });
        const report = await engine.runCycle();
        expect(ran).toEqual(['first']);
        expect(report.modules.map((m) => m.ran)).toEqual([true, false]);
      } finally {
        await here.close();
      }
    });

  if (kind === 'postgres')
    it('never runs one module on two engines at once (two nodes, one Postgres)', async () => {
      const other = openSecondHandle(store);
      try {
        const intervals: Array<{ node: string; start: number; end: number }> = [];
        const slowModule = (node: string): EngineModule => ({
          name: 'escalate',
          runOnce: async () => {
            const start = performance.now();
            await new Promise((r) => setTimeout(r, 15));
            intervals.push({ node, start, end: performance.now() });
            return { processed: 0 };
          },
        });
        const clock = { now: () => Date.now() };
        const a = new Engine({
          db: store.db,
          clock,
          logger,
          registry: new Registry(),
          modules: [slowModule('a')],
          holder: 'node-a',
        });
        const b = new Engine({
          db: other.db,
          clock,
          logger,
          registry: new Registry(),
          modules: [slowModule('b')],
          holder: 'node-b',
        });
        // As the engine's scheduler does, each node waits for a timer between cycles (a node that
        // re-takes the leases in the same breath as it gives them back would starve the other).
        const loop = async (e: Engine) => {
          for (let i = 0; i < 40; i++) {
            await e.runCycle();
            await new Promise((r) => setTimeout(r, 1));
          }
        };
        await Promise.all([loop(a), loop(b)]);
        intervals.sort((x, y) => x.start - y.start);
        for (let i = 1; i < intervals.length; i++) {
          expect(
            intervals[i]!.start,
            'a pass began before the previous one ended',
          ).toBeGreaterThanOrEqual(intervals[i - 1]!.end);
        }
        // Both nodes got to run it: the lease moves, it does not stick.
        expect(new Set(intervals.map((i) => i.node))).toEqual(new Set(['a', 'b']));
      } finally {
        await other.close();
      }
    });
});
