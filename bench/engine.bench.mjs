// `npm run bench:engine`: the engine loop itself, on SQLite and on Postgres, in this process
// (compiled modules from dist/server, no HTTP):
//  1. cycle time: `engine.runCycle()` back to back, with the built-in modules plus 5 no-op modules,
//     and with the built-in modules alone; the difference is the fixed cost of a module that does
//     nothing (its lease is taken and released with the others', one statement each per cycle).
//  2. wake-up latency: with `app.start()` and a 1 s tick, the time from `app.wakeup.notify()` to
//     the start of the next cycle; on Postgres also from a `NOTIFY` sent on another connection (what
//     an API node does to wake an engine node).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ensureServerBuilt,
  log,
  machineInfo,
  mdTable,
  record,
  root,
  round,
  sleep,
  startPostgres,
  summarise,
} from './runner.mjs';

const cycles = Number(process.env.BENCH_CYCLES ?? 2000);
const warmupCycles = 100;
const triggers = Number(process.env.BENCH_TRIGGERS ?? 200);
const noopModules = 5;
const tickMs = 1000;
const triggerTimeoutMs = 3 * tickMs;

const dist = (path) => import(pathToFileURL(join(root, 'dist', 'server', path)).href);

function noops(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `bench-noop-${i + 1}`,
    runOnce: async () => ({ processed: 0 }),
  }));
}

async function openApp(modules, databaseUrl, dataDir) {
  const { createApp } = await dist('app/app.js');
  const { loadConfig } = await dist('config/config.js');
  // An empty environment: nothing from the caller's shell (TOCSIN_*) changes what is measured.
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl,
      roles: ['engine'],
      demo: false,
      logLevel: 'silent',
      engineTickMs: tickMs,
    },
  );
  return createApp({ config, extraModules: modules });
}

/** Times `n` back-to-back `runCycle()` calls (after a warm-up), in ms. */
async function timeCycles(app, n) {
  for (let i = 0; i < warmupCycles; i++) await app.engine.runCycle();
  const wall = [];
  let errors = 0;
  const deadline = Date.now() + 120_000;
  for (let i = 0; i < n && Date.now() < deadline; i++) {
    const t0 = performance.now();
    const report = await app.engine.runCycle();
    wall.push(performance.now() - t0);
    errors += report.modules.filter((m) => m.error || !m.ran).length;
  }
  if (wall.length < n) log(`warning: stopped after ${wall.length} cycles (time bound)`);
  return { ...summarise(wall), module_errors: errors };
}

/**
 * Wraps the engine's `runCycle` (which its timer calls) to note when each new cycle starts.
 * Returns `nextStart()`, a promise of the next start time, and `idle()`, resolved when no cycle
 * is in flight.
 */
function watchCycles(engine) {
  const original = engine.runCycle.bind(engine);
  let current;
  let started = 0;
  let waiters = [];
  engine.runCycle = () => {
    const t = performance.now();
    const p = original();
    if (p !== current) {
      current = p;
      started++;
      for (const w of waiters) w(t);
      waiters = [];
      const clear = () => {
        if (current === p) current = undefined;
      };
      p.then(clear, clear);
    }
    return p;
  };
  return {
    get started() {
      return started;
    },
    nextStart(timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done);
          resolve(undefined);
        }, timeoutMs);
        const done = (t) => {
          clearTimeout(timer);
          resolve(t);
        };
        waiters.push(done);
      });
    },
    async idle() {
      while (current) await current.catch(() => undefined);
    },
  };
}

/**
 * `triggers` times: wait for the engine to be idle plus a random 20–60 ms, call `fire()`, and
 * measure until the next cycle starts.
 */
async function measureWakeups(watch, fire) {
  const latencies = [];
  let missed = 0;
  const deadline = Date.now() + 90_000;
  for (let i = 0; i < triggers && Date.now() < deadline; i++) {
    await watch.idle();
    await sleep(20 + Math.random() * 40);
    await watch.idle();
    const next = watch.nextStart(triggerTimeoutMs);
    const t0 = performance.now();
    fire();
    const t = await next;
    if (t === undefined) missed++;
    else latencies.push(t - t0);
  }
  return { ...summarise(latencies), missed };
}

