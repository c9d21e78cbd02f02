import { Group, Text } from '@mantine/core';
import type { CheckResult, Downtime, LatencyPoint } from '../../api/checks';
import { formatLatency, formatUptime, uptimeColor } from './check-labels';

/*
 * Small SVG charts: a latency sparkline for the list, the latency chart (p50 and p95) and the
 * 90-day uptime bars of a check's page. Plain SVG scaled by its viewBox; each is one image
 * with a spoken summary, the exact figures being in the tables beside it.
 */

const color = (name: string, shade = 6) => `var(--mantine-color-${name}-${shade})`;

interface SparklineProps {
  /** Newest first, as the API returns them. */
  results: readonly CheckResult[];
  width?: number;
  height?: number;
}

/** Latency of the last results as a line; failures are red dots on the baseline. */
export function Sparkline({ results, width = 120, height = 28 }: SparklineProps) {
  const points = [...results].reverse();
  const latencies = points.map((r) => r.latencyMs).filter((v): v is number => v !== null);
  if (points.length === 0) {
    return (
      <Text span size="xs" c="dimmed">
        No results yet
      </Text>
    );
  }
  const max = Math.max(1, ...latencies);
  const step = points.length > 1 ? (width - 4) / (points.length - 1) : 0;
  const x = (i: number) => 2 + i * step;
  const y = (ms: number) => height - 3 - (ms / max) * (height - 6);
  const segments: string[] = [];
  let current = '';
  points.forEach((r, i) => {
    if (r.latencyMs === null || !r.ok) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(r.latencyMs).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const failures = points.filter((r) => !r.ok).length;
  const latest = points.at(-1);
  const label = `Latency of the last ${points.length} results: latest ${
    latest?.ok ? formatLatency(latest.latencyMs) : 'failed'
  }, highest ${formatLatency(latencies.length ? max : null)}${
    failures ? `, ${failures} failed` : ''
  }`;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid="latency-sparkline"
    >
      <title>{label}</title>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke={color('indigo')} strokeWidth={1.5} />
      ))}
      {points.map((r, i) =>
        r.ok && r.latencyMs !== null ? null : (
          <circle key={i} cx={x(i)} cy={height - 3} r={2.5} fill={color('red')} />
        ),
      )}
    </svg>
  );
}

interface LatencyChartProps {
  items: readonly LatencyPoint[];
  from: number;
  to: number;
  stepMs: number;
  /** What the range is called in the summary ("the last 24 hours"). */
  rangeLabel: string;
}

const W = 800;
const H = 240;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * mag) return m * mag;
  return 10 * mag;
}

