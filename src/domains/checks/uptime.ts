/*
 * Uptime from state transitions, not from counting results: a check is down from the first
 * failure of a confirmed outage to the first success of the confirmed recovery (check.ts), to
 * the millisecond, whatever the interval. Uptime over a range is then
 *   1 − down time ∩ range / monitored time ∩ range,
 * where monitored time starts when the check was created, ends now, and leaves out the time it
 * was paused. Pure functions over plain periods.
 */

/** A stored period: an outage (`down`) or a pause. `endedAt` null: still going on. */
export interface CheckPeriod {
  kind: 'down' | 'paused';
  startedAt: number;
  endedAt: number | null;
  cause?: string | null;
}

/** Uptime over one range. */
export interface UptimeFigures {
  from: number;
  to: number;
  /** Time the check was watched in the range (after creation, before now, not paused). */
  monitoredMs: number;
  downMs: number;
  /** 100 × (monitored − down) / monitored; null when nothing was monitored. */
  uptimePercent: number | null;
  /** Outages overlapping the range. */
  downtimes: number;
}

/** The standard windows the API reports. */
export const uptimeWindows = [
  { name: '24h', ms: 24 * 3_600_000 },
  { name: '7d', ms: 7 * 86_400_000 },
  { name: '30d', ms: 30 * 86_400_000 },
  { name: '90d', ms: 90 * 86_400_000 },
  { name: '365d', ms: 365 * 86_400_000 },
] as const;

type Span = [number, number];

/** Sorted, non-overlapping spans of `periods` clipped to [from, to). */
function clippedUnion(periods: CheckPeriod[], from: number, to: number, now: number): Span[] {
  const spans = periods
    .map((p): Span => [Math.max(p.startedAt, from), Math.min(p.endedAt ?? now, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

const total = (spans: Span[]) => spans.reduce((n, [a, b]) => n + (b - a), 0);

/** Length of the intersection of two sorted span lists. */
function overlap(a: Span[], b: Span[]): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) sum += hi - lo;
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return sum;
}

/**
 * Uptime of a check created at `createdAt` over [from, to), as of `now`. Down time that falls
 * in a pause (it should not: pausing ends the outage) is not counted twice.
 */
export function uptimeOver(
  periods: CheckPeriod[],
  range: { from: number; to: number },
  createdAt: number,
  now: number,
): UptimeFigures {
  const from = Math.max(range.from, createdAt);
  const to = Math.min(range.to, now);
  if (to <= from) {
    return {
      from: range.from,
      to: range.to,
      monitoredMs: 0,
      downMs: 0,
      uptimePercent: null,
      downtimes: 0,
    };
  }
  const down = clippedUnion(
    periods.filter((p) => p.kind === 'down'),
    from,
    to,
    now,
  );
  const paused = clippedUnion(
    periods.filter((p) => p.kind === 'paused'),
    from,
    to,
    now,
  );
  const monitoredMs = to - from - total(paused);
  const downMs = total(down) - overlap(down, paused);
  const downtimes = periods.filter(
    (p) => p.kind === 'down' && p.startedAt < to && (p.endedAt ?? now) > from,
  ).length;
  return {
    from: range.from,
    to: range.to,
    monitoredMs,
    downMs,
    uptimePercent: monitoredMs > 0 ? (100 * (monitoredMs - downMs)) / monitoredMs : null,
    downtimes,
  };
}
