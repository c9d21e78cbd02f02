import { Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { CheckResult, Downtime, LatencyPoint } from '../../api/checks';
import { TimeSeriesChart } from '../../ui/time-series-chart';
import { formatLatency, formatUptime, uptimeColor } from './check-labels';

/*
 * A check's charts: the latency chart (p50 and p95 over a range, uPlot), and two small SVG
 * drawings too simple for a chart library: the list's latency sparkline and the 90-day uptime
 * bars. Each is one image with a spoken summary, the exact figures being in the tables beside it.
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

const formatAxis = (v: number) => formatLatency(v);

/** p50 and p95 latency per step over the range (uPlot); steps with failures are marked in red. */
export function LatencyChart({ items, from, to, stepMs, rangeLabel }: LatencyChartProps) {
  const withLatency = items.filter((p) => p.p50Ms !== null);
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
  const { times, series } = useMemo(
    () => ({
      times: items.map((p) => p.at + stepMs / 2),
      series: [
        {
          label: 'p95',
          color: color('orange'),
          values: items.map((p) => p.p95Ms ?? p.p50Ms),
        },
        { label: 'p50', color: color('indigo'), width: 2, values: items.map((p) => p.p50Ms) },
        {
          label: 'failures',
          color: color('red'),
          markers: true,
          values: items.map((p) => (p.failures > 0 ? 1 : null)),
        },
      ],
    }),
    [items, stepMs],
  );
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
      <TimeSeriesChart
        times={times}
        series={series}
        formatY={formatAxis}
        summary={summary}
        range={[from, to]}
        testId="latency-chart"
      />
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