async function benchStore(store, databaseUrl) {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-engine-'));
  try {
    // Built-in modules only, for the baseline.
    const base = await openApp([], databaseUrl, dataDir);
    const builtIn = base.engine.moduleNames;
    let baseline;
    try {
      log(`${store}: ${cycles} cycles, modules ${builtIn.join(', ')}`);
      baseline = await timeCycles(base, cycles);
      log(`${store}: ${JSON.stringify(baseline)}`);
    } finally {
      await base.stop();
    }

    const app = await openApp(noops(noopModules), databaseUrl, dataDir);
    const moduleNames = app.engine.moduleNames;
    try {
      log(`${store}: ${cycles} cycles, modules ${moduleNames.join(', ')}`);
      const withNoops = await timeCycles(app, cycles);
      log(`${store}: ${JSON.stringify(withNoops)}`);

      const watch = watchCycles(app.engine);
      const first = watch.nextStart(5000);
      await app.start();
      if ((await first) === undefined)
        throw new Error('the engine did not run a cycle after start()');

      log(`${store}: ${triggers} × wakeup.notify(), tick ${tickMs} ms`);
      const wakeup = await measureWakeups(watch, () => app.wakeup.notify());
      log(`${store}: ${JSON.stringify(wakeup)}`);

      let pgNotify;
      if (databaseUrl) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          log(`${store}: ${triggers} × NOTIFY tocsin_engine from another connection`);
          pgNotify = await measureWakeups(watch, () => {
            client.query('NOTIFY tocsin_engine').catch(() => undefined);
          });
          log(`${store}: ${JSON.stringify(pgNotify)}`);
        } finally {
          await client.end();
        }
      }
      return { builtIn, moduleNames, baseline, withNoops, wakeup, pgNotify };
    } finally {
      await app.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  ensureServerBuilt();
  const sqlite = await benchStore('sqlite');
  const pg = await startPostgres();
  let postgres;
  try {
    postgres = await benchStore('postgres', pg.url);
  } finally {
    await pg.stop();
  }

  const figures = {};
  const rows = [];
  for (const [store, r] of [
    ['sqlite', sqlite],
    ['postgres', postgres],
  ]) {
    const perModule = (r.withNoops.p50 - r.baseline.p50) / noopModules;
    Object.assign(figures, {
      [`${store}_cycle_p50_ms`]: r.withNoops.p50,
      [`${store}_cycle_p99_ms`]: r.withNoops.p99,
      [`${store}_cycle_max_ms`]: r.withNoops.max,
      [`${store}_cycle_builtin_only_p50_ms`]: r.baseline.p50,
      [`${store}_noop_module_ms`]: round(perModule, 3),
      [`${store}_wakeup_p50_ms`]: r.wakeup.p50,
      [`${store}_wakeup_p99_ms`]: r.wakeup.p99,
      [`${store}_wakeup_missed`]: r.wakeup.missed,
    });
    if (r.pgNotify) {
      Object.assign(figures, {
        [`${store}_pg_notify_wakeup_p50_ms`]: r.pgNotify.p50,
        [`${store}_pg_notify_wakeup_p99_ms`]: r.pgNotify.p99,
        [`${store}_pg_notify_wakeup_missed`]: r.pgNotify.missed,
      });
    }
    const row = (what, s, extra = '') => [store, what, s.n, s.p50, s.p99, s.max, s.mean, extra];
    rows.push(
      row(
        `cycle, ${r.moduleNames.length} modules (${r.builtIn.join(', ')} + ${noopModules} no-op)`,
        r.withNoops,
        `module errors/skips: ${r.withNoops.module_errors}`,
      ),
      row(
        `cycle, built-in only (${r.builtIn.join(', ')})`,
        r.baseline,
        `cost of a no-op module: ${round(perModule, 3)} ms (p50 difference ÷ ${noopModules})`,
      ),
      row('`wakeup.notify()` → next cycle starts', r.wakeup, `missed: ${r.wakeup.missed}`),
    );
    if (r.pgNotify) {
      rows.push(
        row(
          '`NOTIFY` on another connection → next cycle starts',
          r.pgNotify,
          `missed: ${r.pgNotify.missed}`,
        ),
      );
    }
  }
  const table = mdTable(
    ['store', 'measure', 'n', 'p50 ms', 'p99 ms', 'max ms', 'mean ms', 'notes'],
    rows,
  );
  const notes = [
    'Peer comparison: none; these are Tocsin’s own engine overheads, to compare with later runs of this script.',
    `Method: the compiled app (dist/server/app/app.js \`createApp\`, roles engine only, no demo data, log level silent) in the benchmark process. Cycle times are wall-clock around \`await app.engine.runCycle()\`, called back to back ${cycles} times after ${warmupCycles} warm-up cycles, on an otherwise empty store. A cycle takes every module's lease in one conditional UPDATE … RETURNING and releases them in one UPDATE, each its own autocommit (the lease rows are inserted once per engine); the built-in modules also run their due queries.`,
    `Wake-up: \`app.start()\` with a ${tickMs} ms tick; ${triggers} triggers, each fired once the engine is idle plus a random 20–60 ms, measured to the moment the engine's timer calls \`runCycle()\` (missed = no cycle within ${triggerTimeoutMs} ms). On Postgres, \`notify()\` wakes the local engine in process and also sends \`pg_notify\`, whose echo can cause one extra cycle; the NOTIFY row measures the cross-node path: a separate client's \`NOTIFY tocsin_engine\` → Tocsin's LISTEN connection → next cycle.`,
    `SQLite: WAL, an fsync of the WAL per commit (synchronous=NORMAL plus the driver's fsync on libuv's thread pool: FULL's durability) on the temp dir's filesystem (${machineInfo().tmp_fs}). Postgres: throwaway ${pg.version} cluster in a temp dir, fsync=on, over TCP on 127.0.0.1; Tocsin's pool of 10 connections.`,
  ];
  record('engine', figures, table, notes);
}

main().catch((err) => {
  process.stderr.write(
    `bench:engine failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
