import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  finalShifts,
  layerShifts,
  nextShiftsOf,
  restrictionWindows,
  whoIsOnCall,
  type Layer,
  type Override,
  type ScheduleDefinition,
} from './schedule.js';
import { localIso, localToInstant, plainDate } from './time-zone.js';

const hour = 3_600_000;
const day = 24 * hour;
const at = (iso: string) => Date.parse(iso);

const weekly = (over: Partial<Layer> = {}): Layer => ({
  id: 'primary',
  name: 'Primary',
  position: 1,
  participants: ['ada', 'bo', 'chen', 'dana', 'eve'],
  rotation: { kind: 'weekly', handoffTime: '09:00' },
  startDate: '2026-01-05',
  restrictions: [],
  ...over,
});

describe('local time rules', () => {
  it('maps a time in a skipped hour to the first valid instant after it (the transition)', () => {
    // Chicago springs forward 2026-03-08 02:00 → 03:00.
    expect(
      localIso(
        localToInstant(plainDate('2026-03-08'), '02:30', 'America/Chicago'),
        'America/Chicago',
      ),
    ).toBe('2026-03-08T03:00:00');
  });
  it('maps a time in a repeated hour to its first occurrence', () => {
    // Chicago falls back 2026-11-01 02:00 → 01:00; 01:30 happens twice; the first is CDT (−05:00).
    expect(localToInstant(plainDate('2026-11-01'), '01:30', 'America/Chicago')).toBe(
      at('2026-11-01T06:30:00Z'),
    );
  });
  it('handles Lord Howe’s 30-minute shift and Kathmandu’s +05:45', () => {
    // Lord Howe: 2026-10-04 02:00 → 02:30. 02:15 does not exist.
    expect(
      localIso(
        localToInstant(plainDate('2026-10-04'), '02:15', 'Australia/Lord_Howe'),
        'Australia/Lord_Howe',
      ),
    ).toBe('2026-10-04T02:30:00');
    expect(localToInstant(plainDate('2026-06-01'), '09:00', 'Asia/Kathmandu')).toBe(
      at('2026-06-01T03:15:00Z'),
    );
  });
});

describe('rotations across DST', () => {
  const cases: Array<{ tz: string; spring: string; autumn: string }> = [
    { tz: 'America/Chicago', spring: '2026-03-08', autumn: '2026-11-01' },
    { tz: 'Europe/London', spring: '2026-03-29', autumn: '2026-10-25' },
    { tz: 'Australia/Lord_Howe', spring: '2026-10-04', autumn: '2026-04-05' },
  ];
  for (const { tz, spring, autumn } of cases) {
    it(`keeps a 09:00 daily handoff at 09:00 local in ${tz}, with shorter/longer shifts across the transitions`, () => {
      const layer: Layer = {
        ...weekly(),
        rotation: { kind: 'daily', handoffTime: '09:00' },
        startDate: '2026-01-01',
      };
      const from = localToInstant(plainDate(spring).subtract({ days: 2 }), '00:00', tz);
      const shifts = layerShifts(layer, tz, from, from + 5 * day);
      for (const s of shifts.slice(1)) expect(localIso(s.start, tz).slice(11)).toBe('09:00:00');
      const springShift = shifts.find((s) =>
        localIso(s.start, tz).startsWith(plainDate(spring).subtract({ days: 1 }).toString()),
      )!;
      const shortBy = tz === 'Australia/Lord_Howe' ? hour / 2 : hour;
      expect(springShift.end - springShift.start).toBe(day - shortBy);

      const from2 = localToInstant(plainDate(autumn).subtract({ days: 2 }), '00:00', tz);
      const autumnShifts = layerShifts(layer, tz, from2, from2 + 5 * day);
      const autumnShift = autumnShifts.find((s) =>
        localIso(s.start, tz).startsWith(plainDate(autumn).subtract({ days: 1 }).toString()),
      )!;
      expect(autumnShift.end - autumnShift.start).toBe(day + shortBy);
    });
  }

  it('hands off at 03:00 when the 02:30 handoff falls in Chicago’s skipped hour, and at the first 01:30 in the repeated one', () => {
    const tz = 'America/Chicago';
    const spring: Layer = {
      ...weekly(),
      rotation: { kind: 'daily', handoffTime: '02:30' },
      startDate: '2026-03-01',
    };
    const s = layerShifts(spring, tz, at('2026-03-08T00:00:00Z'), at('2026-03-09T12:00:00Z'));
    expect(s.map((x) => localIso(x.start, tz))).toContain('2026-03-08T03:00:00');
    const autumn: Layer = {
      ...spring,
      rotation: { kind: 'daily', handoffTime: '01:30' },
      startDate: '2026-10-25',
    };
    const a = layerShifts(autumn, tz, at('2026-11-01T00:00:00Z'), at('2026-11-02T12:00:00Z'));
    expect(a.map((x) => x.start)).toContain(at('2026-11-01T06:30:00Z'));
  });

  it('keeps Kathmandu handoffs at 09:00 local (03:15 UTC)', () => {
    const layer: Layer = { ...weekly(), rotation: { kind: 'daily', handoffTime: '09:00' } };
    const s = layerShifts(
      layer,
      'Asia/Kathmandu',
      at('2026-06-01T00:00:00Z'),
      at('2026-06-03T00:00:00Z'),
    );
    expect(s.slice(1).map((x) => new Date(x.start).toISOString().slice(11, 16))).toEqual([
      '03:15',
      '03:15',
    ]);
  });
});

