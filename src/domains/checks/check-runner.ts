import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { inTransaction, type Database } from '../../db/index.js';
import { nextSlot, phaseOffset, type ProbeKind } from './check.js';
import type { CheckRecorder } from './check-recorder.js';
import { openHeaders, type HeaderCipher } from './check-secrets.js';
import {
  claimRun,
  countDueChecks,
  selectDueHeartbeats,
  selectDueProbes,
  selectEarliestRun,
  type CheckRow,
} from './checks.store.js';
import type { CheckProber, ProbeResult, ProbeSpec } from './prober.js';

/** What one engine pass did. */
export interface DispatchReport {
  /** Probe runs claimed (started now, or waiting for their exact start time). */
  claimed: number;
  /** Claimed runs skipped because the previous run of the check is still going. */
  skipped: number;
  /** Missed heartbeat deadlines recorded. */
  missed: number;
}

/** Timing facts of a started run, for metrics. */
export interface RunStarted {
  kind: ProbeKind;
  /** How late the probe started against its slot, ms (negative: never; 0 or more). */
  latenessMs: number;
}

/**
 * Runs due probes with bounded concurrency, outside any transaction, and hands each result to
 * the recorder. The schedule is the `next_run_at` column: an engine pass claims the runs due
 * within `lookaheadMs` (moving each check's `next_run_at` to its next slot in one transaction)
 * and starts each at its slot time. Claiming a little ahead lets one pass a second serve
 * 2,000 checks with start times accurate to the millisecond, instead of an engine cycle per
 * check; what is claimed but not yet started when the process stops is one missed sample,
 * never a double run. Tests use a lookahead of 0 (a fake clock drives no timers).
 */
