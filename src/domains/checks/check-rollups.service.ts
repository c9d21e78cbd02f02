import type { Kysely } from 'kysely';
import { inTransaction, type Database, type NewRow } from '../../db/index.js';
import type { CheckRetention } from './checks.service.js';
import {
  deletePeriodsEndedBefore,
  deleteResultsBetween,
  deleteRollupsBetween,
  selectOldestResultAt,
  selectOldestRollupAt,
  selectResultsBetween,
  selectRollupMark,
  selectRollupsBetween,
  setRollupMark,
  upsertRollups,
} from './checks.store.js';
import {
  addResult,
  emptySummary,
  histogramFromJson,
  histogramToJson,
  mergeSummary,
  type LatencySummary,
} from './latency.js';

const minute = 60_000;
const hour = 3_600_000;

/**
 * Keeps the store from growing without bound: raw results roll up into per-minute summaries,
 * minutes into hours, and each is deleted after its retention — never before it was rolled up.
 * Watermarks (`check_rollup_marks`) say how far each resolution is done, so a pass picks up
 * where the last one stopped, on any node, and a repeated pass rewrites the same rows.
 *
 * A minute is rolled up `lagMs` after it ends: a probe's result is stamped with its start and
 * written when it finishes (up to its timeout later). Every pass does a bounded amount.
 */
