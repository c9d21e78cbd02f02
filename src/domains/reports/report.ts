/*
 * Pure report arithmetic: buckets, means and medians, the union of downtime intervals, what
 * an availability percentage means in minutes, off-hours and sleep-hour classification in a
 * time zone, trend direction, and CSV. No I/O: the service feeds rows in.
 */

const DAY = 86_400_000;
export const reportBuckets = ['day', 'week'] as const;
export type ReportBucket = (typeof reportBuckets)[number];

/** The start of the UTC day or ISO week (Monday) holding `t`. */
export function bucketStart(t: number, bucket: ReportBucket): number {
  const day = Math.floor(t / DAY) * DAY;
  if (bucket === 'day') return day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return day - weekday * DAY;
}

/** Every bucket start from `from` to `to` (so empty buckets show as zero). */
export function bucketsBetween(from: number, to: number, bucket: ReportBucket): number[] {
  const out: number[] = [];
  const step = bucket === 'day' ? DAY : 7 * DAY;
  for (let b = bucketStart(from, bucket); b < to && out.length < 1000; b += step) out.push(b);
  return out;
}

export function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Total length of the union of intervals, clipped to [from, to). */
export function unionLength(
  intervals: ReadonlyArray<[number, number]>,
  from: number,
  to: number,
): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const iv of clipped) {
    if (!cur || iv[0] > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [...iv];
    } else cur[1] = Math.max(cur[1], iv[1]);
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

/**
 * Availability over a window: percentage up and the downtime minutes it means per year; null
 * (no data) for an empty window, a service that did not exist yet.
 */
export function availability(
  downMs: number,
  windowMs: number,
): {
  availabilityPct: number | null;
  downtimeMinutes: number;
  yearlyDowntimeMinutes: number | null;
} {
  if (windowMs <= 0)
    return { availabilityPct: null, downtimeMinutes: 0, yearlyDowntimeMinutes: null };
  const pct = Math.max(0, 100 * (1 - downMs / windowMs));
  return {
    availabilityPct: Math.round(pct * 1000) / 1000,
    downtimeMinutes: Math.round((downMs / 60_000) * 10) / 10,
    yearlyDowntimeMinutes: downtimeMinutesPerYear(pct),
  };
}

/** The downtime a percentage allows in a year: 99.998 % ≈ 10.5 minutes. */
export function downtimeMinutesPerYear(pct: number): number {
  return Math.round((1 - pct / 100) * 365 * 24 * 60 * 10) / 10;
}

/** Local weekday (0 = Monday) and hour of `t` in the time zone. */
export function localTime(t: number, timeZone: string): { weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(t));
  const wd = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  return { weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(wd), hour };
}

/**
 * When a page landed for the person: `sleep` (22:00–07:00), `off` (other hours outside
 * Monday–Friday 09:00–18:00), or `work`. Sleep hours are off-hours too.
 */
export function pageHours(t: number, timeZone: string): 'work' | 'off' | 'sleep' {
  const { weekday, hour } = localTime(t, timeZone);
  if (hour >= 22 || hour < 7) return 'sleep';
  if (weekday >= 5 || hour < 9 || hour >= 18) return 'off';
  return 'work';
}

/** Rising, falling or flat: the least-squares slope against the mean per bucket (±10 %). */
export function trendOf(series: readonly number[]): 'rising' | 'falling' | 'flat' {
  const n = series.length;
  const m = mean(series);
  if (n < 2 || m === null || m === 0) return 'flat';
  const xm = (n - 1) / 2;
  let num = 0;
  let den = 0;
  series.forEach((y, x) => {
    num += (x - xm) * (y - m);
    den += (x - xm) ** 2;
  });
  const slope = num / den;
  if (slope > 0.1 * m) return 'rising';
  if (slope < -0.1 * m) return 'falling';
  return 'flat';
}

/** An alert's name for grouping: the `alertname` label, else its summary. */
export function alertNameOf(labelsJson: string, summary: string): string {
  try {
    const labels = JSON.parse(labelsJson) as Record<string, unknown>;
    if (typeof labels.alertname === 'string' && labels.alertname) return labels.alertname;
  } catch {
    // a summary it is
  }
  return summary.slice(0, 200);
}

/** RFC 4180 CSV; cells starting with = + - @ are prefixed with ' (no formula injection). */
export function toCsv(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))]
    .join('\r\n')
    .concat('\r\n');
}

export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The next Monday 08:00 UTC strictly after `now` (the weekly digest's time). */
export function nextDigestAt(now: number): number {
  const monday = bucketStart(now, 'week') + 8 * 3_600_000;
  return monday > now ? monday : monday + 7 * DAY;
}

/** The weekly digest's text for one team. */
export function digestText(input: {
  team: string;
  from: number;
  to: number;
  incidents: number;
  bySeverity: Array<{ severity: string; count: number }>;
  mttaMs: number | null;
  mttrMs: number | null;
  lowPriorityAlerts: number;
  overdue: Array<{ title: string; owner: string | null; daysOverdue: number }>;
}): string {
  const min = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms / 60_000)} min`);
  const lines = [
    `Tocsin weekly digest for ${input.team}: ${isoDay(input.from)} to ${isoDay(input.to - 1)}`,
    '',
    `Incidents: ${input.incidents}${input.bySeverity.length ? ` (${input.bySeverity.map((s) => `${s.severity} ${s.count}`).join(', ')})` : ''}`,
    `MTTA: ${min(input.mttaMs)} · MTTR: ${min(input.mttrMs)}`,
    `Low-priority alerts: ${input.lowPriorityAlerts}`,
    `Overdue action items: ${input.overdue.length}`,
    ...input.overdue
      .slice(0, 20)
      .map((o) => `- ${o.title} (${o.owner ?? 'no owner'}, ${o.daysOverdue} d overdue)`),
  ];
  return lines.join('\n');
}
