import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  decideAfterFailure,
  defaultDeliveryPolicy,
  liveDigestEntries,
  nextFallbackMethod,
  pageText,
  parseDigest,
  planBatch,
  rateLimitDecision,
} from './notification.js';

const policy = { ...defaultDeliveryPolicy, baseBackoffMs: 1000, maxBackoffMs: 8000 };

describe('backoff', () => {
  it('doubles per attempt with equal jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, policy, 0))).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, policy, 1))).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
  });
  it('never retries sooner than Retry-After', () => {
    expect(backoffMs(1, policy, 0.5, 30_000)).toBe(30_000);
    expect(backoffMs(3, policy, 1, 10)).toBe(4000);
  });
});

describe('after a failed send', () => {
  const now = 1_000_000;
  it('retries a retryable failure until attempts run out', () => {
    const out = { ok: false as const, retryable: true, reason: '503' };
    expect(decideAfterFailure(out, 1, now, policy, 0)).toEqual({ action: 'retry', at: now + 500 });
    expect(decideAfterFailure(out, policy.maxAttempts, now, policy, 0)).toEqual({
      action: 'dead',
      why: 'exhausted',
    });
  });
  it('never retries a permanent failure', () => {
    const out = { ok: false as const, retryable: false, reason: '400', status: 400 };
    expect(decideAfterFailure(out, 1, now, policy, 0)).toEqual({
      action: 'dead',
      why: 'permanent',
    });
  });
  it('honours Retry-After on a 429', () => {
    const out = { ok: false as const, retryable: true, reason: '429', retryAfterMs: 60_000 };
    expect(decideAfterFailure(out, 1, now, policy, 1)).toEqual({
      action: 'retry',
      at: now + 60_000,
    });
  });
});

describe('rate limits', () => {
  const min = 60_000;
  it('allows 3 calls per 15 minutes, then waits for the oldest to leave the window', () => {
    const now = 20 * min;
    const calls = [10 * min, 12 * min, 19 * min];
    expect(rateLimitDecision(calls.slice(0, 2), [], 3, 60, 15 * min, now)).toEqual({ ok: true });
    const d = rateLimitDecision(calls, calls, 3, 60, 15 * min, now);
    expect(d).toMatchObject({ ok: false, at: 25 * min });
  });
  it('forgets sends older than the window', () => {
    expect(rateLimitDecision([0, 1, 2], [], 3, 60, 15 * min, 16 * min)).toEqual({ ok: true });
  });
  it('limits a person across methods', () => {
    const d = rateLimitDecision([], [1, 2], 10, 2, 15 * min, 3);
    expect(d).toMatchObject({ ok: false, at: 1 + 15 * min });
  });
});

describe('storm folding', () => {
  const page = (id: string, cm: string | null, kind = 'page') => ({
    id,
    contactMethodId: cm,
    kind,
  });
  it('folds three or more pages due at once for one contact method into one digest', () => {
    const plan = planBatch(
      [page('a', 'phone'), page('b', 'phone'), page('c', 'phone'), page('d', 'mail')],
      3,
    );
    expect(plan.map((p) => [p.lead.id, p.folded.map((f) => f.id)])).toEqual([
      ['a', ['b', 'c']],
      ['d', []],
    ]);
  });
  it('sends two pages for one method separately', () => {
    expect(planBatch([page('a', 'x'), page('b', 'x')], 3).every((p) => p.folded.length === 0)).toBe(
      true,
    );
  });
});

describe('fallback', () => {
  const m = (id: string, type: string, verified = true) => ({ id, type, verified });
  it('tries the loudest verified method not yet tried', () => {
    const methods = [m('1', 'email'), m('2', 'slack'), m('3', 'voice', false), m('4', 'sms')];
    expect(nextFallbackMethod(methods, new Set(['4']))?.id).toBe('2');
    expect(nextFallbackMethod(methods, new Set(['4', '2', '1']))).toBeUndefined();
  });
});

it('page text fits an SMS', () => {
  const t = pageText({
    number: 42,
    urgency: 'high',
    title: 'x'.repeat(300),
    serviceName: 'Checkout',
  });
  expect(t.length).toBeLessThanOrEqual(140);
  expect(t.startsWith('#42 HIGH Checkout: ')).toBe(true);
});

describe('digests due again', () => {
  it('keep the incidents still worth a message, by the same rule as single pages', () => {
    const entries = parseDigest(
      JSON.stringify([
        { incidentId: 'a', number: 1, title: 'A', reason: 'escalation' },
        { incidentId: 'b', number: 2, title: 'B', reason: 'escalation' },
        { incidentId: 'c', number: 3, title: 'C', reason: 'responder' },
        { incidentId: 'gone', number: 4, title: 'D', reason: 'escalation' },
        { number: 5, title: 'E' }, // written before reasons were kept: an escalation page
      ]),
    );
    const status: Record<string, string> = {
      a: 'acknowledged',
      b: 'triggered',
      c: 'acknowledged',
      '5': 'acknowledged',
    };
    const live = liveDigestEntries(entries, (e) => status[e.incidentId ?? String(e.number)]);
    expect(live.map((e) => e.number)).toEqual([2, 3]);
    expect(parseDigest('not json')).toEqual([]);
    expect(parseDigest(null)).toEqual([]);
  });
});
