/*
 * Latency summaries. Raw results are kept for a while (TOCSIN_CHECK_RAW_RETENTION_HOURS), then
 * only their rollups: per check and minute, then per hour. Percentiles cannot be averaged, so a
 * rollup carries a histogram of log-spaced buckets (each 10 % wider than the last: any
 * percentile read from it is within 5 % of the true value), and histograms add up exactly when
 * minutes become hours or a chart step spans many rollups. From raw results percentiles are
 * exact. Latencies are integer microseconds here; the API shows milliseconds.
 */

const growth = Math.log(1.1);

/** The histogram bucket of a latency in microseconds. */
export function bucketOf(us: number): number {
  return us < 1 ? 0 : Math.floor(Math.log(us) / growth) + 1;
}

/** A bucket's representative value (geometric middle of its bounds), microseconds. */
export function bucketValue(index: number): number {
  if (index <= 0) return 0;
  return Math.exp((index - 0.5) * growth);
}

/** Sparse histogram: bucket index → count. */
export type Histogram = Map<number, number>;

/** What a rollup row holds. */
export interface LatencySummary {
  count: number;
  failures: number;
  latencyCount: number;
  latencySumUs: number;
  latencyMinUs: number | null;
  latencyMaxUs: number | null;
  histogram: Histogram;
}

/** An empty summary. */
export function emptySummary(): LatencySummary {
  return {
    count: 0,
    failures: 0,
    latencyCount: 0,
    latencySumUs: 0,
    latencyMinUs: null,
    latencyMaxUs: null,
    histogram: new Map(),
  };
}

/** Adds one result. */
export function addResult(s: LatencySummary, ok: boolean, latencyUs: number | null): void {
  s.count++;
  if (!ok) s.failures++;
  if (latencyUs === null) return;
  s.latencyCount++;
  s.latencySumUs += latencyUs;
  s.latencyMinUs = s.latencyMinUs === null ? latencyUs : Math.min(s.latencyMinUs, latencyUs);
  s.latencyMaxUs = s.latencyMaxUs === null ? latencyUs : Math.max(s.latencyMaxUs, latencyUs);
  const b = bucketOf(latencyUs);
  s.histogram.set(b, (s.histogram.get(b) ?? 0) + 1);
}

/** Adds `b` into `a`. */
export function mergeSummary(a: LatencySummary, b: LatencySummary): void {
  a.count += b.count;
  a.failures += b.failures;
  a.latencyCount += b.latencyCount;
  a.latencySumUs += b.latencySumUs;
  if (b.latencyMinUs !== null)
    a.latencyMinUs =
      a.latencyMinUs === null ? b.latencyMinUs : Math.min(a.latencyMinUs, b.latencyMinUs);
  if (b.latencyMaxUs !== null)
    a.latencyMaxUs =
      a.latencyMaxUs === null ? b.latencyMaxUs : Math.max(a.latencyMaxUs, b.latencyMaxUs);
  for (const [k, v] of b.histogram) a.histogram.set(k, (a.histogram.get(k) ?? 0) + v);
}

/** Histogram as stored (JSON object). */
export function histogramToJson(h: Histogram): string {
  return JSON.stringify(Object.fromEntries([...h].sort((x, y) => x[0] - y[0])));
}

/** Stored histogram back to a map. */
export function histogramFromJson(text: string): Histogram {
  const o = JSON.parse(text) as Record<string, number>;
  return new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));
}

/** Nearest-rank percentile (p in 0..100) of a histogram, microseconds; null when empty. */
export function histogramPercentile(h: Histogram, p: number): number | null {
  let n = 0;
  for (const v of h.values()) n += v;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (const k of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(k)!;
    if (seen >= rank) return bucketValue(k);
  }
  return null;
}

/** Nearest-rank percentile of sorted values; null when empty. */
export function exactPercentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** One point of a latency chart. Milliseconds; null when the step holds no latency. */
export interface LatencyPoint {
  at: number;
  count: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
  avgMs: number | null;
}

const ms = (us: number | null) => (us === null ? null : Math.round(us) / 1000);

/** Step boundaries: points at from, from + step, … (only steps that hold data are returned). */
function stepOf(at: number, from: number, step: number): number {
  return from + Math.floor((at - from) / step) * step;
}

/** A chart from raw results: exact percentiles per step. */
export function seriesFromResults(
  results: Array<{ at: number; ok: boolean; latencyUs: number | null }>,
  from: number,
  step: number,
): LatencyPoint[] {
  const groups = new Map<number, { s: LatencySummary; values: number[] }>();
  for (const r of results) {
    const key = stepOf(r.at, from, step);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { s: emptySummary(), values: [] }));
    addResult(g.s, r.ok, r.latencyUs);
    if (r.latencyUs !== null) g.values.push(r.latencyUs);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([at, { s, values }]) => {
      values.sort((a, b) => a - b);
      return pointOf(at, s, exactPercentile(values, 50), exactPercentile(values, 95));
    });
}

/** A chart from rollups: percentiles from the summed histograms per step. */
export function seriesFromRollups(
  rollups: Array<{ bucketAt: number; summary: LatencySummary }>,
  from: number,
  step: number,
): LatencyPoint[] {
  const groups = new Map<number, LatencySummary>();
  for (const r of rollups) {
    const key = stepOf(r.bucketAt, from, step);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = emptySummary()));
    mergeSummary(g, r.summary);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([at, s]) =>
      pointOf(at, s, histogramPercentile(s.histogram, 50), histogramPercentile(s.histogram, 95)),
    );
}

function pointOf(
  at: number,
  s: LatencySummary,
  p50: number | null,
  p95: number | null,
): LatencyPoint {
  return {
    at,
    count: s.count,
    failures: s.failures,
    p50Ms: ms(p50),
    p95Ms: ms(p95),
    minMs: ms(s.latencyMinUs),
    maxMs: ms(s.latencyMaxUs),
    avgMs: s.latencyCount > 0 ? ms(s.latencySumUs / s.latencyCount) : null,
  };
}

/** Resolutions of the stored data, finest first. */
export type Resolution = 'raw' | '1m' | '1h';

/**
 * Which data answers a chart over [from, to): raw results while they are all still kept and
 * the range is short, then minute rollups, then hourly ones; and the step, so a chart has at
 * most `maxPoints` points (never finer than the data).
 */
export function chooseResolution(
  from: number,
  to: number,
  now: number,
  retention: { rawMs: number; minuteMs: number },
  maxPoints = 300,
): { resolution: Resolution; stepMs: number } {
  const span = Math.max(1, to - from);
  const nice = [60_000, 300_000, 900_000, 3_600_000, 4 * 3_600_000, 86_400_000, 7 * 86_400_000];
  const wanted = span / maxPoints;
  if (from >= now - retention.rawMs && span <= 6 * 3_600_000) {
    return { resolution: 'raw', stepMs: nice.find((s) => s >= wanted) ?? nice.at(-1)! };
  }
  if (from >= now - retention.minuteMs && span <= 7 * 86_400_000) {
    return { resolution: '1m', stepMs: nice.find((s) => s >= wanted) ?? nice.at(-1)! };
  }
  return {
    resolution: '1h',
    stepMs: nice.filter((s) => s >= 3_600_000).find((s) => s >= wanted) ?? nice.at(-1)!,
  };
}
