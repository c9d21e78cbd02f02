// `npm run bench:statuspage`: requests/s and latency of a public status page as everyone hits it
// during an outage. A real `tocsin serve` process (SQLite) with one page (8 components in two
// groups, an open public incident, a scheduled maintenance); wrk (Debian's `wrk`, a separate
// process; autocannon in this process when wrk is absent) with 50 connections for 15 s against
// the HTML page and `/api/v2/summary.json`, first alone and then while a second load posts
// PagerDuty events to the ingest endpoint.
//
// Target (status page issue): ≥ 20,000 req/s alone, p99 ≤ 20 ms. Last line of stdout: the JSON
// figures object.
import { execFileSync, spawn } from 'node:child_process';
import { ensureServerBuilt, log, mdTable, record, round, runLoad, startTocsin } from './runner.mjs';

const connections = 50;
const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 15);
const warmupSec = 3;
// One wrk thread drives 50 connections at well over the target; on a 2-core machine the second
// core is left to the server rather than to a second load thread.
const wrkThreads = Number(process.env.BENCH_WRK_THREADS ?? 1);

function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version; ENOENT means it is absent.
    return err?.code !== 'ENOENT';
  }
}

/** wrk's latency figures are printed with a unit: 850.00us, 1.23ms, 1.01s. */
function toMs(value) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** One wrk run (`wrkThreads` threads, `connections`, `seconds`), parsed. */
function runWrk(url, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'wrk',
      [
        `-t${wrkThreads}`,
        `-c${connections}`,
        `-d${seconds}s`,
        '--latency',
        '--timeout',
        '10s',
        url,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}:\n${out}`));
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
      const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
      const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const errorsLine =
        /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const errors = errorsLine ? errorsLine.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
      resolve({
        rps: round(rps, 1),
        p50_ms: round(p50, 3),
        p99_ms: round(p99, 3),
        requests,
        non2xx,
        errors,
      });
    });
  });
}

async function load(url, seconds, useWrk) {
  if (useWrk) return runWrk(url, seconds);
  const r = await runLoad({ url, connections, durationSec: seconds });
  return {
    rps: r.rps,
    p50_ms: r.p50_ms,
    p99_ms: r.p99_ms,
    requests: r.requests,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function api(tocsin, session, method, path, body) {
  const res = await fetch(`${tocsin.url}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

async function seed(tocsin) {
  const login = await fetch(`${tocsin.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tocsin.admin),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('tocsin_session='));
  const session = { cookie: cookie.split(';')[0], csrf: (await login.json()).csrfToken };
  const team = await api(tocsin, session, 'POST', '/api/teams', {
    name: 'Status bench',
    description: '',
  });
  const service = await api(tocsin, session, 'POST', '/api/services', {
    teamId: team.id,
    name: 'Bench API',
    description: '',
  });
  const page = await api(tocsin, session, 'POST', '/api/status-pages', {
    teamId: team.id,
    slug: 'bench',
    name: 'Bench Corp',
    description: 'The status of everything Bench Corp runs.',
  });
  const ids = [];
  for (let i = 0; i < 8; i++) {
    const c = await api(tocsin, session, 'POST', `/api/status-pages/${page.id}/components`, {
      name: `Component ${i + 1}`,
      group: i < 4 ? 'Core' : 'Edge',
      serviceIds: i === 0 ? [service.id] : [],
    });
    ids.push(c.id);
  }
  await api(tocsin, session, 'POST', `/api/status-pages/${page.id}/incidents`, {
    title: 'Elevated error rates',
    body: 'We are investigating elevated error rates on the API.',
    impact: 'major',
    componentIds: ids.slice(0, 2),
  });
  const start = new Date(Date.now() + 86_400_000);
  await api(tocsin, session, 'POST', `/api/status-pages/${page.id}/maintenances`, {
    title: 'Database upgrade',
    body: 'Planned database upgrade.',
    componentIds: ids.slice(2, 3),
    scheduledFor: start.toISOString(),
    scheduledUntil: new Date(start.getTime() + 3_600_000).toISOString(),
  });
  const integration = JSON.parse(
    tocsin.cli([
      'integration',
      'create',
      '--service',
      'Bench API',
      '--type',
      'pagerduty-v2',
      '--rate-limit',
      '100000',
      '--json',
    ]),
  );
  return { integrationKey: integration.key };
}

/** A background ingest load (autocannon in a child process) until `stop()`. */
function startIngestLoad(url, key) {
  const script = `
    import autocannon from 'autocannon';
    const body = (i) => JSON.stringify({ routing_key: ${JSON.stringify(key)}, event_action: 'trigger', dedup_key: 'bench-' + (i % 500), payload: { summary: 'bench event', source: 'bench', severity: 'warning' } });
    let i = 0;
    const inst = autocannon({ url: ${JSON.stringify(`${url}/v2/enqueue`)}, connections: 10, duration: 3600, method: 'POST', headers: { 'content-type': 'application/json' }, requests: [{ setupRequest: (r) => ({ ...r, body: body(i++) }) }] });
    process.on('SIGTERM', () => { inst.stop(); });
    inst.on('done', (r) => { process.stdout.write(JSON.stringify({ rps: r.requests.average, non2xx: r.non2xx, p99: r.latency.p99 })); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return {
    async stop() {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
      try {
        return JSON.parse(out);
      } catch {
        return { error: out.slice(-500) };
      }
    },
  };
}

async function main() {
  ensureServerBuilt();
  const useWrk = hasWrk();
  log(`load generator: ${useWrk ? 'wrk' : 'autocannon (wrk not installed)'}`);
  const tocsin = await startTocsin({ store: 'sqlite' });
  try {
    const { integrationKey } = await seed(tocsin);
    const pageUrl = `${tocsin.url}/status/bench`;
    const summaryUrl = `${pageUrl}/api/v2/summary.json`;
    for (const u of [pageUrl, summaryUrl]) {
      const res = await fetch(u);
      if (res.status !== 200) throw new Error(`GET ${u} → ${res.status}`);
    }
    log(`warm-up ${warmupSec} s`);
    await load(pageUrl, warmupSec, useWrk);
    const results = {};
    for (const [name, url] of [
      ['page', pageUrl],
      ['summary', summaryUrl],
    ]) {
      log(`${name}: ${connections} connections, ${durationSec} s`);
      results[name] = await load(url, durationSec, useWrk);
      log(`${name}: ${JSON.stringify(results[name])}`);
    }
    if (integrationKey) {
      for (const [name, url] of [
        ['page_during_ingest', pageUrl],
        ['summary_during_ingest', summaryUrl],
      ]) {
        const ingest = startIngestLoad(tocsin.url, integrationKey);
        await new Promise((r) => setTimeout(r, 1000));
        log(`${name}: ${connections} connections, ${durationSec} s, with ingest load`);
        results[name] = await load(url, durationSec, useWrk);
        results[name].ingest = await ingest.stop();
        log(`${name}: ${JSON.stringify(results[name])}`);
      }
    }
    const target = { rps: 20_000, p99_ms: 20 };
    const meets = (r) => r.rps >= target.rps && r.p99_ms <= target.p99_ms;
    const figures = {
      tool: useWrk ? 'wrk' : 'autocannon',
      connections,
      duration_s: durationSec,
      target,
      ...results,
      meets_target: meets(results.page) && meets(results.summary),
    };
    const rows = Object.entries(results).map(([name, r]) => [
      name,
      r.rps,
      r.p50_ms,
      r.p99_ms,
      r.non2xx,
      r.errors,
      r.ingest ? round(r.ingest.rps ?? NaN, 1) : '',
    ]);
    record(
      'statuspage',
      figures,
      mdTable(['load', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'ingest req/s'], rows),
      [
        `${useWrk ? `wrk -t${wrkThreads}` : 'autocannon'} -c${connections} for ${durationSec} s per row, SQLite store; page: 8 components in 2 groups, an open incident, a scheduled maintenance.`,
        'The "during ingest" rows run 10 connections of PagerDuty events against the same server meanwhile (autocannon in another process).',
        `Target: ≥ ${target.rps} req/s and p99 ≤ ${target.p99_ms} ms alone; met: ${figures.meets_target}.`,
      ],
    );
  } finally {
    await tocsin.stop();
  }
}

main().catch((err) => {
  process.stderr.write(
    `bench:statuspage failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