describe('the seed teams’ rotation', () => {
  it('puts each of five people on call for a week, round-robin, handing off Monday 09:00', () => {
    const def: ScheduleDefinition = {
      timeZone: 'Europe/London',
      layers: [weekly()],
      overrides: [],
    };
    const who = (iso: string) => whoIsOnCall(def, at(iso));
    expect(who('2026-01-05T08:59:00Z')).toBeUndefined(); // before the start
    expect(who('2026-01-05T09:00:00Z')).toBe('ada');
    expect(who('2026-01-12T08:59:59Z')).toBe('ada');
    expect(who('2026-01-12T09:00:00Z')).toBe('bo');
    expect(who('2026-02-02T09:00:00Z')).toBe('eve');
    expect(who('2026-02-09T09:00:00Z')).toBe('ada');
    // Summer time: the handoff stays at 09:00 London (08:00 UTC).
    expect(who('2026-07-06T07:59:00Z')).not.toBe(who('2026-07-06T08:00:00Z'));
  });

  it('lets a higher layer with restrictions override at night, and an override win over both', () => {
    const night: Layer = {
      ...weekly({ id: 'nights', position: 2, participants: ['nora'] }),
      rotation: { kind: 'daily', handoffTime: '00:00' },
      restrictions: [{ kind: 'daily', start: '22:00', end: '06:00' }],
    };
    const override: Override = {
      id: 'o1',
      userId: 'ovi',
      start: at('2026-01-07T23:00:00Z'),
      end: at('2026-01-08T01:00:00Z'),
    };
    const def: ScheduleDefinition = {
      timeZone: 'UTC',
      layers: [weekly(), night],
      overrides: [override],
    };
    expect(whoIsOnCall(def, at('2026-01-07T12:00:00Z'))).toBe('ada');
    expect(whoIsOnCall(def, at('2026-01-07T22:30:00Z'))).toBe('nora');
    expect(whoIsOnCall(def, at('2026-01-07T23:30:00Z'))).toBe('ovi');
    expect(whoIsOnCall(def, at('2026-01-08T05:59:00Z'))).toBe('nora');
    expect(whoIsOnCall(def, at('2026-01-08T06:00:00Z'))).toBe('ada');
    const shifts = finalShifts(def, at('2026-01-07T20:00:00Z'), at('2026-01-08T08:00:00Z'));
    expect(shifts.map((s) => [s.userId, new Date(s.start).toISOString().slice(11, 16)])).toEqual([
      ['ada', '20:00'],
      ['nora', '22:00'],
      ['ovi', '23:00'],
      ['nora', '01:00'],
      ['ada', '06:00'],
    ]);
    expect(
      nextShiftsOf(def, 'nora', at('2026-01-07T12:00:00Z'), 2 * day).map((s) =>
        new Date(s.start).toISOString(),
      ),
    ).toEqual(['2026-01-07T22:00:00.000Z', '2026-01-08T01:00:00.000Z', '2026-01-08T22:00:00.000Z']);
  });

  it('follows the sun with weekly restrictions (weekdays only)', () => {
    const weekdays: Layer = {
      ...weekly({ participants: ['ada'] }),
      restrictions: [{ kind: 'weekly', startDay: 1, start: '09:00', endDay: 6, end: '00:00' }],
    };
    const def: ScheduleDefinition = { timeZone: 'UTC', layers: [weekdays], overrides: [] };
    expect(whoIsOnCall(def, at('2026-01-09T12:00:00Z'))).toBe('ada'); // Friday
    expect(whoIsOnCall(def, at('2026-01-10T12:00:00Z'))).toBeUndefined(); // Saturday
  });
});

