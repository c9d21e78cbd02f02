import { Box, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import type { ScheduleShifts, Shift } from '../../api/types';
import { addDays, formatDayInZone, formatRangeInZone } from '../../ui/zoned-time';
import { nameOf } from './user-names';

const PALETTE = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'violet', 'indigo'];

/** The same colour for a person on every row and every visit. */
function colorOf(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? 'blue';
}

const LABEL_WIDTH = 130;
const ROW_HEIGHT = 34;

interface Span {
  from: number;
  to: number;
}

/** Left offset and width of [start, end) inside the window, in percent; null when outside. */
function placement(start: number, end: number, window: Span) {
  const s = Math.max(start, window.from);
  const e = Math.min(end, window.to);
  if (e <= s) return null;
  const total = window.to - window.from;
  return { left: ((s - window.from) / total) * 100, width: ((e - s) / total) * 100 };
}

interface Bar {
  key: string;
  userId: string;
  start: number;
  end: number;
}

function barStyle(left: number, width: number): CSSProperties {
  return {
    position: 'absolute',
    left: `${left}%`,
    width: `${width}%`,
    top: 3,
    bottom: 3,
    minWidth: 2,
  };
}

function barInnerStyle(userId: string): CSSProperties {
  const c = colorOf(userId);
  return {
    display: 'block',
    width: '100%',
    height: '100%',
    padding: '0 6px',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    fontSize: 'var(--mantine-font-size-xs)',
    lineHeight: `${ROW_HEIGHT - 6}px`,
    borderRadius: 4,
    background: `var(--mantine-color-${c}-light)`,
    color: `var(--mantine-color-${c}-light-color)`,
    borderLeft: `3px solid var(--mantine-color-${c}-filled)`,
  };
}

interface DayLine {
  at: number;
  left: number;
  label: string;
}

/** Midnights in the schedule's zone inside the window, for the grid and the day headings. */
function dayLines(window: Span, timeZone: string): DayLine[] {
  const lines: DayLine[] = [];
  for (let at = window.from, i = 0; at < window.to && i < 400; at = addDays(at, 1, timeZone), i++) {
    const place = placement(at, at + 1, window);
    if (place) lines.push({ at, left: place.left, label: formatDayInZone(at, timeZone) });
  }
  return lines;
}

interface TrackProps {
  window: Span;
  lines: readonly DayLine[];
  now: number;
  children: ReactNode;
}

/** The background of one row: a line per day and one for now. */
function Track({ window, lines, now, children }: TrackProps) {
  const nowPlace = placement(now, now + 1, window);
  return (
    <Box
      pos="relative"
      h={ROW_HEIGHT}
      style={{
        flex: 1,
        minWidth: 0,
        background: 'var(--mantine-color-default-hover)',
        borderRadius: 4,
      }}
    >
      <div aria-hidden="true" style={{ position: 'absolute', inset: 0 }}>
        {lines.map((line) => (
          <div
            key={line.at}
            style={{
              position: 'absolute',
              left: `${line.left}%`,
              top: 0,
              bottom: 0,
              borderLeft: '1px solid var(--mantine-color-default-border)',
            }}
          />
        ))}
        {nowPlace ? (
          <div
            style={{
              position: 'absolute',
              left: `${nowPlace.left}%`,
              top: -2,
              bottom: -2,
              borderLeft: '2px solid var(--mantine-color-red-6)',
              zIndex: 1,
            }}
          />
        ) : null}
      </div>
      {children}
    </Box>
  );
}

interface RowProps {
  /** Shown on the left. */
  label: string;
  /** Accessible name of the row's list of bars. */
  listLabel: string;
  bars: readonly Bar[];
  window: Span;
  lines: readonly DayLine[];
  now: number;
  timeZone: string;
  names: ReadonlyMap<string, string>;
  /** Makes each bar a button. */
  onBarClick?: (bar: Bar) => void;
  empty: string;
}