export class CheckRollupsService {
  private idleUntil = 0;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      retention: CheckRetention;
      lagMs?: number;
      /** Minutes rolled up per pass at most. */
      minutesPerPass?: number;
    },
  ) {}

  /** One pass: roll up, then delete what is past retention. Returns rows written or deleted. */
  async runDue(now: number): Promise<number> {
    if (now < this.idleUntil) return 0;
    const minutes = await this.rollMinutes(now);
    const hours = await this.rollHours();
    const deleted = await this.cleanup(now);
    const processed = minutes + hours + deleted;
    // Caught up: nothing to do before the next minute is ready.
    if (processed === 0) this.idleUntil = now - (now % minute) + minute + this.lag();
    return processed;
  }

  /** When the next minute can be rolled up. */
  nextDueAt(now: number): number {
    return Math.max(this.idleUntil, now - (now % minute) + minute + this.lag());
  }

  private lag(): number {
    return this.deps.lagMs ?? 2 * minute;
  }

  private async rollMinutes(now: number): Promise<number> {
    const { db } = this.deps;
    const ready = Math.floor((now - this.lag()) / minute) * minute;
    const mark = (await selectRollupMark(db, minute)) ?? -Infinity;
    if (ready <= mark) return 0;
    // Skip empty stretches in one step (a quiet night, a fresh install).
    const first = await selectOldestResultAt(db, Number.isFinite(mark) ? mark : undefined);
    if (first === undefined || first >= ready) {
      await setRollupMark(db, minute, ready);
      return 1;
    }
    const from = Math.max(Number.isFinite(mark) ? mark : 0, first - (first % minute));
    const until = Math.min(ready, from + (this.deps.minutesPerPass ?? 60) * minute);
    const groups = new Map<string, { checkId: string; bucketAt: number; s: LatencySummary }>();
    for (const r of await selectResultsBetween(db, from, until)) {
      const bucketAt = r.at - (r.at % minute);
      const key = `${r.check_id}|${bucketAt}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { checkId: r.check_id, bucketAt, s: emptySummary() }));
      addResult(g.s, r.ok === 1, r.latency_us === null ? null : Number(r.latency_us));
    }
    const rows = [...groups.values()].map((g) => rollupRow(g.checkId, minute, g.bucketAt, g.s));
    await inTransaction(db, async (trx) => {
      await upsertRollups(trx, rows);
      await setRollupMark(trx, minute, until);
    });
    return Math.max(1, rows.length);
  }

  private async rollHours(): Promise<number> {
    const { db } = this.deps;
    const minuteMark = await selectRollupMark(db, minute);
    if (minuteMark === undefined) return 0;
    const ready = minuteMark - (minuteMark % hour);
    const mark = (await selectRollupMark(db, hour)) ?? -Infinity;
    if (ready <= mark) return 0;
    const first = await selectOldestRollupAt(db, minute, Number.isFinite(mark) ? mark : undefined);
    if (first === undefined || first >= ready) {
      await setRollupMark(db, hour, ready);
      return 1;
    }
    const from = Math.max(Number.isFinite(mark) ? mark : 0, first - (first % hour));
    const until = Math.min(ready, from + 24 * hour);
    const groups = new Map<string, { checkId: string; bucketAt: number; s: LatencySummary }>();
    for (const r of await selectRollupsBetween(db, minute, from, until)) {
      const bucketAt = r.bucket_at - (r.bucket_at % hour);
      const key = `${r.check_id}|${bucketAt}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { checkId: r.check_id, bucketAt, s: emptySummary() }));
      mergeSummary(g.s, {
        count: r.count,
        failures: r.failures,
        latencyCount: r.latency_count,
        latencySumUs: Number(r.latency_sum_us),
        latencyMinUs: r.latency_min_us === null ? null : Number(r.latency_min_us),
        latencyMaxUs: r.latency_max_us === null ? null : Number(r.latency_max_us),
        histogram: histogramFromJson(r.histogram_json),
      });
    }
    const rows = [...groups.values()].map((g) => rollupRow(g.checkId, hour, g.bucketAt, g.s));
    await inTransaction(db, async (trx) => {
      await upsertRollups(trx, rows);
      await setRollupMark(trx, hour, until);
    });
    return Math.max(1, rows.length);
  }

  /** Deletes a bounded slice past each retention (raw only once rolled up, minutes likewise). */
  private async cleanup(now: number): Promise<number> {
    const { db, retention } = this.deps;
    let deleted = 0;
    const minuteMark = await selectRollupMark(db, minute);
    const hourMark = await selectRollupMark(db, hour);
    const rawCutoff = Math.min(now - retention.rawMs, minuteMark ?? -Infinity);
    const oldestRaw = await selectOldestResultAt(db);
    if (oldestRaw !== undefined && oldestRaw < rawCutoff) {
      deleted += await deleteResultsBetween(
        db,
        oldestRaw,
        Math.min(rawCutoff, oldestRaw + 2 * minute),
      );
    }
    const minuteCutoff = Math.min(now - retention.minuteMs, hourMark ?? -Infinity);
    const oldestMinute = await selectOldestRollupAt(db, minute);
    if (oldestMinute !== undefined && oldestMinute < minuteCutoff) {
      deleted += await deleteRollupsBetween(
        db,
        minute,
        oldestMinute,
        Math.min(minuteCutoff, oldestMinute + hour),
      );
    }
    const hourCutoff = now - retention.hourMs;
    const oldestHour = await selectOldestRollupAt(db, hour);
    if (oldestHour !== undefined && oldestHour < hourCutoff) {
      deleted += await deleteRollupsBetween(
        db,
        hour,
        oldestHour,
        Math.min(hourCutoff, oldestHour + 24 * hour),
      );
    }
    deleted += await deletePeriodsEndedBefore(db, hourCutoff);
    return deleted;
  }
}

function rollupRow(
  checkId: string,
  resolutionMs: number,
  bucketAt: number,
  s: LatencySummary,
): NewRow<'check_rollups'> {
  return {
    check_id: checkId,
    resolution_ms: resolutionMs,
    bucket_at: bucketAt,
    count: s.count,
    failures: s.failures,
    latency_count: s.latencyCount,
    latency_sum_us: Math.round(s.latencySumUs),
    latency_min_us: s.latencyMinUs,
    latency_max_us: s.latencyMaxUs,
    histogram_json: histogramToJson(s.histogram),
  };
}
