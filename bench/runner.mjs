// Shared helpers for the benchmarks in bench/: machine facts, a Tocsin server and a throwaway
// Postgres to measure against, an autocannon load run, and `record`, which appends a dated
// section to docs/benchmarks.md and prints one JSON line (the last line of stdout).
//
// Progress goes to stderr, so stdout carries only that final JSON object.
import { findPostgresBin, startPostgres as startThrowawayPostgres } from '../scripts/postgres.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

// The 1-minute load average when the benchmark started: other work on the machine skews results.
const loadAtStart = os.loadavg()[0];

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchmarksDoc = join(root, 'docs', 'benchmarks.md');

// ---------------------------------------------------------------------------------------------
// Small utilities

/** Progress output (stderr: stdout is reserved for the final JSON line). */
export function log(...args) {
  process.stderr.write(`[bench] ${args.join(' ')}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rounds to `digits` decimals (numbers only; anything else is returned as is). */
export function round(value, digits = 2) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile of an array of numbers (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** p50/p99/max/mean of a sample, rounded. */
export function summarise(values, digits = 3) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    n: values.length,
    p50: round(percentile(values, 50), digits),
    p99: round(percentile(values, 99), digits),
    max: round(Math.max(...values), digits),
    mean: round(mean, digits),
  };
}

/** A markdown table from a header row and data rows. */
export function mdTable(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c ?? '')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Cleanups for Ctrl-C / SIGTERM during a run, so no server or Postgres is left behind.
const cleanups = new Set();
let signalled = false;
function onSignal(signal) {
  if (signalled) return;
  signalled = true;
  log(`${signal}: cleaning up`);
  const all = [...cleanups].reverse().map((fn) =>
    Promise.resolve()
      .then(fn)
      .catch(() => undefined),
  );
  const deadline = sleep(15_000);
  void Promise.race([Promise.all(all), deadline]).then(() => process.exit(130));
}
process.once('SIGINT', () => onSignal('SIGINT'));
process.once('SIGTERM', () => onSignal('SIGTERM'));

/** Runs `fn` when the benchmark is interrupted; returns the function that unregisters it. */
export function registerCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

// ---------------------------------------------------------------------------------------------
// Machine facts

function osName() {
  try {
    const rel = readFileSync('/etc/os-release', 'utf8');
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(rel);
    if (m) return `${m[1]} (kernel ${os.release()})`;
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()}`;
}

function fsType(path) {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', path], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function packageVersionOf(name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

/** CPU, cores, RAM, Node, OS, and the filesystem the temp dirs live on (fsync cost). */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    ram_gb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: osName(),
    tmp_fs: fsType(os.tmpdir()),
    autocannon: packageVersionOf('autocannon'),
  };
}

function machineLine(m) {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.ram_gb} GiB RAM; Node ${m.node}; ${m.os}; ` +
    `temp dirs on ${m.tmp_fs} (as \`stat -f\` names it)`
  );
}

// ---------------------------------------------------------------------------------------------
// Building

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

// What `ensureServerBuilt` found, for `record` (the tree may change while a benchmark runs).
let measuredBuild;

/**
 * Builds the server (`npm run build:server`) when dist/server/main.js is missing, or always with
 * BENCH_REBUILD=1. A dist older than src/ is used as is, with a warning (other people may be
 * mid-edit in src/); the benchmark measures what is in dist/.
 */
export function ensureServerBuilt() {
  if (loadAtStart > 0.5) {
    log(`warning: load average ${round(loadAtStart, 2)} at start; other work may skew the figures`);
  }
  const main = join(root, 'dist', 'server', 'main.js');
  if (!existsSync(main) || process.env.BENCH_REBUILD === '1') {
    log('building the server: npm run build:server');
    execFileSync('npm', ['run', '--silent', 'build:server'], {
      cwd: root,
      stdio: ['ignore', 2, 2],
    });
  } else if (newestMtime(join(root, 'src')) > statSync(main).mtimeMs) {
    log(
      'warning: src/ is newer than dist/server; measuring the existing build (BENCH_REBUILD=1 rebuilds)',
    );
  }
  measuredBuild = buildInfo();
}

