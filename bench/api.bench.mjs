// `npm run bench:api`: HTTP throughput and latency of a real `tocsin serve` process, on SQLite and
// on Postgres: `GET /api/services` with a team API key (50 connections, 10 s) and `GET /healthz`
// (50 connections, 5 s), plus the server's resident memory during the load.
import {
  ensureServerBuilt,
  log,
  machineInfo,
  mdTable,
  record,
  runLoad,
  startPostgres,
  startTocsin,
} from './runner.mjs';

const connections = 50;
const servicesSec = 10;
const healthzSec = 5;
const warmupSec = 2;

async function benchStore(store, databaseUrl) {
  const tocsin = await startTocsin({ store, databaseUrl });
  try {
    const created = JSON.parse(
      tocsin.cli(['apikey', 'create', '--team', 'Platform', '--role', 'viewer', '--json']),
    );
    const headers = { authorization: `Bearer ${created.key}` };
    const servicesUrl = `${tocsin.url}/api/services`;

    // One request by hand first: a benchmark of 401s would be worthless.
    const res = await fetch(servicesUrl, { headers });
    if (res.status !== 200)
      throw new Error(`GET /api/services → ${res.status}: ${await res.text()}`);
    const items = (await res.json()).items.length;
    const rssIdle = tocsin.rssMb();

    log(`${store}: warm-up ${warmupSec} s`);
    await runLoad({ url: servicesUrl, connections, durationSec: warmupSec, headers });
    log(`${store}: GET /api/services, ${connections} connections, ${servicesSec} s`);
    const services = await runLoad({
      url: servicesUrl,
      connections,
      durationSec: servicesSec,
      headers,
      rssPid: tocsin.pid,
    });
    log(`${store}: ${JSON.stringify(services)}`);
    log(`${store}: GET /healthz, ${connections} connections, ${healthzSec} s`);
    const healthz = await runLoad({
      url: `${tocsin.url}/healthz`,
      connections,
      durationSec: healthzSec,
      rssPid: tocsin.pid,
    });
    log(`${store}: ${JSON.stringify(healthz)}`);
    return { items, rssIdle, services, healthz };
  } finally {
    await tocsin.stop();
  }
}

async function main() {
  ensureServerBuilt();
  const machine = machineInfo();
  log(`machine: ${JSON.stringify(machine)}`);

  const sqlite = await benchStore('sqlite');
  const pg = await startPostgres();
  const pgVersion = pg.version;
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
    for (const [endpoint, m] of [
      ['services', r.services],
      ['healthz', r.healthz],
    ]) {
      figures[`${store}_${endpoint}_rps`] = m.rps;
      figures[`${store}_${endpoint}_p50_ms`] = m.p50_ms;
      figures[`${store}_${endpoint}_p99_ms`] = m.p99_ms;
      figures[`${store}_${endpoint}_errors`] = m.errors + m.timeouts;
      figures[`${store}_${endpoint}_non2xx`] = m.non2xx;
      rows.push([
        store,
        endpoint === 'services' ? '`GET /api/services` (API key)' : '`GET /healthz`',
        `${connections} × ${endpoint === 'services' ? servicesSec : healthzSec} s`,
        m.rps,
        m.p50_ms,
        m.p99_ms,
        m.max_ms,
        m.errors + m.timeouts,
        m.non2xx,
        m.rss_peak_mb,
      ]);
    }
    figures[`rss_mb_${store}`] = Math.max(r.services.rss_peak_mb, r.healthz.rss_peak_mb);
    figures[`rss_idle_mb_${store}`] = Math.round(r.rssIdle * 10) / 10;
  }

  const table = mdTable(
    [
      'store',
      'request',
      'connections × duration',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'non-2xx',
      'peak RSS MiB',
    ],
    rows,
  );
  const notes = [
    'Peer comparison: none. No peer tool is named for this benchmark, so these are absolute figures for Tocsin alone, to compare with later runs of this same script.',
    `Method: \`node bin/tocsin.js serve\` from dist/ with a fresh temp data dir (demo organisation seeded, default log level), load from autocannon ${machine.autocannon} over 127.0.0.1, run inside the benchmark process; the server and the load generator share the machine's ${machine.cores} cores. A ${warmupSec} s warm-up on \`/api/services\` precedes the measured runs.`,
    `\`/api/services\` returns the seeded demo services (${sqlite.items} items on SQLite, ${postgres.items} on Postgres), authenticated with a viewer API key of team Platform created with \`tocsin apikey create\`.`,
    'req/s is the mean of autocannon’s per-second samples; latencies are autocannon’s (whole milliseconds, 2xx responses only). errors counts socket errors and timeouts.',
    `RSS is VmRSS of the server process from /proc, sampled every 250 ms during each run (peak shown); idle after start-up: ${figures.rss_idle_mb_sqlite} MiB on SQLite, ${figures.rss_idle_mb_postgres} MiB on Postgres.`,
    `SQLite: WAL, an fsync of the WAL per commit (synchronous=NORMAL plus the driver's fsync on libuv's thread pool), file in a temp dir (${machine.tmp_fs}). Postgres: throwaway cluster (${pgVersion}) in a temp dir on the same disk, fsync=on, TCP on 127.0.0.1, default settings otherwise; Tocsin's pool of 10 connections.`,
  ];
  record('api', figures, table, notes);
}

main().catch((err) => {
  process.stderr.write(
    `bench:api failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
