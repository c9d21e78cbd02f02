// Pure, without imports (also type-checked and tested from the server's tsconfig, test/web/).

/** A span with nobody on call (the API's `CoverageGap`). */
interface CoverageGap {
  start: number;
  end: number;
}

/** What of a schedule and a policy the coverage check reads (the API's `Schedule`, `EscalationPolicy`). */
interface GapsOfSchedule {
  id: string;
  teamId: string;
  gaps?: CoverageGap[] | undefined;
}
interface PolicyLevels {
  levels: ReadonlyArray<{ targets: ReadonlyArray<{ type: string; id: string }> }>;
}

/** The server lists at most this many gaps per schedule (`GET /api/schedules`). */
export const MAX_GAPS = 50;

/** The spans covered by every list (each sorted and disjoint): where all of them have a gap. */
export function intersectGaps(lists: readonly (readonly CoverageGap[])[]): CoverageGap[] {
  if (lists.length === 0) return [];
  let acc: CoverageGap[] = [...lists[0]!];
  for (const list of lists.slice(1)) {
    const out: CoverageGap[] = [];
    let i = 0;
    let j = 0;
    while (i < acc.length && j < list.length) {
      const a = acc[i]!;
      const b = list[j]!;
      const start = Math.max(a.start, b.start);
      const end = Math.min(a.end, b.end);
      if (end > start) out.push({ start, end });
      if (a.end < b.end) i++;
      else j++;
    }
    acc = out;
  }
  return acc;
}

/**
 * When the first level of a policy has nobody on call: it has no user targets, and every schedule
 * it pages through (its schedule targets and the schedules of its team targets) has a gap at the
 * same time. Empty when it is covered, or when a schedule is unknown here (not readable).
 */
export function firstLevelGaps(
  policy: PolicyLevels,
  schedules: readonly GapsOfSchedule[],
): CoverageGap[] {
  const level = policy.levels[0];
  if (!level || level.targets.some((t) => t.type === 'user')) return [];
  const lists: CoverageGap[][] = [];
  for (const target of level.targets) {
    const of =
      target.type === 'schedule'
        ? schedules.filter((s) => s.id === target.id)
        : schedules.filter((s) => s.teamId === target.id);
    if (target.type === 'schedule' && of.length === 0) return [];
    for (const s of of) {
      if (!s.gaps) return [];
      lists.push(s.gaps);
    }
  }
  return intersectGaps(lists);
}
