import { describe, expect, it } from 'vitest';
import { coverageGaps, gapsIn, nextOnCall } from './coverage.js';
import type { Layer, Restriction, ScheduleDefinition } from './schedule.js';

const hour = 3_600_000;
const day = 24 * hour;
const at = (iso: string) => Date.parse(iso);

const daily = (over: Partial<Layer> = {}): Layer => ({
  id: 'day',
  name: 'Day',
  position: 1,
  participants: ['ada', 'bo'],
  rotation: { kind: 'daily', handoffTime: '09:00' },
  startDate: '2026-01-05',
  restrictions: [],
  ...over,
});

/** Monday to Friday, 09:00–17:00 each (1 = Monday). */
const weekdays: Restriction[] = [1, 2, 3, 4, 5].map((d) => ({
  kind: 'weekly',
  startDay: d,
  start: '09:00',
  endDay: d,
  end: '17:00',
}));

const london = (layers: Layer[], overrides: ScheduleDefinition['overrides'] = []) => ({
  timeZone: 'Europe/London',
  layers,
  overrides,
});

const iso = (gaps: Array<{ start: number; end: number }>) =>
  gaps.map((g) => [new Date(g.start).toISOString(), new Date(g.end).toISOString()]);

describe('coverage gaps', () => {
  // Monday 2026-03-09 to Monday 2026-03-16; London is on GMT (= UTC) that week.
  const from = at('2026-03-09T00:00:00Z');
  const to = from + 7 * day;

  it('finds the nights and the weekend of a weekday-only layer', () => {
    const gaps = coverageGaps(london([daily({ restrictions: weekdays })]), from, to);
    expect(iso(gaps)).toEqual([
      ['2026-03-09T00:00:00.000Z', '2026-03-09T09:00:00.000Z'],
      ['2026-03-09T17:00:00.000Z', '2026-03-10T09:00:00.000Z'],
      ['2026-03-10T17:00:00.000Z', '2026-03-11T09:00:00.000Z'],
      ['2026-03-11T17:00:00.000Z', '2026-03-12T09:00:00.000Z'],
      ['2026-03-12T17:00:00.000Z', '2026-03-13T09:00:00.000Z'],
      ['2026-03-13T17:00:00.000Z', '2026-03-16T00:00:00.000Z'],
    ]);
  });

  it('counts overrides: one that covers a gap removes it, one over part of a gap shortens it', () => {
    const gaps = coverageGaps(
      london(
        [daily({ restrictions: weekdays })],
        [
          {
            id: 'o1',
            userId: 'chen',
            start: at('2026-03-09T17:00:00Z'),
            end: at('2026-03-10T09:00:00Z'),
          },
          {
            id: 'o2',
            userId: 'chen',
            start: at('2026-03-13T12:00:00Z'),
            end: at('2026-03-14T12:00:00Z'),
          },
        ],
      ),
      from,
      to,
    );
    expect(iso(gaps)).toEqual([
      ['2026-03-09T00:00:00.000Z', '2026-03-09T09:00:00.000Z'],
      ['2026-03-10T17:00:00.000Z', '2026-03-11T09:00:00.000Z'],
      ['2026-03-11T17:00:00.000Z', '2026-03-12T09:00:00.000Z'],
      ['2026-03-12T17:00:00.000Z', '2026-03-13T09:00:00.000Z'],
      ['2026-03-14T12:00:00.000Z', '2026-03-16T00:00:00.000Z'],
    ]);
  });

  it('a lower layer fills the gaps of a restricted higher one', () => {
    const weekend = daily({ id: 'all', position: 0, participants: ['chen'] });
    expect(coverageGaps(london([daily({ restrictions: weekdays }), weekend]), from, to)).toEqual(
      [],
    );
  });

  it('a schedule with no layers is one gap: the whole window', () => {
    expect(coverageGaps(london([]), from, to)).toEqual([{ start: from, end: to }]);
  });

  it('follows the wall clock across the spring-forward change in Europe/London', () => {
    // 2026-03-29 01:00 GMT → 02:00 BST: 09:00 and 17:00 are 08:00Z and 16:00Z from then on.
    const layer = daily({ restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] });
    const gaps = coverageGaps(
      london([layer]),
      at('2026-03-28T12:00:00Z'),
      at('2026-03-30T12:00:00Z'),
    );
    expect(iso(gaps)).toEqual([
      ['2026-03-28T17:00:00.000Z', '2026-03-29T08:00:00.000Z'],
      ['2026-03-29T16:00:00.000Z', '2026-03-30T08:00:00.000Z'],
    ]);
  });

  it('follows the wall clock across the fall-back change in Europe/London', () => {
    // 2026-10-25 02:00 BST → 01:00 GMT: the night gap is 17 h of wall clock, 18 h of real time.
    const layer = daily({ restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] });
    const gaps = coverageGaps(
      london([layer]),
      at('2026-10-24T12:00:00Z'),
      at('2026-10-25T12:00:00Z'),
    );
    expect(iso(gaps)).toEqual([['2026-10-24T16:00:00.000Z', '2026-10-25T09:00:00.000Z']]);
  });

  it('stops at the limit', () => {
    const layer = daily({ restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] });
    expect(coverageGaps(london([layer]), from, from + 90 * day)).toHaveLength(50);
    expect(coverageGaps(london([layer]), from, from + 90 * day, 3)).toHaveLength(3);
  });

  it('gapsIn reads the gaps off final shifts within the window', () => {
    expect(
      gapsIn(
        [
          { userId: 'a', start: 10, end: 20 },
          { userId: 'b', start: 20, end: 30 },
          { userId: 'a', start: 40, end: 50 },
        ],
        0,
        60,
      ),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 30, end: 40 },
      { start: 50, end: 60 },
    ]);
  });
});

