import { Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import { TimeSeriesChart } from '../../ui/time-series-chart';

/*
 * The reports' charts: horizontal bars (plain SVG, a title on every bar, values printed, so
 * readable without colour) and lines over time (uPlot).
 */

const palette = ['#4c6ef5', '#fa5252', '#fab005', '#12b886', '#7950f2', '#fd7e14'];

/** Horizontal bars with their values; `format` prints a value. */
export function BarChart({
  label,
  items,
  format = (v) => String(v),
}: {
  label: string;
  items: Array<{ name: string; value: number | null }>;
  format?: (v: number) => string;
}) {
  const max = Math.max(1, ...items.map((i) => i.value ?? 0));
  const row = 24;
  const width = 520;
  const labelW = 160;
  if (items.length === 0)
    return (
      <Text c="dimmed" size="sm">
        No data in this period.
      </Text>
    );
  return (
    <svg
      role="img"
      aria-label={label}
      width="100%"
      viewBox={`0 0 ${width} ${items.length * row + 4}`}
      style={{ maxWidth: width }}
    >
      {items.map((it, i) => {
        const w = it.value === null ? 0 : ((width - labelW - 70) * it.value) / max;
        return (
          <g key={it.name} transform={`translate(0 ${i * row})`}>
            <title>{`${it.name}: ${it.value === null ? '—' : format(it.value)}`}</title>
            <text x={labelW - 6} y={16} textAnchor="end" fontSize="12" fill="currentColor">
              {it.name.length > 24 ? `${it.name.slice(0, 23)}…` : it.name}
            </text>
            <rect
              x={labelW}
              y={4}
              width={Math.max(w, it.value ? 2 : 0)}
              height={16}
              rx={3}
              fill={palette[i % palette.length]}
            />
            <text x={labelW + w + 6} y={16} fontSize="12" fill="currentColor">
              {it.value === null ? '—' : format(it.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** One or more lines over the same buckets (dates), drawn by uPlot. */
export function LineChart({
  label,
  buckets,
  series,
  format = (v) => String(Math.round(v * 10) / 10),
}: {
  label: string;
  buckets: number[];
  series: Array<{ name: string; values: Array<number | null> }>;
  format?: (v: number) => string;
}) {
  // The canvas has no text: the name says what it shows and each series' latest value.
  const summary = `${label}. ${series
    .map((s) => {
      const last = [...s.values].reverse().find((v) => v !== null);
      return `${s.name}: latest ${last === undefined || last === null ? '—' : format(last)}`;
    })
    .join('; ')}.`;
  const chartSeries = useMemo(
    () =>
      series.map((s, si) => ({
        label: s.name,
        color: palette[si % palette.length]!,
        width: 2,
        values: s.values,
      })),
    [series],
  );
  return (
    <div>
      <TimeSeriesChart
        times={buckets}
        series={chartSeries}
        formatY={format}
        summary={summary}
        height={200}
      />
      {series.length > 1 ? (
        <Group gap="md">
          {series.map((s, si) => (
            <Text key={s.name} size="xs" c={palette[si % palette.length]}>
              ■ {s.name}
            </Text>
          ))}
        </Group>
      ) : null}
    </div>
  );
}