export class CheckRunner {
  private readonly active = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly waiting = new Map<NodeJS.Timeout, () => void>();
  private readonly controllers = new Set<AbortController>();
  private heartbeatsRetryAt = 0;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      logger: Logger;
      prober: CheckProber;
      recorder: CheckRecorder;
      /** Decrypts HTTP header values for the probe (check-secrets.ts). */
      cipher: HeaderCipher;
      /** Probes in flight (or waiting for their start) at most. */
      concurrency: number;
      /** Claim runs due up to this far ahead; 0 with a fake clock. */
      lookaheadMs: number;
      /** The pool was full and has room again: the engine may claim more now. */
      onCapacity?: () => void;
      /** Each started run (metrics). */
      onStart?: (info: RunStarted) => void;
    },
  ) {}

  /** Probes in flight or waiting for their start time. */
  get inFlight(): number {
    return this.active.size;
  }

  /** Claims and starts due runs, and records missed heartbeat deadlines. */
  async dispatchDue(now: number, batch = 500): Promise<DispatchReport> {
    const { db, concurrency, lookaheadMs } = this.deps;
    const report: DispatchReport = { claimed: 0, skipped: 0, missed: 0 };
    if (this.stopped) return report;
    const free = Math.min(batch, concurrency - this.active.size);
    if (free > 0) {
      const due = await selectDueProbes(db, now + lookaheadMs, free);
      if (due.length > 0) {
        const claimed = await inTransaction(db, async (trx) => {
          const out: Array<{ row: CheckRow; slot: number }> = [];
          for (const row of due) {
            const slot = Number(row.next_run_at);
            const interval = Number(row.interval_ms);
            const next = nextSlot(Math.max(slot, now), interval, phaseOffset(row.id, interval));
            if (await claimRun(trx, row.id, slot, next)) out.push({ row, slot });
          }
          return out;
        });
        for (const { row, slot } of claimed) {
          if (this.active.has(row.id)) report.skipped++;
          else this.start(row, slot);
        }
        report.claimed = claimed.length;
      }
    }
    if (now >= this.heartbeatsRetryAt) {
      const late = await selectDueHeartbeats(db, now, batch);
      if (late.length > 0) {
        const applied = await this.deps.recorder.record(
          late.map((r) => ({ type: 'miss', checkId: r.id, deadline: Number(r.next_run_at) })),
        );
        report.missed = applied.filter(Boolean).length;
        // Not applied (the pipeline refused, the store failed): try again later, not in a loop.
        if (report.missed < late.length) this.heartbeatsRetryAt = now + 10_000;
      }
    }
    return report;
  }

  /**
   * When the engine should look again: just before the earliest probe slot comes within the
   * lookahead (half of it early, so passes stay about lookahead/2 apart), or at the earliest
   * heartbeat deadline. Undefined while the pool is full: `onCapacity` wakes the engine.
   */
  async nextDueAt(now: number): Promise<number | undefined> {
    const { db, lookaheadMs, concurrency } = this.deps;
    const probe = this.active.size < concurrency ? await selectEarliestRun(db, false) : undefined;
    const heartbeat = await selectEarliestRun(db, true);
    const candidates: number[] = [];
    if (probe !== undefined) candidates.push(probe - lookaheadMs / 2);
    // A deadline that could not be recorded is retried after the back-off, not in a loop.
    if (heartbeat !== undefined) candidates.push(Math.max(heartbeat, this.heartbeatsRetryAt, now));
    return candidates.length > 0 ? Math.min(...candidates) : undefined;
  }

  /** How many checks are due now (gauge). */
  countDue(now: number): Promise<number> {
    return countDueChecks(this.deps.db, now);
  }

  /**
   * Waits for the probes started or waiting now, and their recording (tests, shutdown); runs
   * claimed meanwhile are not waited for, so this ends under steady load too.
   */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.deps.recorder.settle();
  }

  /** Drops runs not yet started, aborts running probes, waits for them to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [timer, release] of this.waiting) {
      clearTimeout(timer);
      release();
    }
    this.waiting.clear();
    for (const c of this.controllers) c.abort();
    await this.settle();
  }

  private start(row: CheckRow, slot: number): void {
    const spec: ProbeSpec = {
      checkId: row.id,
      kind: row.kind as ProbeKind,
      config: JSON.parse(row.config_json) as Record<string, unknown>,
      timeoutMs: Number(row.timeout_ms),
      allowPrivate: row.allow_private === 1,
    };
    this.active.add(row.id);
    const delay = slot - this.deps.clock.now();
    const task = new Promise<void>((resolve) => {
      if (delay <= 0) {
        resolve(this.run(spec, slot));
        return;
      }
      // The only in-process timer for checks: the exact start of a run already claimed in the
      // store (see the class comment).
      const timer = setTimeout(() => {
        this.waiting.delete(timer);
        resolve(this.run(spec, slot));
      }, delay);
      this.waiting.set(timer, () => {
        this.active.delete(spec.checkId);
        resolve();
      });
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  private async run(spec: ProbeSpec, slot: number): Promise<void> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const at = this.deps.clock.now();
    this.deps.onStart?.({ kind: spec.kind, latenessMs: Math.max(0, at - slot) });
    let result: ProbeResult;
    try {
      // Header values are decrypted here, so a value that cannot be (a key no longer listed)
      // is this run's failure, not the engine pass's.
      const config = openHeaders(this.deps.cipher, spec.config);
      result = await this.deps.prober.probe({ ...spec, config }, controller.signal);
    } catch (err) {
      result = {
        ok: false,
        latencyMs: null,
        error: err instanceof Error ? err.message : String(err),
        warning: null,
        details: {},
      };
    } finally {
      this.controllers.delete(controller);
    }
    try {
      // A probe cut short by shutdown says nothing about the target.
      if (!controller.signal.aborted) {
        await this.deps.recorder.record([
          { type: 'probe', checkId: spec.checkId, at, scheduledAt: slot, result },
        ]);
      }
    } catch (err) {
      this.deps.logger.error({ err, checkId: spec.checkId }, 'check result not recorded');
    } finally {
      const wasFull = this.active.size >= this.deps.concurrency;
      this.active.delete(spec.checkId);
      if (wasFull && !this.stopped) this.deps.onCapacity?.();
    }
  }
}
