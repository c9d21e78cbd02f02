import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line (or bar) series over the chart's times; null leaves a gap. */
export interface ChartSeries {
  label: string;
  /** A CSS colour; Mantine variables work (`var(--mantine-color-indigo-6)`). */
  color: string;
  values: ReadonlyArray<number | null>;
  width?: number;
  /** Bars on their own hidden 0..1 scale along the bottom (markers such as failures). */
  markers?: boolean;
}

interface TimeSeriesChartProps {
  /** Epoch milliseconds, ascending, one per value of each series. */
  times: readonly number[];
  series: readonly ChartSeries[];
  /** The y axis' tick labels. */
  formatY: (value: number) => string;
  /** What the chart shows, for screen readers (the canvas has no text). */
  summary: string;
  height?: number;
  /** The time axis' extent in epoch ms (default: the data's). */
  range?: readonly [number, number];
  testId?: string;
}

/** uPlot resolves CSS variables only through the DOM: read them from the container. */
function resolveColor(el: HTMLElement, color: string): string {
  const m = /^var\((--[^)]+)\)$/.exec(color);
  if (!m) return color;
  return getComputedStyle(el).getPropertyValue(m[1]!).trim() || '#888';
}

/**
 * A time-series chart drawn by uPlot (canvas, fast with thousands of points), sized to its
 * container's width. The container carries role="img" and the summary as its name.
 */
export function TimeSeriesChart({
  times,
  series,
  formatY,
  summary,
  height = 240,
  range,
  testId,
}: TimeSeriesChartProps) {
  const from = range?.[0];
  const to = range?.[1];
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axisColor = resolveColor(el, 'var(--mantine-color-dimmed)');
    const gridColor = resolveColor(el, 'var(--mantine-color-default-border)');
    const hasMarkers = series.some((s) => s.markers);
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: true,
          ...(from !== undefined && to !== undefined
            ? { range: [from / 1000, to / 1000] as uPlot.Range.MinMax }
            : {}),
        },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        ...(hasMarkers ? { markers: { range: [0, 12] } } : {}),
      },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 } },
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1, dash: [3, 3] },
          size: 64,
          values: (_u, ticks) => ticks.map((t) => formatY(t)),
        },
      ],
      series: [
        {},
        ...series.map((s): uPlot.Series =>
          s.markers
            ? {
                label: s.label,
                scale: 'markers',
                fill: resolveColor(el, s.color),
                stroke: resolveColor(el, s.color),
                paths: uPlot.paths.bars!({ size: [1, 8] }),
                points: { show: false },
              }
            : {
                label: s.label,
                stroke: resolveColor(el, s.color),
                width: s.width ?? 1.5,
                spanGaps: false,
                points: { size: 4 },
              },
        ),
      ],
    };
    const data: uPlot.AlignedData = [
      times.map((t) => t / 1000),
      ...series.map((s) => s.values as Array<number | null>),
    ];
    const chart = new uPlot(options, data, el);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, series, formatY, height, from, to]);

  return <div ref={box} role="img" aria-label={summary} title={summary} data-testid={testId} />;
}
