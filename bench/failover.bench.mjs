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
//  - Postgres, network lost (needs root and `ip`; skipped with a message otherwise): the dying
//    node runs in its own network namespace, reaching Postgres over a veth pair, and is not killed:
//    the link is taken down, so its packets vanish without a FIN or RST, as when a machine or its
//    network goes away. The time from the cut until the second node runs the modules.
//
// Knobs: BENCH_TRIALS (10 per store); BENCH_NO_RECORD=1 prints instead of appending to
// docs/benchmarks.md.
import { execFileSync, spawn } from 'node:child_process';
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
  registerCleanup,
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

/**
 * Starts the dying node; resolves with the child once it holds the leases mid-cycle. With
 * `netns`, it runs inside that network namespace.
 */
function startDyingNode(env, netns) {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, join(root, 'bench', 'failover-child.mjs')];
    const [cmd, ...args] = netns ? ['ip', 'netns', 'exec', netns, ...node] : node;
    const child = spawn(cmd, args, {
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
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
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

/**
 * One Postgres trial: the dying node holds the leases, a second node runs beside it (and must
 * not run the modules), then `fail` ends the first node (SIGKILL by default); the figure is the
 * time until the second node runs them. `dyingUrl`/`netns`: where the dying node runs from.
 */
async function postgresTrial(url, { dyingUrl = url, netns, fail = kill } = {}) {
  // A temp data dir for the secret key file, shared by both nodes as several nodes must share it.
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-failover-'));
  try {
    const dying = await startDyingNode(
      { TOCSIN_DATABASE_URL: dyingUrl, TOCSIN_DATA_DIR: dir },
      netns,
    );
    try {
      const node = await startNode(url, dir);
      try {
        await sleep(aliveWatchMs());
        if (node.ranAt() !== undefined)
          throw new Error('second node ran a module a live node held');
        const t0 = performance.now();
        await fail(dying);
        const t1 = await waitFor(node.ranAt, takeoverCapMs);
        if (t1 === undefined) throw new Error('no takeover');
        return t1 - t0;
      } finally {
        await node.app.stop();
      }
    } finally {
      await kill(dying);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Network loss: a network namespace joined to this one by a veth pair.

const lossNet = {
  ns: `tocsin-failover-${process.pid}`,
  hostIf: `tfo${process.pid % 100000}h`,
  nsIf: `tfo${process.pid % 100000}n`,
  hostIp: '10.231.0.1',
  nsIp: '10.231.0.2',
};

/** Why the network-loss case cannot run here, or undefined when it can. */
function lossUnavailable() {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'needs iproute2 (`ip`)';
  }
  return undefined;
}

const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

function lossNetUp() {
  const { ns, hostIf, nsIf, hostIp, nsIp } = lossNet;
  ip('netns', 'add', ns);
  const down = registerCleanup(lossNetDown);
  ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
  ip('link', 'set', nsIf, 'netns', ns);
  ip('addr', 'add', `${hostIp}/24`, 'dev', hostIf);
  ip('link', 'set', hostIf, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/24`, 'dev', nsIf);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
  ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  return down;
}

function lossNetDown() {
  try {
    ip('link', 'del', lossNet.hostIf);
  } catch {
    // already gone (deleting the namespace deletes the pair)
  }
  try {
    ip('netns', 'del', lossNet.ns);
  } catch {
    // already gone
  }
}

/** Postgres, network cut: the dying node is isolated, not killed (it is killed after). */
async function networkLossTrial(url, nsUrl) {
  ip('link', 'set', lossNet.hostIf, 'up');
  return postgresTrial(url, {
    dyingUrl: nsUrl,
    netns: lossNet.ns,
    // Packets vanish: no FIN, no RST.
    fail: async () => ip('link', 'set', lossNet.hostIf, 'down'),
  });
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
  const unavailable = lossUnavailable();
  if (unavailable) log(`SKIPPED the network-loss case: it ${unavailable}`);
  const dropLossNet = unavailable ? undefined : lossNetUp();
  const pg = await startPostgres(unavailable ? {} : { alsoListen: lossNet.hostIp });
  const postgres = [];
  const lost = [];
  try {
    const { openStore, migrateToLatest } = await dist('db/index.js');
    const store = openStore({ databaseUrl: pg.url });
    await migrateToLatest(store);
    await store.close();
    for (let i = 0; i < trials; i++) {
      postgres.push(await postgresTrial(pg.url));
      log(`postgres trial ${i + 1}: ${round(postgres.at(-1) / 1000, 2)} s`);
    }
    if (!unavailable) {
      const nsUrl = new URL(pg.url);
      nsUrl.hostname = lossNet.hostIp;
      for (let i = 0; i < trials; i++) {
        lost.push(await networkLossTrial(pg.url, nsUrl.toString()));
        log(`postgres network-loss trial ${i + 1}: ${round(lost.at(-1) / 1000, 2)} s`);
      }
    }
  } finally {
    await pg.stop();
    if (dropLossNet) {
      dropLossNet();
      lossNetDown();
    }
  }
  const s = (ms) => summarise(ms.map((v) => v / 1000));
  const figures = {
    sqlite_takeover_s: s(sqlite),
    postgres_takeover_s: s(postgres),
    ...(lost.length ? { postgres_network_loss_takeover_s: s(lost) } : {}),
  };
  const row = (store, what, f) => [
    store,
    what,
    String(f?.n ?? 0),
    String(f?.p50 ?? 'skipped'),
    String(f?.max ?? 'skipped'),
    '60 (lease TTL)',
  ];
  const table = mdTable(
    [
      'store',
      'when the holder of every lease dies mid-cycle',
      'trials',
      'p50 s',
      'max s',
      'without takeover, up to s',
    ],
    [
      row('SQLite', 'SIGKILL: a restarted node runs the modules', figures.sqlite_takeover_s),
      row('Postgres', 'SIGKILL: a second running node runs them', figures.postgres_takeover_s),
      row(
        'Postgres',
        'network cut (veth down, process alive): a second node runs them',
        figures.postgres_network_loss_takeover_s,
      ),
    ],
  );
  const notes = [
    'Peer comparison: none published by the peers for this; the “without takeover” column is what Tocsin did before (a lease frees itself only when its 60 s TTL ends).',
    `Method: the dying node is a child process (bench/failover-child.mjs, compiled app, engine role, production 1 s tick) stopped inside an engine cycle while it holds every module lease, then killed with SIGKILL. Postgres: a second engine node (the benchmark process, production tick) runs from 3–5 s (random) before the kill and is checked not to run the modules while the first node lives; the figure is kill → its first run of a module after the held one. SQLite: the new node is started in the benchmark process right after the kill (no Node start-up counted; migrations check and app build are).`,
    `Network cut: the dying node runs in its own network namespace and reaches Postgres over a veth pair; the host end is taken down (packets vanish, no FIN or RST) and the process is left running, isolated. Expected bound: the server drops the session after its keepalive (5 s idle + 3 probes 1 s apart, set by the presence connection), then the check interval (2 s) and the confirmation (1 s).${unavailable ? ` Skipped in this run: it ${unavailable}.` : ''}`,
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
