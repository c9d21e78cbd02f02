import { describe, expect, it } from 'vitest';
import { ackTimeoutOf, formatMinutes, formatUntil } from './incident.js';

describe('re-trigger timer helpers', () => {
  it('reads the acknowledgement timeout from stored service settings, null when off or bad', () => {
    expect(ackTimeoutOf('{"ackTimeoutMinutes":30}')).toBe(30);
    expect(ackTimeoutOf('{"autoResolve":true}')).toBeNull();
    expect(ackTimeoutOf('{"ackTimeoutMinutes":null}')).toBeNull();
    for (const bad of ['0', '1441', '2.5', '"30"'])
      expect(ackTimeoutOf(`{"ackTimeoutMinutes":${bad}}`)).toBeNull();
    expect(ackTimeoutOf('not json')).toBeNull();
    expect(ackTimeoutOf(undefined)).toBeNull();
  });

  it('says durations and ends the way people do', () => {
    expect(formatMinutes(30)).toBe('30 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(1440)).toBe('24 h');
    const now = Date.parse('2026-03-10T13:20:00Z');
    expect(formatUntil(now + 60 * 60_000, now)).toBe('14:20 UTC');
    expect(formatUntil(now + 12 * 60 * 60_000, now)).toBe('2026-03-11 01:20 UTC');
  });
});