function TimelineRow({
  label,
  listLabel,
  bars,
  window,
  lines,
  now,
  timeZone,
  names,
  onBarClick,
  empty,
}: RowProps) {
  const placed = bars.flatMap((bar) => {
    const place = placement(bar.start, bar.end, window);
    return place ? [{ bar, ...place }] : [];
  });
  return (
    <Group gap="sm" wrap="nowrap" align="center">
      <Text size="sm" fw={500} w={LABEL_WIDTH} style={{ flexShrink: 0 }} truncate="end">
        {label}
      </Text>
      <Track window={window} lines={lines} now={now}>
        <ul
          aria-label={listLabel}
          style={{ position: 'absolute', inset: 0, margin: 0, padding: 0, listStyle: 'none' }}
        >
          {placed.length === 0 ? (
            <li style={{ position: 'absolute', left: 8, top: 0, lineHeight: `${ROW_HEIGHT}px` }}>
              <Text span size="xs" c="dimmed">
                {empty}
              </Text>
            </li>
          ) : null}
          {placed.map(({ bar, left, width }) => {
            const name = nameOf(names, bar.userId);
            const range = formatRangeInZone(bar.start, bar.end, timeZone);
            return (
              <li key={bar.key} style={barStyle(left, width)}>
                {onBarClick ? (
                  <UnstyledButton
                    title={range}
                    aria-label={`${name}, ${range}`}
                    style={barInnerStyle(bar.userId)}
                    onClick={() => onBarClick(bar)}
                  >
                    {name}
                  </UnstyledButton>
                ) : (
                  <span title={range} style={barInnerStyle(bar.userId)}>
                    {name}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </Track>
    </Group>
  );
}

function shiftBars(shifts: readonly Shift[], prefix: string): Bar[] {
  return shifts.map((s, i) => ({
    key: `${prefix}-${i}-${s.start}`,
    userId: s.userId,
    start: s.start,
    end: s.end,
  }));
}

interface ScheduleTimelineProps {
  shifts: ScheduleShifts;
  from: number;
  to: number;
  now: number;
  timeZone: string;
  names: ReadonlyMap<string, string>;
  /** Called with a final shift that was clicked; absent: the bars are not buttons. */
  onFinalShiftClick?: (shift: { userId: string; start: number; end: number }) => void;
}

/**
 * Horizontal bars over the window: one row per layer, the final schedule, and the overrides.
 * Widths are proportional to time; every bar is titled with its start and end in the schedule's
 * time zone.
 */
export function ScheduleTimeline({
  shifts,
  from,
  to,
  now,
  timeZone,
  names,
  onFinalShiftClick,
}: ScheduleTimelineProps) {
  const window = { from, to };
  const lines = dayLines(window, timeZone);
  const labelEvery = lines.length > 16 ? 2 : 1;
  const common = { window, lines, now, timeZone, names };

  return (
    <Stack gap={6}>
      <Group gap="sm" wrap="nowrap" aria-hidden="true">
        <Box w={LABEL_WIDTH} style={{ flexShrink: 0 }} />
        <Box pos="relative" h={18} style={{ flex: 1, minWidth: 0 }}>
          {lines.map((line, i) =>
            i % labelEvery === 0 ? (
              <Text
                key={line.at}
                size="xs"
                c="dimmed"
                style={{ position: 'absolute', left: `${line.left}%`, paddingLeft: 3 }}
              >
                {line.label}
              </Text>
            ) : null,
          )}
        </Box>
      </Group>
      {shifts.layers.map((layer) => (
        <TimelineRow
          key={layer.id}
          label={layer.name}
          listLabel={`Layer ${layer.name} shifts`}
          bars={shiftBars(layer.shifts, layer.id)}
          empty="Nobody in this window"
          {...common}
        />
      ))}
      <TimelineRow
        label="Final"
        listLabel="Final shifts"
        bars={shiftBars(shifts.final, 'final')}
        empty="Nobody on call in this window"
        onBarClick={onFinalShiftClick}
        {...common}
      />
      <TimelineRow
        label="Overrides"
        listLabel="Override shifts"
        bars={shifts.overrides.map((o) => ({
          key: o.id,
          userId: o.userId,
          start: o.start,
          end: o.end,
        }))}
        empty="No overrides in this window"
        {...common}
      />
    </Stack>
  );
}
