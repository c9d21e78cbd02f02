// `npm run bench:failover`: how long escalations stop when an engine process dies in the middle of
// a cycle (SIGKILL), on SQLite and on Postgres. Compiled modules from dist/server.
//  - The dying node is a child process (bench/failover-child.mjs) stopped inside a cycle, holding
//    every module lease; it is killed with SIGKILL.
//  - Postgres: a second engine node (this process, the production tick and schedule) runs from
//    before the kill. While the first node lives, it must not run the modules (checked); after the
//    kill, the time until it runs them is the takeover time.
//  - SQLite (one server per file): the node is restarted after the kill (here, in this process);
//    the time from the kill until the new node runs the modules includes its start-up.
// Without the takeover (before presence on Postgres), the wait was the lease TTL: up to 60 s.
//
// Knobs: BENCH_TRIALS (10 per store); BENCH_NO_RECORD=1 prints instead of appending to
// docs/benchmarks.md.
import { spawn } from 'node:child_process';
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

const trials = Number(process.env.BENCH_TRIALS ?? 10);
// How long the second node is watched while the first one lives: at least 3 s, plus a random
// part, so the kill falls at a different point of the second node's 2 s check interval each time.
const aliveWatchMs = () => 3000 + Math.random() * 2000;
const takeoverCapMs = 90_000;

const dist = (path) => import(pathToFileURL(join(root, 'dist', 'server', path)).href);

/** Starts the dying node; resolves with the child once it holds the leases mid-cycle. */
function startDyingNode(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'failover-child.mjs')], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      if (String(d).includes('holding')) resolve(child);
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`dying node exited ${code} ${signal}: ${err}`));
    });
  });
}

function kill(child) {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The surviving (or restarted) node, in this process; `ranAt()` is when it first ran the probe. */
async function startNode(databaseUrl, dataDir) {
  const { createApp } = await dist('app/app.js');
  const { loadConfig } = await dist('config/config.js');
  const config = loadConfig(
    {},
    { dataDir, databaseUrl, roles: ['engine'], demo: false, logLevel: 'silent' },
  );
  let ranAt;
  const app = await createApp({
    config,
    skipInitialise: true,
    extraModules: [
      { name: 'bench-hold', runOnce: async () => ({ processed: 0 }) },
      {
        name: 'bench-probe',
        runOnce: async () => {
          ranAt ??= performance.now();
          return { processed: 0 };
        },
      },
    ],
  });
  await app.start();
  return { app, ranAt: () => ranAt };
}

async function waitFor(ranAt, capMs) {
  const deadline = performance.now() + capMs;
  while (ranAt() === undefined && performance.now() < deadline) await sleep(10);
  return ranAt();
}

async function postgresTrial(url) {
  // A temp data dir for the secret key file, shared by both nodes as several nodes must share it.
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-failover-'));
  try {
    const dying = await startDyingNode({ TOCSIN_DATABASE_URL: url, TOCSIN_DATA_DIR: dir });
    const node = await startNode(url, dir);
    try {
      await sleep(aliveWatchMs());
      if (node.ranAt() !== undefined) throw new Error('second node ran a module a live node held');
      const t0 = performance.now();
      await kill(dying);
      const t1 = await waitFor(node.ranAt, takeoverCapMs);
      if (t1 === undefined) throw new Error('no takeover');
      return t1 - t0;
    } finally {
      await node.app.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sqliteTrial() {
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-failover-'));
  try {
    const dying = await startDyingNode({ TOCSIN_DATA_DIR: dir });
    const t0 = performance.now();
    await kill(dying);
    const node = await startNode(undefined, dir);
    try {
      const t1 = await waitFor(node.ranAt, takeoverCapMs);
      if (t1 === undefined) throw new Error('no takeover');
      return t1 - t0;
    } finally {
      await node.app.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  ensureServerBuilt();
  await dist('app/app.js'); // loaded once up front: no trial pays for the first import
  const sqlite = [];
  for (let i = 0; i < trials; i++) {
    sqlite.push(await sqliteTrial());
    log(`sqlite trial ${i + 1}: ${round(sqlite.at(-1) / 1000, 2)} s`);
  }
  const pg = await startPostgres();
  const postgres = [];
  try {
    const { openStore, migrateToLatest } = await dist('db/index.js');
    const store = openStore({ databaseUrl: pg.url });
    await migrateToLatest(store);
    await store.close();
    for (let i = 0; i < trials; i++) {
      postgres.push(await postgresTrial(pg.url));
      log(`postgres trial ${i + 1}: ${round(postgres.at(-1) / 1000, 2)} s`);
    }
  } finally {
    await pg.stop();
  }
  const s = (ms) => summarise(ms.map((v) => v / 1000));
  const figures = { sqlite_takeover_s: s(sqlite), postgres_takeover_s: s(postgres) };
  const row = (store, what, f) => [
    store,
    what,
    String(f.n),
    String(f.p50),
    String(f.max),
    '60 (lease TTL)',
  ];
  const table = mdTable(
    ['store', 'after SIGKILL mid-cycle', 'trials', 'p50 s', 'max s', 'without takeover, up to s'],
    [
      row('SQLite', 'a restarted node runs the modules', figures.sqlite_takeover_s),
      row('Postgres', 'a second running node runs them', figures.postgres_takeover_s),
    ],
  );
  const notes = [
    'Peer comparison: none published by the peers for this; the “without takeover” column is what Tocsin did before (a lease frees itself only when its 60 s TTL ends).',
    `Method: the dying node is a child process (bench/failover-child.mjs, compiled app, engine role, production 1 s tick) stopped inside an engine cycle while it holds every module lease, then killed with SIGKILL. Postgres: a second engine node (the benchmark process, production tick) runs from 3–5 s (random) before the kill and is checked not to run the modules while the first node lives; the figure is kill → its first run of a module after the held one. SQLite: the new node is started in the benchmark process right after the kill (no Node start-up counted; migrations check and app build are).`,
    `Postgres: throwaway ${pg.version} cluster in a temp dir over TCP on 127.0.0.1. Expected Postgres bound: a tick (1 s) + the liveness check interval (2 s) + the confirmation wait (1 s). SQLite file on ${machineInfo().tmp_fs}.`,
  ];
  if (process.env.BENCH_NO_RECORD) {
    process.stdout.write(`${table}\n${JSON.stringify({ bench: 'failover', ...figures })}\n`);
  } else record('failover', figures, table, notes);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(
      `bench:failover failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
