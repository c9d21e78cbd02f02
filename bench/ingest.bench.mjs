// `npm run bench:ingest`: alert ingestion throughput and latency of a real `tocsin serve` process
// (SQLite and Postgres) through the PagerDuty Events API v2 endpoint `POST /v2/enqueue`, against
// Debian's Alertmanager ingesting the same alerts at its own `POST /api/v2/alerts`. Every request
// carries one new, unique alert. Load comes from wrk (a separate process, C, with a Lua script that
// makes each request body unique), 50 connections for 15 s over 127.0.0.1.
//
// Target (from the ingestion issue): Tocsin ≥ 1.0× Alertmanager's accepted events/s, p99 ≤ 100 ms.
// BENCH_NO_RECORD=1 prints the table instead of appending it to docs/benchmarks.md (trial runs).
import Database from 'better-sqlite3';
import pg from 'pg';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  cpuSeconds,
  ensureServerBuilt,
  freePort,
  log,
  machineInfo,
  mdTable,
  processTree,
  record,
  round,
  root,
  rssMb,
  sampleRss,
  sleep,
  startPostgres,
  startTocsin,
  treeDelta,
} from './runner.mjs';

const connections = 50;
const threads = 2;
const durationSec = 15;
const warmupSec = 3;
// Tocsin caps an integration key at 100 000 events a minute (createIntegrationSchema); the load is
// spread over this many keys (one service each) so the per-key limit cannot shape the result.
const keysPerRun = 3;
const rateLimitPerMinute = 100_000;
const targetRatio = 1.0;
const targetP99Ms = 100;
// The machine may be shared: each run first waits (bounded) for it to be nearly idle.
const quietBusyPct = 25;
const quietWaitSec = 180;
const fsyncDiagSec = 5;

// ---------------------------------------------------------------------------------------------
// Tools

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findBinary(names) {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(':').filter(Boolean)];
  for (const name of names)
    for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  return undefined;
}

const wrkBin = findBinary(['wrk']);
const alertmanagerBin = findBinary(['prometheus-alertmanager', 'alertmanager']);
const timeBin = executable('/usr/bin/time') ? '/usr/bin/time' : undefined;
const straceBin = findBinary(['strace']);