function timeLabel(ms: number, span: number): string {
  const d = new Date(ms);
  if (span > 2 * 86_400_000)
    return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** p50 and p95 latency per step over the range; steps with failures are marked in red. */
export function LatencyChart({ items, from, to, stepMs, rangeLabel }: LatencyChartProps) {
  const withLatency = items.filter((p) => p.p50Ms !== null);
  const max = niceMax(Math.max(0, ...withLatency.map((p) => p.p95Ms ?? p.p50Ms ?? 0)) * 1.1);
  const span = Math.max(1, to - from);
  const x = (at: number) => PAD.left + ((at - from) / span) * (W - PAD.left - PAD.right);
  const y = (ms: number) => H - PAD.bottom - (ms / max) * (H - PAD.top - PAD.bottom);
  const path = (pick: (p: LatencyPoint) => number | null) => {
    let d = '';
    let prev: number | null = null;
    for (const p of items) {
      const v = pick(p);
      if (v === null) {
        prev = null;
        continue;
      }
      const px = x(p.at + stepMs / 2);
      // A gap of more than one step (no data, or paused) breaks the line.
      const join = prev !== null && p.at - prev <= stepMs * 1.5;
      d += `${join ? 'L' : 'M'}${px.toFixed(1)},${y(v).toFixed(1)}`;
      prev = p.at;
    }
    return d;
  };
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => from + f * span);
  const failing = items.filter((p) => p.failures > 0);
  const all = withLatency.map((p) => p.p50Ms!);
  const median = all.length ? [...all].sort((a, b) => a - b)[Math.floor(all.length / 2)]! : null;
  const worstP95 = withLatency.length
    ? Math.max(...withLatency.map((p) => p.p95Ms ?? p.p50Ms!))
    : null;
  const summary = withLatency.length
    ? `Latency over ${rangeLabel}: typical p50 ${formatLatency(median)}, highest p95 ${formatLatency(
        worstP95,
      )}${failing.length ? `; failures in ${failing.length} of ${items.length} intervals` : ''}.`
    : `No latency measured over ${rangeLabel}.`;
  return (
    <div>
      <Group gap="md" mb={4} aria-hidden="true">
        <Group gap={4}>
          <svg width={16} height={4}>
            <rect width={16} height={3} fill={color('indigo')} />
          </svg>
          <Text size="xs">p50</Text>
        </Group>
        <Group gap={4}>
          <svg width={16} height={4}>
            <rect width={16} height={3} fill={color('orange')} />
          </svg>
          <Text size="xs">p95</Text>
        </Group>
        <Group gap={4}>
          <svg width={8} height={8}>
            <rect width={8} height={8} fill={color('red')} />
          </svg>
          <Text size="xs">failures</Text>
        </Group>
      </Group>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={summary}
        data-testid="latency-chart"
        style={{ display: 'block', maxHeight: 280 }}
      >
        <title>{summary}</title>
        {yTicks.map((v) => (
          <g key={v}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
              stroke="var(--mantine-color-default-border)"
              strokeDasharray={v === 0 ? undefined : '3 3'}
            />
            <text
              x={PAD.left - 6}
              y={y(v) + 4}
              textAnchor="end"
              fontSize={11}
              fill="var(--mantine-color-dimmed)"
            >
              {formatLatency(v)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            key={t}
            x={x(t)}
            y={H - 8}
            textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
            fontSize={11}
            fill="var(--mantine-color-dimmed)"
          >
            {timeLabel(t, span)}
          </text>
        ))}
        {failing.map((p) => (
          <rect
            key={p.at}
            x={x(p.at)}
            y={H - PAD.bottom - 6}
            width={Math.max(2, x(p.at + stepMs) - x(p.at))}
            height={6}
            fill={color('red')}
            opacity={Math.min(1, 0.4 + p.failures / Math.max(1, p.count))}
          />
        ))}
        <path d={path((p) => p.p95Ms)} fill="none" stroke={color('orange')} strokeWidth={1.5} />
        <path d={path((p) => p.p50Ms)} fill="none" stroke={color('indigo')} strokeWidth={2} />
        {/* Dots too, so that a single step with data (a new check) shows. */}
        {withLatency.map((p) => (
          <g key={p.at}>
            {p.p95Ms !== null ? (
              <circle cx={x(p.at + stepMs / 2)} cy={y(p.p95Ms)} r={2} fill={color('orange')} />
            ) : null}
            <circle cx={x(p.at + stepMs / 2)} cy={y(p.p50Ms!)} r={2.5} fill={color('indigo')} />
          </g>
        ))}
      </svg>
    </div>
  );
}

export interface DayUptime {
  start: number;
  monitoredMs: number;
  downMs: number;
  uptimePercent: number | null;
}

/**
 * Uptime per local day over the last `days` days, from the outages and the check's creation
 * (time paused counts as monitored here: the API reports pauses only in its own figures).
 */
export function dailyUptime(
  downtimes: readonly Downtime[],
  createdAt: number,
  now: number,
  days = 90,
): DayUptime[] {
  const today = new Date(now);
  const out: DayUptime[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - i).getTime();
    const end = Math.min(
      new Date(today.getFullYear(), today.getMonth(), today.getDate() - i + 1).getTime(),
      now,
    );
    const from = Math.max(start, createdAt);
    const monitoredMs = Math.max(0, end - from);
    let downMs = 0;
    for (const d of downtimes) {
      const a = Math.max(d.startedAt, from);
      const b = Math.min(d.endedAt ?? now, end);
      if (b > a) downMs += b - a;
    }
    downMs = Math.min(downMs, monitoredMs);
    out.push({
      start,
      monitoredMs,
      downMs,
      uptimePercent: monitoredMs > 0 ? (100 * (monitoredMs - downMs)) / monitoredMs : null,
    });
  }
  return out;
}

/** One bar a day: green, yellow or red by uptime; grey before the check existed. */
export function UptimeBars({ days }: { days: readonly DayUptime[] }) {
  const bar = 8;
  const gap = 2;
  const width = days.length * (bar + gap) - gap;
  const withDown = days.filter((d) => d.downMs > 0).length;
  const monitored = days.filter((d) => d.uptimePercent !== null).length;
  const label = `Uptime per day over the last ${days.length} days: ${
    monitored === 0
      ? 'no data yet'
      : withDown === 0
        ? `no downtime on the ${monitored} monitored days`
        : `downtime on ${withDown} of ${monitored} monitored days`
  }.`;
  return (
    <svg
      viewBox={`0 0 ${width} 34`}
      width="100%"
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="uptime-bars"
      style={{ display: 'block', height: 34 }}
    >
      <title>{label}</title>
      {days.map((d) => {
        const fill =
          d.uptimePercent === null
            ? 'var(--mantine-color-default-border)'
            : color(uptimeColor(d.uptimePercent) ?? 'gray', 5);
        const date = new Date(d.start).toLocaleDateString(undefined, {
          month: 'short',
          day: 'numeric',
        });
        const text =
          d.uptimePercent === null
            ? `${date}: no data`
            : `${date}: ${formatUptime(d.uptimePercent)}${
                d.downMs > 0 ? `, down ${Math.ceil(d.downMs / 60_000)} min` : ''
              }`;
        return (
          <rect
            key={d.start}
            x={days.indexOf(d) * (bar + gap)}
            y={0}
            width={bar}
            height={34}
            rx={1.5}
            fill={fill}
          >
            <title>{text}</title>
          </rect>
        );
      })}
    </svg>
  );
}
