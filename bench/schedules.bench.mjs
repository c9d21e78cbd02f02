// `npm run bench:schedules`: CPU time to compute a year of a heavy schedule, the work behind
// `GET /api/schedules/:id/shifts` (and who is on call), in the compiled module
// (dist/server/domains/oncall/schedule.js). The schedule: 10 layers with hourly handoffs in
// Europe/London (two DST changes in the year), each with 20 disjoint daily restriction windows;
// 366 days. It runs on the event loop, so its time is time every other request and the engine
// wait. Knobs: BENCH_RUNS (5); BENCH_NO_RECORD=1 prints instead of appending to
// docs/benchmarks.md.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBuilt, log, mdTable, record, root, round, summarise } from './runner.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const day = 86_400_000;

const hhmm = (m) =>
  `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
// Twenty disjoint 30-minute windows a day: 01:00–01:30, 02:05–02:35 …
const restrictions = Array.from({ length: 20 }, (_, i) => ({
  kind: 'daily',
  start: hhmm(60 + i * 65),
  end: hhmm(60 + i * 65 + 30),
}));
const def = {
  timeZone: 'Europe/London',
  layers: Array.from({ length: 10 }, (_, i) => ({
    id: `l${i}`,
    name: `Layer ${i}`,
    position: i,
    participants: ['ada', 'bo', 'chen', 'dana', 'eve'],
    rotation: { kind: 'hourly', handoffTime: '00:00' },
    startDate: '2026-01-05',
    restrictions,
  })),
  overrides: [],
};

async function main() {
  ensureServerBuilt();
  const { finalShifts } = await import(
    pathToFileURL(join(root, 'dist', 'server', 'domains', 'oncall', 'schedule.js')).href
  );
  const from = Date.parse('2026-01-05T00:00:00Z');
  const to = from + 366 * day;
  const ms = [];
  let shifts = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    shifts = finalShifts(def, from, to).length;
    ms.push(performance.now() - t0);
    log(`run ${i + 1}: ${round(ms.at(-1), 1)} ms, ${shifts} final shifts`);
  }
  const f = summarise(ms, 1);
  const figures = { year_heavy_schedule_ms: f, final_shifts: shifts };
  const table = mdTable(
    ['case', 'runs', 'p50 ms', 'max ms', 'final shifts'],
    [['366 days, 10 hourly layers × 20 daily restrictions', f.n, f.p50, f.max, shifts]],
  );
  const notes = [
    'Peer comparison: none (PagerDuty, Grafana OnCall and GoAlert publish no figures for this).',
    'Method: `finalShifts` of the compiled module, called in this process; the first run includes warm-up.',
  ];
  if (process.env.BENCH_NO_RECORD) {
    process.stdout.write(`${table}\n${JSON.stringify({ bench: 'schedules', ...figures })}\n`);
  } else record('schedules', figures, table, notes);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:schedules failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