function versionOf(bin) {
  try {
    const out = execFileSync(bin, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n')[0].trim();
  } catch (err) {
    // wrk prints its version with a non-zero exit
    return (
      String(err.stdout ?? '')
        .split('\n')[0]
        .trim() || 'unknown'
    );
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc

/** CPU seconds of a set of processes, per pid (so processes that appear later count from 0). */
function cpuOf(pids) {
  return new Map(pids.map((pid) => [pid, cpuSeconds(pid) ?? 0]));
}

/** The machine's aggregate CPU counters (/proc/stat), in ticks. */
function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq + steal, idle, iowait };
}

function machineDelta(a, b) {
  const busy = b.busy - a.busy;
  const idle = b.idle - a.idle;
  const iowait = b.iowait - a.iowait;
  const total = busy + idle + iowait;
  return { busyPct: (100 * busy) / total, iowaitPct: (100 * iowait) / total };
}

/** On-CPU and run-queue nanoseconds of a process's main thread (/proc/PID/task/PID/schedstat). */
function mainThreadSched(pid) {
  try {
    const [cpuNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return { cpuNs, waitNs, at: process.hrtime.bigint() };
  } catch {
    return undefined;
  }
}

/** Shares of wall time the main thread spent on a CPU, runnable but waiting for one, and off CPU. */
function schedDelta(a, b) {
  if (!a || !b) return undefined;
  const wall = Number(b.at - a.at);
  const cpu = (100 * (b.cpuNs - a.cpuNs)) / wall;
  const runq = (100 * (b.waitNs - a.waitNs)) / wall;
  return {
    on_cpu_pct: round(cpu, 1),
    runqueue_pct: round(runq, 1),
    off_cpu_pct: round(Math.max(0, 100 - cpu - runq), 1),
  };
}

/** Machine-wide busy % over `ms`. */
async function busyOver(ms) {
  const a = machineCpu();
  await sleep(ms);
  return machineDelta(a, machineCpu()).busyPct;
}

/**
 * Waits until the machine is nearly idle (busy < quietBusyPct over 2 s), at most quietWaitSec;
 * returns the last busy % seen, which the report shows.
 */
async function awaitQuietMachine(label) {
  const deadline = Date.now() + quietWaitSec * 1000;
  let busy = await busyOver(2000);
  while (busy >= quietBusyPct && Date.now() < deadline) {
    log(`${label}: machine ${round(busy, 1)}% busy with other work; waiting for it to settle`);
    await sleep(3000);
    busy = await busyOver(2000);
  }
  if (busy >= quietBusyPct) log(`${label}: still ${round(busy, 1)}% busy; measuring anyway`);
  return busy;
}

// ---------------------------------------------------------------------------------------------
// Load: wrk with a Lua script; one unique alert per request

const luaScript = `
-- args: mode ("pd" | "am"), run id, severity, comma-separated routing keys (pd only)
local counter = 0
local threadCount = 0
local mode, run, severity
local keys = {}

function setup(thread)
  threadCount = threadCount + 1
  thread:set("tid", threadCount)
end

function init(args)
  mode, run, severity = args[1], args[2], args[3]
  for k in string.gmatch(args[4] or "", "[^,]+") do table.insert(keys, k) end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local body
  if mode == "pd" then
    local key = keys[(counter % #keys) + 1]
    body = '{"routing_key":"' .. key .. '","event_action":"trigger","dedup_key":"' .. id ..
      '","payload":{"summary":"Bench alert ' .. id .. '","source":"bench-host-' .. tid ..
      '","severity":"' .. severity .. '","custom_details":{"run":"' .. run .. '"}}}'
  else
    body = '[{"labels":{"alertname":"BenchAlert","instance":"' .. id .. '","severity":"' ..
      severity .. '"},"annotations":{"summary":"Bench alert ' .. id .. '"}}]'
  end
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
`;

const scratch = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-ingest-'));
const scriptPath = join(scratch, 'unique-alerts.lua');
writeFileSync(scriptPath, luaScript);

/** Runs wrk to completion; returns its figures (and its own CPU time when /usr/bin/time exists). */
function runWrk({ url, mode, runId, severity, keys = [], seconds }) {
  const wrkArgs = [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    scriptPath,
    url,
    '--',
    mode,
    runId,
    severity,
    keys.join(','),
  ];
  const [cmd, args] = timeBin
    ? [timeBin, ['-f', 'WRKCPU %U %S', wrkBin, ...wrkArgs]]
    : [wrkBin, wrkArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (err += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const m = /WRKJSON (\{.*\})/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`wrk failed (${code}):\n${out}\n${err}`));
      const r = JSON.parse(m[1]);
      const cpu = /WRKCPU ([\d.]+) ([\d.]+)/.exec(err);
      resolve({ ...r, wrk_cpu_s: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined });
    });
  });
}

/**
 * A warm-up, then the measured run with RSS sampling of `pid` and CPU accounting of `pid`, of
 * the processes `dbTree()` names (Postgres) and of the machine.
 */
