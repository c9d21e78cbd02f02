import { describe, expect, it } from 'vitest';
import type { Matcher } from './matchers.js';
import { muteRulesFingerprint, nextMuteBoundary, type MuteRules, type Silence } from './muting.js';

const eq = (name: string, value: string): Matcher => ({
  name,
  value,
  isRegex: false,
  isEqual: true,
});

const silence = (id: string, startsAt: number, endsAt: number, value = 'F1'): Silence => ({
  id,
  teamId: 't',
  matchers: [eq('alertname', value)],
  startsAt,
  endsAt,
  comment: '',
  createdBy: 'x',
  createdAt: 0,
});

const rules = (silences: Silence[]): MuteRules => ({ silences, maintenance: [], inhibitRules: [] });

describe('what the re-judge module compares', () => {
  it('fingerprints equal rules alike, in any order, and tells changed ones apart', () => {
    const a = silence('a', 0, 100);
    const b = silence('b', 50, 200);
    expect(muteRulesFingerprint(rules([a, b]))).toBe(muteRulesFingerprint(rules([b, a])));
    expect(muteRulesFingerprint(rules([a]))).not.toBe(muteRulesFingerprint(rules([a, b])));
    // Expired early (its end moved) or other matchers: another fingerprint.
    expect(muteRulesFingerprint(rules([silence('a', 0, 60)]))).not.toBe(
      muteRulesFingerprint(rules([a])),
    );
    expect(muteRulesFingerprint(rules([silence('a', 0, 100, 'F2')]))).not.toBe(
      muteRulesFingerprint(rules([a])),
    );
  });

  it('finds the next start or end after now, or none', () => {
    const r = rules([silence('a', 0, 100), silence('b', 50, 200)]);
    expect(nextMuteBoundary(r, 10)).toBe(50);
    expect(nextMuteBoundary(r, 50)).toBe(100);
    expect(nextMuteBoundary(r, 150)).toBe(200);
    expect(nextMuteBoundary(r, 200)).toBeNull();
    expect(nextMuteBoundary(rules([]), 0)).toBeNull();
  });
});
