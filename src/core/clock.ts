/**
 * Time comes from a Clock so tests can move it (DESIGN.md convention 3). All times are UTC
 * milliseconds since the epoch.
 */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand; it never advances on its own. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: number | string | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` milliseconds. */
  fastForward(ms: number): void {
    if (ms < 0) throw new Error('FakeClock only moves forward');
    this.current += ms;
  }

  /** Jumps to an absolute instant at or after now. */
  set(at: number | string | Date): void {
    const next = typeof at === 'number' ? at : new Date(at).getTime();
    if (next < this.current) throw new Error('FakeClock only moves forward');
    this.current = next;
  }
}
