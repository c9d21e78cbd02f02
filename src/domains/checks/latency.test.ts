import { describe, expect, it } from 'vitest';
import {
  addResult,
  bucketOf,
  chooseResolution,
  emptySummary,
  histogramFromJson,
  histogramPercentile,
  histogramToJson,
  mergeSummary,
  seriesFromResults,
  seriesFromRollups,
} from './latency.js';

const hour = 3_600_000;
const day = 24 * hour;

describe('latency summaries', () => {
  it('reads percentiles from the histogram within 5 %', () => {
    const s = emptySummary();
    const values = Array.from({ length: 1000 }, (_, i) => 1000 + i * 97); // 1 ms … 98 ms in µs
    for (const v of values) addResult(s, true, v);
    const p50 = histogramPercentile(s.histogram, 50)!;
    const p95 = histogramPercentile(s.histogram, 95)!;
    expect(Math.abs(p50 - values[499]!) / values[499]!).toBeLessThan(0.05);
    expect(Math.abs(p95 - values[949]!) / values[949]!).toBeLessThan(0.05);
    expect(histogramFromJson(histogramToJson(s.histogram))).toEqual(s.histogram);
  });

  it('adds up summaries exactly (minutes into hours)', () => {
    const a = emptySummary();
    const b = emptySummary();
    addResult(a, true, 1000);
    addResult(a, false, null);
    addResult(b, true, 5000);
    mergeSummary(a, b);
    expect(a).toMatchObject({
      count: 3,
      failures: 1,
      latencyCount: 2,
      latencySumUs: 6000,
      latencyMinUs: 1000,
      latencyMaxUs: 5000,
    });
    expect([...a.histogram.values()].reduce((x, y) => x + y, 0)).toBe(2);
    expect(bucketOf(0)).toBe(0);
  });

  it('charts raw results exactly and rollups approximately, per step', () => {
    const raw = seriesFromResults(
      [
        { at: 0, ok: true, latencyUs: 2000 },
        { at: 10, ok: true, latencyUs: 4000 },
        { at: 60_000, ok: false, latencyUs: null },
      ],
      0,
      60_000,
    );
    expect(raw).toEqual([
      { at: 0, count: 2, failures: 0, p50Ms: 2, p95Ms: 4, minMs: 2, maxMs: 4, avgMs: 3 },
      {
        at: 60_000,
        count: 1,
        failures: 1,
        p50Ms: null,
        p95Ms: null,
        minMs: null,
        maxMs: null,
        avgMs: null,
      },
    ]);
    const s = emptySummary();
    addResult(s, true, 2000);
    const rolled = seriesFromRollups([{ bucketAt: 120_000, summary: s }], 0, 60_000);
    expect(rolled[0]!.at).toBe(120_000);
    expect(Math.abs(rolled[0]!.p50Ms! - 2) / 2).toBeLessThan(0.05);
  });

  it('picks raw data for recent short ranges, rollups for the rest', () => {
    const now = 100 * day;
    const retention = { rawMs: 2 * day, minuteMs: 14 * day };
    expect(chooseResolution(now - hour, now, now, retention)).toEqual({
      resolution: 'raw',
      stepMs: 60_000,
    });
    expect(chooseResolution(now - day, now, now, retention).resolution).toBe('1m');
    expect(chooseResolution(now - 30 * day, now, now, retention)).toMatchObject({
      resolution: '1h',
    });
  });
});