// ---- properties over random schedules ----------------------------------------------------------

const zones = ['UTC', 'America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const rotation = fc.oneof(
  fc.record({
    kind: fc.constantFrom('hourly' as const, 'daily' as const, 'weekly' as const),
    handoffTime: hhmm,
  }),
  fc.record({
    kind: fc.constant('custom' as const),
    length: fc.integer({ min: 1, max: 10 }),
    unit: fc.constantFrom('hours' as const, 'days' as const),
    handoffTime: hhmm,
  }),
);
const startDate = fc
  .integer({ min: 0, max: 400 })
  .map((d) => plainDate('2025-06-01').add({ days: d }).toString());
const layerArb = (withRestrictions: boolean) =>
  fc.record({
    id: fc.uuid(),
    name: fc.constant('L'),
    position: fc.integer({ min: 0, max: 5 }),
    participants: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), {
      minLength: 1,
      maxLength: 5,
    }),
    rotation,
    startDate,
    restrictions: withRestrictions
      ? fc.array(
          fc
            .record({ kind: fc.constant('daily' as const), start: hhmm, end: hhmm })
            .filter((r) => r.start !== r.end),
          { maxLength: 2 },
        )
      : fc.constant<Array<{ kind: 'daily'; start: string; end: string }>>([]),
  });
const windowArb = fc
  .tuple(fc.integer({ min: 0, max: 500 * 24 }), fc.integer({ min: 1, max: 21 * 24 }))
  .map(([offsetH, lenH]) => {
    const from = at('2025-06-01T00:00:00Z') + offsetH * hour + 7 * 60_000;
    return { from, to: from + lenH * hour };
  });

