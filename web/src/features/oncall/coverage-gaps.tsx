import { Alert, Text } from '@mantine/core';
import type { CoverageGap } from '../../api/types';
import { browserTimeZone, formatInZone, formatRangeInZone } from '../../ui/zoned-time';
import { MAX_GAPS } from './coverage';

/**
 * "Mon, Mar 16, 17:00 – Tue, Mar 17, 09:00 your time (Europe/Berlin)", or "now, until …" for a
 * gap that has begun; "your time and the schedule's" when the viewer is in `scheduleZone`.
 */
export function describeGap(gap: CoverageGap, scheduleZone?: string, now = Date.now()): string {
  const zone = browserTimeZone();
  const whose = zone === scheduleZone ? "your time and the schedule's" : 'your time';
  const end = formatInZone(gap.end, zone);
  const span = gap.start <= now ? `now, until ${end}` : `${formatInZone(gap.start, zone)} – ${end}`;
  return `${span} ${whose} (${zone})`;
}

/** "(and 3 more gaps in the next 14 days)"; empty for one gap. */
export function moreGaps(gaps: readonly CoverageGap[], noun = 'gaps'): string {
  const more = gaps.length - 1;
  if (more <= 0) return '';
  const count = gaps.length >= MAX_GAPS ? `${more} or more` : String(more);
  return ` (and ${count} more ${more === 1 ? noun.replace(/s$/, '') : noun} in the next 14 days)`;
}

/**
 * The schedule page's warning: when nobody is on call in the next 14 days, in the viewer's time
 * and, when it differs, in the schedule's zone. Nothing when the schedule is covered.
 */
export function CoverageGapsWarning({
  gaps,
  timeZone,
}: {
  gaps: CoverageGap[] | undefined;
  timeZone: string;
}) {
  const first = gaps?.[0];
  if (!gaps || !first) return null;
  return (
    <Alert color="orange" variant="light" title="Gaps in coverage" aria-label="Gaps in coverage">
      <Text size="sm">
        Nobody is on call {describeGap(first, timeZone)}
        {moreGaps(gaps)}. A page in a gap reaches nobody on this schedule.
      </Text>
      {browserTimeZone() === timeZone ? null : (
        <Text size="xs" c="dimmed">
          In the schedule&apos;s time zone: {formatRangeInZone(first.start, first.end, timeZone)}.
        </Text>
      )}
    </Alert>
  );
}

/** The policies page's warning: the first level has nobody on call at these times. */
export function FirstLevelGapsWarning({ gaps }: { gaps: CoverageGap[] }) {
  const first = gaps[0];
  if (!first) return null;
  return (
    <Text size="xs" c="orange.8" role="note">
      Level 1 has nobody on call {describeGap(first)}
      {moreGaps(gaps, 'times')}: each of its schedules has a gap then.
    </Text>
  );
}