/** Which code was measured: the git commit, uncommitted changes under src/, a stale dist/. */
export function buildInfo() {
  const git = (args) => {
    try {
      return execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = git(['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const dirty = (git(['status', '--porcelain', '--', 'src']) ?? '') !== '';
  const main = join(root, 'dist', 'server', 'main.js');
  const stale = existsSync(main) && newestMtime(join(root, 'src')) > statSync(main).mtimeMs;
  return { commit, src_dirty: dirty, dist_stale: stale };
}

function buildLine(b) {
  return (
    `git ${b.commit}${b.src_dirty ? ' with uncommitted changes under src/' : ''}, compiled dist/server` +
    (b.dist_stale ? ' (older than some src/ files: the build was measured as it was)' : '')
  );
}

// ---------------------------------------------------------------------------------------------
// Postgres

/**
 * A throwaway Postgres for a benchmark: the same script the tests use (scripts/postgres.mjs),
 * with fsync on so commits cost what they cost in production. `stop` also runs on Ctrl-C.
 */
export async function startPostgres({ alsoListen } = {}) {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const pg = await startThrowawayPostgres({ fsync: true, alsoListen });
  const unregister = registerCleanup(pg.stop);
  const version = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  log(`Postgres up: ${version} at ${pg.url}`);
  return {
    ...pg,
    version,
    stop: async () => {
      unregister();
      await pg.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux)

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in seconds; undefined when gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** Processes whose command line mentions `needle`, and their descendants. */
export function processTree(needle) {
  const pids = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const tree = new Set();
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) tree.add(pid);
    } catch {
      // gone
    }
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const pid of pids)
      if (!tree.has(pid) && tree.has(parentOf(pid))) {
        tree.add(pid);
        grew = true;
      }
  }
  return [...tree];
}

/** CPU seconds of each process in the tree `needle` names (empty without a needle). */
export function cpuOfTree(needle) {
  if (!needle) return new Map();
  return new Map(processTree(needle).map((pid) => [pid, cpuSeconds(pid) ?? 0]));
}

/** CPU seconds a tree used between two `cpuOfTree` snapshots. */
export function treeDelta(a, b) {
  let s = 0;
  for (const [pid, v] of b) s += v - (a.get(pid) ?? 0);
  return s;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return {
    busy: user + nice + system + irq + softirq + steal,
    total: f.slice(0, 8).reduce((a, b) => a + b, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Running a benchmark

/** A module of the compiled server (`dist/server/<path>`), imported. */
export function importDist(path) {
  return import(pathToFileURL(join(root, 'dist', 'server', path)).href);
}

/** Runs `fn` as benchmark `name`: exit 0 when it settles, 1 (with the stack) when it throws. */
export async function runMain(name, fn) {
  try {
    await fn();
  } catch (err) {
    process.stderr.write(
      `bench:${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  }
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Tocsin

/** VmRSS of a process in MiB, or undefined when it is gone. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples VmRSS of `pid` every `intervalMs` until `stop()`, which returns peak and mean MiB. */
export function sampleRss(pid, intervalMs = 250) {
  const samples = [];
  const take = () => {
    const v = rssMb(pid);
    if (v !== undefined) samples.push(v);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const peak = Math.max(...samples);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      return { peak_mb: round(peak, 1), mean_mb: round(mean, 1), samples: samples.length };
    },
  };
}

/** The parent's environment without any TOCSIN_* variable, so a developer's shell cannot leak in. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TOCSIN_')));
}

/**
 * Spawns `node bin/tocsin.js serve` on a free port with a fresh temp data dir and waits for
 * "listening on http://…". With `store: 'postgres'`, pass `databaseUrl` (or TOCSIN_DATABASE_URL in
 * `env`); without one a throwaway Postgres is started here and stopped by `stop()`.
 *
 * Returns `{ url, pid, env, admin, cli(args), rssMb(), sampleRss(ms), stop() }`: `cli` runs
 * `node bin/tocsin.js …` against the same store; `stop` sends SIGTERM (SIGKILL after 15 s),
 * then deletes the data dir.
 */
export async function startTocsin({
  store = 'sqlite',
  env = {},
  databaseUrl,
  readyTimeoutMs = 60_000,
} = {}) {
  let ownPg;
  let dbUrl = databaseUrl ?? env.TOCSIN_DATABASE_URL;
  if (store === 'postgres' && !dbUrl) {
    ownPg = await startPostgres();
    dbUrl = ownPg.url;
  }
  if (store === 'sqlite') dbUrl = undefined;
  const dataDir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-data-'));
  const port = await freePort();
  const admin = {
    email: 'bench@tocsin.local',
    password: `bench-${randomBytes(12).toString('hex')}`,
  };
  const childEnv = {
    ...cleanEnv(),
    TOCSIN_HOST: '127.0.0.1',
    TOCSIN_PORT: String(port),
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_ADMIN_EMAIL: admin.email,
    TOCSIN_ADMIN_PASSWORD: admin.password,
    ...env,
    ...(dbUrl ? { TOCSIN_DATABASE_URL: dbUrl } : {}),
  };
  if (!dbUrl) delete childEnv.TOCSIN_DATABASE_URL;

  const child = spawn(process.execPath, [join(root, 'bin', 'tocsin.js'), 'serve'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Always drain the pipes (a full pipe would stall the server); keep a tail for error messages.
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const result = await Promise.race([exited, sleep(15_000).then(() => undefined)]);
      if (!result) {
        log(`tocsin pid ${child.pid} did not stop within 15 s of SIGTERM; sending SIGKILL`);
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (ownPg) await ownPg.stop();
  };
  const unregister = registerCleanup(stop);

  const url = await new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`tocsin not ready after ${readyTimeoutMs} ms:\n${tail}`)),
      readyTimeoutMs,
    );
    const onData = (chunk) => {
      buffered += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`tocsin exited before it was ready (code ${code}, signal ${signal}):\n${tail}`),
      );
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  log(`Tocsin (${store}) up at ${url}, pid ${child.pid}`);

  return {
    url,
    pid: child.pid,
    store,
    env: childEnv,
    admin,
    databaseUrl: dbUrl,
    /** Runs the CLI against the same store; returns stdout. */
    cli(args, { timeoutMs = 60_000 } = {}) {
      return execFileSync(process.execPath, [join(root, 'bin', 'tocsin.js'), ...args], {
        cwd: root,
        env: childEnv,
        encoding: 'utf8',
        timeout: timeoutMs,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
    rssMb: () => rssMb(child.pid),
    sampleRss: (intervalMs) => sampleRss(child.pid, intervalMs),
    output: () => tail,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * One autocannon run. Returns req/s (mean of the per-second samples), p50/p99 latency in ms
 * (autocannon records whole milliseconds, and only for 2xx responses), errors (socket errors and
 * timeouts), non-2xx responses and the request count. With `rssPid`, also the server's peak and
 * mean VmRSS during the run.
 */
export async function runLoad({
  url,
  connections = 50,
  durationSec = 10,
  headers = {},
  method = 'GET',
  body,
  rssPid,
  title,
}) {
  const sampler = rssPid ? sampleRss(rssPid) : undefined;
  const result = await autocannon({
    url,
    connections,
    duration: durationSec,
    headers,
    method,
    body,
    title,
    timeout: 10,
  });
  const rss = sampler?.stop();
  return {
    rps: round(result.requests.average, 1),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
    ...(rss ? { rss_peak_mb: rss.peak_mb, rss_mean_mb: rss.mean_mb } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Recording

const docHeader = `# Benchmarks

Measured numbers only: every section below was appended by a benchmark script in \`bench/\`
(\`npm run bench:api\`, \`npm run bench:engine\`) from one real run, never edited by hand. Each
section has the date and time of the run (UTC), the machine it ran on, a table of figures, and
notes on method and caveats. Newer sections are appended at the end; compare a figure only with
the same figure measured on the same kind of machine.

Each script also prints its figures as one JSON object on the last line of stdout, e.g.
\`{"bench":"api","sqlite_services_rps":…}\`, for tools that track results over time.
`;

/**
 * Appends a dated section (date, machine, figures table, notes) to docs/benchmarks.md, creating
 * the file with an explanatory header when missing, then prints `{"bench": name, ...figures}` as
 * the last line of stdout. With BENCH_NO_RECORD=1 it prints the table instead of appending it.
 */
export function record(name, figures, markdownTable, notes = []) {
  const noteLines = (Array.isArray(notes) ? notes : [notes]).filter(Boolean).map((n) => `- ${n}`);
  if (process.env.BENCH_NO_RECORD === '1') {
    // Trial runs: print the figures, leave docs/benchmarks.md alone.
    log(`not recorded (BENCH_NO_RECORD=1):\n${markdownTable}\n${noteLines.join('\n')}`);
    process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
    return;
  }
  if (!existsSync(benchmarksDoc)) {
    mkdirSync(dirname(benchmarksDoc), { recursive: true });
    writeFileSync(benchmarksDoc, docHeader);
  }
  const m = machineInfo();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const section = [
    '',
    `## ${name} — ${date}`,
    '',
    `Machine: ${machineLine(m)}.`,
    '',
    `Code: ${buildLine(measuredBuild ?? buildInfo())} (as found when the run started).`,
    '',
    `Load average (1 min) when the run started: ${round(loadAtStart, 2)} (other processes on the machine were not stopped).`,
    '',
    markdownTable,
    '',
    ...(noteLines.length ? ['Notes:', '', ...noteLines, ''] : []),
  ].join('\n');
  appendFileSync(benchmarksDoc, section);
  log(`appended "${name}" to ${benchmarksDoc}`);
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}