async function measure({ label, url, mode, severity, keys, pid, dbTree }) {
  const backgroundBusy = await awaitQuietMachine(label);
  const base = `${label}-${randomBytes(3).toString('hex')}`;
  // Alert ids: `<base>-w-<thread>-<n>` in the warm-up, `<base>-m-<thread>-<n>` when measured.
  const runId = `${base}-m`;
  log(`${label}: warm-up ${warmupSec} s`);
  const warm = await runWrk({ url, mode, runId: `${base}-w`, severity, keys, seconds: warmupSec });
  log(`${label}: ${connections} connections, ${durationSec} s`);
  const dbBefore = dbTree ? cpuOf(dbTree()) : undefined;
  const serverBefore = cpuSeconds(pid);
  const machineBefore = machineCpu();
  const rss = sampleRss(pid);
  const schedBefore = mainThreadSched(pid);
  const r = await runWrk({ url, mode, runId, severity, keys, seconds: durationSec });
  const sched = schedDelta(schedBefore, mainThreadSched(pid));
  const rssStats = rss.stop();
  const machine = machineDelta(machineBefore, machineCpu());
  const seconds = r.duration_us / 1e6;
  const serverCpu = (cpuSeconds(pid) - serverBefore) / seconds;
  const dbCpu = dbTree ? treeDelta(dbBefore, cpuOf(dbTree())) / seconds : undefined;
  const accepted = r.requests - r.status;
  const result = {
    runId,
    warmAccepted: warm.requests - warm.status,
    eps: round(accepted / seconds, 1),
    accepted,
    requests: r.requests,
    p50_ms: round(r.p50_us / 1000, 2),
    p99_ms: round(r.p99_us / 1000, 2),
    max_ms: round(r.max_us / 1000, 1),
    non2xx: r.status,
    socketErrors: r.connect + r.read + r.write + r.timeout,
    rss_peak_mb: rssStats.peak_mb,
    server_cpu_cores: round(serverCpu, 2),
    db_cpu_cores: dbCpu === undefined ? undefined : round(dbCpu, 2),
    wrk_cpu_cores: r.wrk_cpu_s === undefined ? undefined : round(r.wrk_cpu_s / seconds, 2),
    machine_busy_pct: round(machine.busyPct, 1),
    machine_iowait_pct: round(machine.iowaitPct, 1),
    main_thread: sched,
    background_busy_pct: round(backgroundBusy, 1),
  };
  log(`${label}: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Diagnostic only, never part of the figures: a separate short load run with strace counting
 * fsync/fdatasync calls of `pids` and the wall time spent in them. strace stops the tracees on
 * every system call, so throughput during this run is lower; the per-event call count and the
 * duration of each call are what it is for.
 */
async function fsyncDiagnostic({ label, url, mode, severity, keys, pids, seconds = fsyncDiagSec }) {
  if (!straceBin || pids.length === 0) return undefined;
  const args = ['-c', '-w', '-f', '-e', 'trace=fsync,fdatasync'];
  for (const pid of pids) args.push('-p', String(pid));
  const tracer = spawn(straceBin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  tracer.stderr.on('data', (d) => (err += d.toString()));
  const exited = new Promise((resolve) => tracer.once('exit', resolve));
  await sleep(1000);
  if (tracer.exitCode !== null) {
    log(`${label}: strace unavailable: ${err.trim()}`);
    return undefined;
  }
  const runId = `${label}-${randomBytes(3).toString('hex')}-d`;
  let r;
  try {
    r = await runWrk({ url, mode, runId, severity, keys, seconds });
  } finally {
    tracer.kill('SIGINT');
    const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!done) tracer.kill('SIGKILL');
  }
  let calls = 0;
  let wallSeconds = 0;
  for (const line of err.split('\n')) {
    const m = /^\s*[\d.]+\s+([\d.]+)\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)\s*$/.exec(line);
    if (m) {
      wallSeconds += Number(m[1]);
      calls += Number(m[2]);
    }
  }
  const accepted = r.requests - r.status;
  const result = {
    eps_under_strace: round(accepted / (r.duration_us / 1e6), 1),
    fsync_calls: calls,
    fsync_per_event: accepted ? round(calls / accepted, 2) : undefined,
    fsync_mean_ms: calls ? round((1000 * wallSeconds) / calls, 2) : undefined,
  };
  log(`${label}: fsync diagnostic ${JSON.stringify(result)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Tocsin

async function countStored(tocsin, pgUrl, runId) {
  const like = `${runId}-%`;
  if (tocsin.store === 'sqlite') {
    const db = new Database(join(tocsin.env.TOCSIN_DATA_DIR, 'tocsin.db'), { fileMustExist: true });
    try {
      const alerts = db
        .prepare('SELECT count(*) AS n FROM alerts WHERE dedup_key LIKE ?')
        .get(like).n;
      const incidents = db.prepare('SELECT count(*) AS n FROM incidents').get().n;
      return { alerts, incidents };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const a = await client.query('SELECT count(*)::int AS n FROM alerts WHERE dedup_key LIKE $1', [
      like,
    ]);
    const i = await client.query('SELECT count(*)::int AS n FROM incidents');
    return { alerts: a.rows[0].n, incidents: i.rows[0].n };
  } finally {
    await client.end();
  }
}

/** A fresh Tocsin (and, for Postgres, a fresh fsync=on cluster), measured at one severity. */
async function benchTocsin(store, severity) {
  const pgServer = store === 'postgres' ? await startPostgres() : undefined;
  const tocsin = await startTocsin({ store, databaseUrl: pgServer?.url });
  try {
    const keys = [];
    for (let i = 1; i <= keysPerRun; i++) {
      const name = `Bench ingest ${i}`;
      tocsin.cli(['service', 'create', '--team', 'Platform', '--name', name, '--json']);
      const created = JSON.parse(
        tocsin.cli([
          'integration',
          'create',
          '--service',
          name,
          '--type',
          'pagerduty-v2',
          '--rate-limit',
          String(rateLimitPerMinute),
          '--json',
        ]),
      );
      keys.push(created.key);
    }
    const url = `${tocsin.url}/v2/enqueue`;
    // One event by hand first: a benchmark of 400s would be worthless.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        routing_key: keys[0],
        event_action: 'trigger',
        dedup_key: 'bench-check',
        payload: { summary: 'bench check', source: 'bench', severity },
      }),
    });
    const body = await res.text();
    if (res.status !== 202) throw new Error(`POST /v2/enqueue → ${res.status}: ${body}`);
    const rssIdle = tocsin.rssMb();
    const dbTree = pgServer ? () => processTree(pgServer.dir) : undefined;
    const label = `tocsin-${store}-${severity}`;
    const m = await measure({ label, url, mode: 'pd', severity, keys, pid: tocsin.pid, dbTree });
    await sleep(500);
    const stored = await countStored(tocsin, pgServer?.url, m.runId);
    log(`${label}: stored ${JSON.stringify(stored)}`);
    const fsync = await fsyncDiagnostic({
      label,
      url,
      mode: 'pd',
      severity,
      keys,
      pids: dbTree ? dbTree() : [tocsin.pid],
    });
    return { ...m, rss_idle_mb: round(rssIdle, 1), stored, fsync, pgVersion: pgServer?.version };
  } finally {
    await tocsin.stop();
    if (pgServer) await pgServer.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Alertmanager

async function startAlertmanager() {
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-am-'));
  // A receiver without integrations: alerts are stored and grouped in memory, never sent.
  // Alertmanager's default group timings (first flush 30 s after the group appears, after the
  // measured run ends).
  const config = {
    global: { resolve_timeout: '5m' },
    route: { receiver: 'blackhole', group_by: ['alertname'] },
    receivers: [{ name: 'blackhole' }],
  };
  writeFileSync(join(dir, 'alertmanager.yml'), JSON.stringify(config));
  const port = await freePort();
  const child = spawn(
    alertmanagerBin,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let tail = '';
  const keep = (d) => (tail = (tail + d.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Ctrl-C ends the benchmark through process.exit: take Alertmanager along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited:\n${tail}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager not ready:\n${tail}`);
    }
    await sleep(100);
  }
  log(`Alertmanager up at ${url}, pid ${child.pid}`);
  return { url, pid: child.pid, stop, output: () => tail };
}

/** A metric's value from Alertmanager's /metrics (sum over the label sets matching `filter`). */
async function amMetric(url, name, filter = '') {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name) && line.includes(filter)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

async function benchAlertmanager(severity) {
  const am = await startAlertmanager();
  try {
    const url = `${am.url}/api/v2/alerts`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'BenchCheck', severity } }]),
    });
    if (res.status !== 200) throw new Error(`POST /api/v2/alerts → ${res.status}`);
    await sleep(300);
    const rssIdle = rssMb(am.pid);
    const m = await measure({
      label: `alertmanager-${severity}`,
      url,
      mode: 'am',
      severity,
      pid: am.pid,
    });
    // Alerts not yet through a flush are "unprocessed", so count every state.
    const active = await amMetric(am.url, 'alertmanager_alerts{');
    const received = await amMetric(am.url, 'alertmanager_alerts_received_total');
    log(`alertmanager: active ${active}, received ${received}`);
    return { ...m, rss_idle_mb: round(rssIdle, 1), stored: { alerts: active, received } };
  } finally {
    await am.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The ceiling: Fastify alone

/**
 * A bare Fastify 5 server (no plugins, no hooks, no store) whose `POST /v2/enqueue` parses the
 * JSON body and answers PagerDuty's 202, under the same load: what one Node thread on this
 * machine serves before any of Tocsin's work.
 */
async function benchBareFastify() {
  const port = await freePort();
  const script = `
    import Fastify from 'fastify';
    const app = Fastify({ logger: false });
    app.post('/v2/enqueue', async (request, reply) => {
      reply.code(202);
      return { status: 'success', message: 'Event processed', dedup_key: request.body.dedup_key };
    });
    await app.listen({ port: ${port}, host: '127.0.0.1' });
    console.log('ready');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`bare Fastify exited (${code})`)));
    });
    const m = await measure({
      label: 'fastify-bare',
      url: `http://127.0.0.1:${port}/v2/enqueue`,
      mode: 'pd',
      severity: 'warning',
      keys: ['no-key'],
      pid: child.pid,
    });
    return { ...m, stored: undefined };
  } finally {
    child.kill('SIGTERM');
    process.off('exit', killOnExit);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!wrkBin) throw new Error('wrk not found (apt-get install wrk)');
  if (!alertmanagerBin)
    throw new Error('Alertmanager not found (apt-get install prometheus-alertmanager)');
  ensureServerBuilt();
  const machine = machineInfo();
  log(`machine: ${JSON.stringify(machine)}`);
  const amVersion = /version ([\w.+~-]+)/.exec(versionOf(alertmanagerBin))?.[1] ?? 'unknown';
  const wrkVersion = /wrk (?:debian\/)?([\w.+~-]+)/.exec(versionOf(wrkBin))?.[1] ?? 'unknown';

  const runs = {};
  runs.sqlite = await benchTocsin('sqlite', 'warning');
  runs.postgres = await benchTocsin('postgres', 'warning');
  runs.alertmanager = await benchAlertmanager('warning');
  runs.sqlite_critical = await benchTocsin('sqlite', 'critical');
  runs.postgres_critical = await benchTocsin('postgres', 'critical');
  runs.fastify_bare = await benchBareFastify();

  const am = runs.alertmanager;
  const cores = machine.cores;
  const otherCores = (r) =>
    round(
      Math.max(
        0,
        (r.machine_busy_pct / 100) * cores -
          r.server_cpu_cores -
          (r.db_cpu_cores ?? 0) -
          (r.wrk_cpu_cores ?? 0),
      ),
      2,
    );
  const labels = {
    sqlite: ['Tocsin, SQLite', '`POST /v2/enqueue`', 'warning'],
    postgres: ['Tocsin, Postgres', '`POST /v2/enqueue`', 'warning'],
    alertmanager: [`Alertmanager ${amVersion}`, '`POST /api/v2/alerts`', 'warning'],
    sqlite_critical: ['Tocsin, SQLite', '`POST /v2/enqueue`', 'critical'],
    postgres_critical: ['Tocsin, Postgres', '`POST /v2/enqueue`', 'critical'],
    fastify_bare: ['Fastify 5 alone (ceiling)', '`POST /v2/enqueue`, no store', 'warning'],
  };
  const figures = {};
  const rows = [];
  for (const [name, r] of Object.entries(runs)) {
    const isAm = name === 'alertmanager';
    const ratio = round(r.eps / am.eps, 3);
    figures[`${name}_eps`] = r.eps;
    figures[`${name}_p50_ms`] = r.p50_ms;
    figures[`${name}_p99_ms`] = r.p99_ms;
    figures[`${name}_non2xx`] = r.non2xx;
    figures[`${name}_socket_errors`] = r.socketErrors;
    figures[`${name}_rss_mb`] = r.rss_peak_mb;
    figures[`${name}_server_cpu_cores`] = r.server_cpu_cores;
    if (!isAm) figures[`${name}_ratio`] = ratio;
    const t = r.main_thread;
    rows.push([
      ...labels[name],
      r.eps,
      isAm ? '1 (reference)' : ratio,
      r.p50_ms,
      r.p99_ms,
      r.max_ms,
      r.non2xx,
      r.socketErrors,
      r.rss_peak_mb,
      [r.server_cpu_cores, r.db_cpu_cores ?? '–', r.wrk_cpu_cores ?? '?', otherCores(r)].join(
        ' / ',
      ),
      isAm || !t ? '–' : `${t.on_cpu_pct} / ${t.runqueue_pct} / ${t.off_cpu_pct}`,
      r.background_busy_pct,
      !r.stored
        ? '–'
        : isAm
          ? `${r.stored.alerts} held`
          : `${r.stored.alerts}${name.endsWith('critical') ? ` (${r.stored.incidents} incidents)` : ''}`,
    ]);
  }
  const meets = (r) => r.eps >= targetRatio * am.eps && r.p99_ms <= targetP99Ms;
  figures.target_met_sqlite = meets(runs.sqlite);
  figures.target_met_postgres = meets(runs.postgres);

  const table = mdTable(
    [
      'target',
      'request',
      'severity',
      'accepted events/s',
      '× Alertmanager',
      'p50 ms',
      'p99 ms',
      'max ms',
      'non-2xx',
      'socket errors',
      'peak RSS MiB',
      'CPU cores: server / Postgres / wrk / other processes',
      'Tocsin main thread % on CPU / waiting for a CPU / off CPU',
      'machine busy % just before',
      'stored after the run',
    ],
    rows,
  );

  const verdict = (name, r) =>
    `Target (≥ ${targetRatio}× Alertmanager's accepted events/s and p99 ≤ ${targetP99Ms} ms), ` +
    `Tocsin on ${name}: ${meets(r) ? '**met**' : '**NOT met**'}: ${r.eps} events/s = ` +
    `${round(r.eps / am.eps, 3)}× Alertmanager's ${am.eps} ` +
    `(${r.eps >= am.eps ? 'at or above' : `${round(am.eps / r.eps, 1)} times fewer`}); ` +
    `p99 ${r.p99_ms} ms (${r.p99_ms <= targetP99Ms ? 'within' : 'over'} the ${targetP99Ms} ms target).`;
  const fsyncText = (r, where) => {
    if (!r.fsync) return 'no strace diagnostic (strace not installed)';
    const f = r.fsync;
    const share =
      f.fsync_per_event && f.fsync_mean_ms
        ? round((r.eps * f.fsync_per_event * f.fsync_mean_ms) / 10, 1)
        : undefined;
    return (
      `${f.fsync_per_event} fsync/fdatasync calls per event ${where}, ${f.fsync_mean_ms} ms each on average` +
      (share === undefined
        ? ''
        : ` (≈ ${share}% of one thread's time at the measured rate: events/s × calls × mean duration)`)
    );
  };
  const thread = (r) =>
    r.main_thread
      ? `its main (JavaScript) thread was on a CPU ${r.main_thread.on_cpu_pct}% of the run, runnable but waiting for a CPU ${r.main_thread.runqueue_pct}%, off CPU ${r.main_thread.off_cpu_pct}%`
      : 'main-thread figures unavailable';
  const notes = [
    verdict('SQLite', runs.sqlite),
    verdict('Postgres', runs.postgres),
    `With severity critical (every alert routed to page; PagerDuty events carry no \`alertname\` label, so each groups by its own dedup key and opens its own incident: an incident and its timeline entries more per event, written a few multi-row statements per group): SQLite ${runs.sqlite_critical.eps} events/s, p99 ${runs.sqlite_critical.p99_ms} ms; Postgres ${runs.postgres_critical.eps} events/s, p99 ${runs.postgres_critical.p99_ms} ms.`,
    `Where the time goes, SQLite (warning): the Tocsin process used ${runs.sqlite.server_cpu_cores} cores; ${thread(runs.sqlite)}; ${fsyncText(runs.sqlite, 'in the Tocsin process (the driver fsyncs the WAL at each commit on the libuv thread pool, off the main thread)')}. A main thread near 100% on CPU (on CPU + waiting for one) means the request path's JavaScript and SQLite calls, not the disk, set the ceiling; time off CPU while 50 requests are queued is the main thread waiting, mostly for a commit's fsync on the thread pool.`,
    `Where the time goes, Postgres (warning): Tocsin ${runs.postgres.server_cpu_cores} cores, the Postgres processes ${runs.postgres.db_cpu_cores} cores; ${thread(runs.postgres)}; ${fsyncText(runs.postgres, 'in the Postgres processes (WAL flushes at commit)')}.`,
    `Alertmanager used ${am.server_cpu_cores} cores for ${am.eps} events/s; it keeps alerts in memory only and answers before any notification work.`,
    `Noise: the machine is shared. "other processes" is machine-wide busy CPU (/proc/stat) minus the server, Postgres and wrk during the measured run; "machine busy % just before" was sampled over 2 s before each warm-up (each run waits up to ${quietWaitSec} s for it to fall under ${quietBusyPct}%). A main thread "waiting for a CPU" share above a few percent means the figures of that row are lower than an idle machine would give.`,
    `Method: each target starts fresh (Tocsin: \`node bin/tocsin.js serve\` from dist/ with a new temp data dir, demo organisation seeded, default log level, request logging off; Postgres: a new throwaway cluster per run). Load: wrk ${wrkVersion} as a separate process over 127.0.0.1, ${threads} threads, ${connections} connections, ${warmupSec} s warm-up then ${durationSec} s measured, every request one new alert (a Lua script numbers them per thread). Server, database and load generator share the machine's ${cores} cores; nothing is pinned. CPU: utime+stime from /proc/PID/stat over the measured run (Postgres: all processes of the cluster); main thread: /proc/PID/task/PID/schedstat.`,
    `Tocsin requests: PagerDuty Events v2 \`trigger\` with a unique \`dedup_key\`; warning routes to "record" (an alert row, no incident). The load rotates over ${keysPerRun} pagerduty-v2 integration keys on ${keysPerRun} services, each \`--rate-limit ${rateLimitPerMinute}\` per minute: the issue asked for \`--rate-limit 10000000\`, but createIntegrationSchema caps the limit at 100 000 a minute per key, so the keys are multiplied instead; a 429 would show as non-2xx. A 202 means the alert was committed: concurrent requests share one transaction (group commit, at most 64 requests; two groups at once on Postgres), and each is answered after the commit that holds it. The last row is the ceiling: a bare Fastify 5 server (no plugins, hooks or store) in its own process whose route parses the JSON body and answers 202, under the same load; what one Node thread serves here before any of Tocsin's work.`,
    `Alertmanager requests: \`POST /api/v2/alerts\` with one alert whose \`instance\` label is unique; Alertmanager keeps alerts in memory (nothing persisted per alert), grouped by alertname for a receiver without integrations, with default group timings, so its first flush comes after the measured run. It answers 200 once the alert is in its in-memory store.`,
    'accepted events/s = 2xx responses ÷ measured seconds (wrk counts status ≥ 400 as non-2xx); latencies are wrk’s (microsecond histogram over all responses, not corrected for coordinated omission). "stored after the run" counts the measured run’s alerts in Tocsin’s store (in-flight requests when wrk stopped can add up to 50), and every alert Alertmanager holds (`alertmanager_alerts`, all states: warm-up and check alert included).',
    `The fsync figures come from a separate ${fsyncDiagSec} s load run after each measured one, with \`strace -c -w -f -e trace=fsync,fdatasync\` attached (strace slows the traced process; only the per-event call count and call durations are used, never its throughput).`,
    `RSS is VmRSS of the server process sampled every 250 ms during the measured run (peak shown); idle after start-up: Tocsin SQLite ${runs.sqlite.rss_idle_mb} MiB, Postgres ${runs.postgres.rss_idle_mb} MiB, Alertmanager ${am.rss_idle_mb} MiB.`,
    `SQLite: WAL, an fsync of the WAL per commit (synchronous=NORMAL plus the driver's fsync on libuv's thread pool: FULL's durability) on ${machine.tmp_fs}. Postgres: ${runs.postgres.pgVersion}, fsync=on, TCP on 127.0.0.1, Tocsin's pool of 10 connections.`,
  ];
  record('ingest', figures, table, notes);
}

main()
  .catch((err) => {
    process.stderr.write(
      `bench:ingest failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