describe('next on call', () => {
  const weekly = daily({
    rotation: { kind: 'weekly', handoffTime: '09:00' },
    startDate: '2026-03-09',
  });

  it('is the next person at the handoff', () => {
    expect(nextOnCall(london([weekly]), at('2026-03-10T12:00:00Z'), 14 * day)).toEqual({
      userId: 'bo',
      start: at('2026-03-16T09:00:00Z'),
    });
  });

  it('is an override that takes over, and whoever comes back after it', () => {
    const def = london(
      [weekly],
      [
        {
          id: 'o',
          userId: 'chen',
          start: at('2026-03-11T00:00:00Z'),
          end: at('2026-03-12T00:00:00Z'),
        },
      ],
    );
    expect(nextOnCall(def, at('2026-03-10T12:00:00Z'), 14 * day)).toEqual({
      userId: 'chen',
      start: at('2026-03-11T00:00:00Z'),
    });
    expect(nextOnCall(def, at('2026-03-11T12:00:00Z'), 14 * day)).toEqual({
      userId: 'ada',
      start: at('2026-03-12T00:00:00Z'),
    });
  });

  it('is whoever comes on after a gap, the same person included', () => {
    // Daily rotation, 09:00–17:00 only: Tuesday evening, nobody; Wednesday 09:00 is Ada again.
    const layer = daily({
      participants: ['ada'],
      restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }],
    });
    expect(nextOnCall(london([layer]), at('2026-03-10T12:00:00Z'), 14 * day)).toEqual({
      userId: 'ada',
      start: at('2026-03-11T09:00:00Z'),
    });
    expect(nextOnCall(london([layer]), at('2026-03-10T20:00:00Z'), 14 * day)).toEqual({
      userId: 'ada',
      start: at('2026-03-11T09:00:00Z'),
    });
  });

  it('is nobody when nobody comes on within the horizon', () => {
    expect(nextOnCall(london([]), at('2026-03-10T12:00:00Z'), 14 * day)).toBeUndefined();
    expect(
      nextOnCall(london([daily({ participants: ['ada'] })]), at('2026-03-10T12:00:00Z'), 14 * day),
    ).toBeUndefined();
  });
});
