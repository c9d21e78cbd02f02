import { describe, expect, it } from 'vitest';
import type { EscalationPolicy, Schedule } from '../../web/src/api/types.js';
import { firstLevelGaps, intersectGaps } from '../../web/src/features/oncall/coverage.js';

// The policies page's warning: level 1 has nobody on call when all its schedules have a gap.

const schedule = (id: string, gaps: Array<[number, number]>, teamId = 't1'): Schedule => ({
  id,
  teamId,
  name: id,
  timeZone: 'UTC',
  layers: [],
  createdAt: 0,
  gaps: gaps.map(([start, end]) => ({ start, end })),
});

const policy = (targets: EscalationPolicy['levels'][number]['targets']): EscalationPolicy => ({
  id: 'p',
  teamId: 't1',
  name: 'P',
  repeatCount: 0,
  createdAt: 0,
  levels: [{ delayMinutes: 5, targets }],
});

describe('coverage of a policy’s first level', () => {
  it('intersects sorted gap lists', () => {
    expect(
      intersectGaps([
        [
          { start: 0, end: 10 },
          { start: 20, end: 30 },
        ],
        [{ start: 5, end: 25 }],
      ]),
    ).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 25 },
    ]);
  });

  it('warns where every schedule of the level has a gap, and not where one covers', () => {
    const a = schedule('a', [[0, 10]]);
    const b = schedule('b', [[5, 20]]);
    const c = schedule('c', []);
    expect(firstLevelGaps(policy([{ type: 'schedule', id: 'a' }]), [a, b])).toEqual([
      { start: 0, end: 10 },
    ]);
    expect(
      firstLevelGaps(
        policy([
          { type: 'schedule', id: 'a' },
          { type: 'schedule', id: 'b' },
        ]),
        [a, b],
      ),
    ).toEqual([{ start: 5, end: 10 }]);
    expect(
      firstLevelGaps(
        policy([
          { type: 'schedule', id: 'a' },
          { type: 'schedule', id: 'c' },
        ]),
        [a, c],
      ),
    ).toEqual([]);
    // A team target stands for all its schedules; a user target is always there.
    expect(firstLevelGaps(policy([{ type: 'team', id: 't1' }]), [a, b])).toEqual([
      { start: 5, end: 10 },
    ]);
    expect(
      firstLevelGaps(
        policy([
          { type: 'schedule', id: 'a' },
          { type: 'user', id: 'u' },
        ]),
        [a],
      ),
    ).toEqual([]);
    // A schedule the viewer cannot read: unknown, no warning.
    expect(firstLevelGaps(policy([{ type: 'schedule', id: 'x' }]), [a])).toEqual([]);
  });
});