describe('schedule properties', () => {
  it('a layer without restrictions has no gaps and no overlaps after its start', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        layerArb(false),
        windowArb,
        (tz, layer, { from, to }) => {
          const shifts = layerShifts(layer, tz, from, to);
          for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.start).toBe(shifts[i - 1]!.end);
          for (const s of shifts) expect(s.end).toBeGreaterThan(s.start);
          if (shifts.length) expect(shifts.at(-1)!.end).toBe(to);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('final shifts never overlap, and overrides always win', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(layerArb(true), { minLength: 1, maxLength: 4 }),
        windowArb,
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 100 }),
            len: fc.integer({ min: 1, max: 48 }),
            userId: fc.constantFrom('x', 'y'),
          }),
          { maxLength: 3 },
        ),
        (tz, layers, { from, to }, raw) => {
          const overrides = raw.map((o, i) => ({
            id: `o${i}`,
            userId: o.userId,
            start: from + o.offset * hour,
            end: from + (o.offset + o.len) * hour,
          }));
          const def = { timeZone: tz, layers, overrides };
          const shifts = finalShifts(def, from, to);
          for (let i = 1; i < shifts.length; i++)
            expect(shifts[i]!.start).toBeGreaterThanOrEqual(shifts[i - 1]!.end);
          for (const o of overrides) {
            const mid = Math.floor((o.start + o.end) / 2);
            const winner = [...overrides].reverse().find((x) => x.start <= mid && x.end > mid)!;
            if (mid >= from && mid < to) expect(whoIsOnCall(def, mid)).toBe(winner.userId);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('results do not depend on the evaluation window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(layerArb(true), { minLength: 1, maxLength: 3 }),
        windowArb,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (tz, layers, { from, to }, f) => {
          const def = { timeZone: tz, layers, overrides: [] };
          const mid = from + Math.floor((to - from) * f);
          const whole = finalShifts(def, from, to);
          const parts = [...finalShifts(def, from, mid), ...finalShifts(def, mid, to)];
          const merged: typeof parts = [];
          for (const s of parts) {
            const prev = merged.at(-1);
            if (
              prev &&
              prev.end === s.start &&
              prev.userId === s.userId &&
              prev.layerId === s.layerId
            )
              prev.end = s.end;
            else merged.push({ ...s });
          }
          expect(merged).toEqual(whole);
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('a heavy year', () => {
  it('computes a year of 10 hourly layers with 20 daily restrictions each (time: bench:schedules)', () => {
    // Twenty disjoint one-hour windows a day: 08:00–09:00, 09:10–10:10 … shifted per layer.
    const restrictions = Array.from({ length: 20 }, (_, i) => {
      const start = 60 + i * 65;
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      return { kind: 'daily' as const, start: hhmm(start), end: hhmm(start + 30) };
    });
    const def: ScheduleDefinition = {
      timeZone: 'Europe/London',
      layers: Array.from({ length: 10 }, (_, i) =>
        weekly({
          id: `l${i}`,
          position: i,
          rotation: { kind: 'hourly', handoffTime: '00:00' },
          restrictions,
        }),
      ),
      overrides: [],
    };
    const from = at('2026-01-05T00:00:00Z');
    const to = from + 366 * day;
    const final = finalShifts(def, from, to);
    const perLayer = layerShifts(def.layers[0]!, def.timeZone, from, to);
    expect(perLayer.length).toBeGreaterThan(366 * 20);
    expect(final.length).toBeGreaterThan(366 * 20);
  });

  it('restriction windows match the wall-clock rules on every day, transitions included', () => {
    const zones = ['America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago'];
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        hhmm,
        hhmm,
        fc.integer({ min: 0, max: 330 }),
        (tz, start, end, offsetDays) => {
          fc.pre(start !== end);
          const from = at('2026-01-01T00:00:00Z') + offsetDays * day;
          const to = from + 40 * day;
          // The reference: every edge through localToInstant.
          const expected: Array<[number, number]> = [];
          let d = plainDate(localIso(from, tz).slice(0, 10)).subtract({ days: 1 });
          for (; d.toString() <= localIso(to, tz).slice(0, 10); d = d.add({ days: 1 })) {
            const s = localToInstant(d, start, tz);
            const e = localToInstant(end > start ? d : d.add({ days: 1 }), end, tz);
            const cs = Math.max(s, from);
            const ce = Math.min(e, to);
            if (ce > cs) expected.push([cs, ce]);
          }
          const merged: Array<[number, number]> = [];
          for (const w of expected.sort((a, b) => a[0] - b[0])) {
            const prev = merged.at(-1);
            if (prev && w[0] <= prev[1]) prev[1] = Math.max(prev[1], w[1]);
            else merged.push([...w]);
          }
          expect(restrictionWindows([{ kind: 'daily', start, end }], tz, from, to)).toEqual(merged);
        },
      ),
      { numRuns: 200 },
    );
  });
});
