import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import { inTransaction, type Database, type NewRow, type RowUpdate } from '../../db/index.js';
import type { IntegrationRef, NormalizedEvent } from '../alerts/index.js';
import {
  certEvent,
  deadlineAfterMiss,
  deadlineAfterPing,
  decideOnResult,
  downEvent,
  upEvent,
} from './check.js';
import { forEvent, integrationOf, scheduleOf, streakOf, thresholdsOf } from './check-rows.js';
import {
  endOpenPeriod,
  insertPeriod,
  insertResults,
  selectChecksByIds,
  updateCheckRow,
  type CheckRow,
} from './checks.store.js';
import type { ProbeResult } from './prober.js';

/** Something that happened to a check and moves its state. */
export type Observation =
  | { type: 'probe'; checkId: string; at: number; scheduledAt: number; result: ProbeResult }
  | { type: 'ping'; checkId: string; at: number; ok: boolean; message: string | null }
  | { type: 'miss'; checkId: string; deadline: number };

/** The alert pipeline, as the checks domain calls it. */
export type CheckIngest = (
  integration: IntegrationRef,
  events: NormalizedEvent[],
) => Promise<unknown>;

interface Waiting {
  obs: Observation;
  resolve: (applied: boolean) => void;
}

class VersionConflict extends Error {}

const batchMax = 200;

/**
 * The one writer of check results and state. Observations (a probe's result, a heartbeat ping,
 * a missed deadline) queue here and are written in batches: one transaction — one fsync on
 * SQLite — for all that arrived within `lingerMs`, each caller answered after the commit.
 *
 * Per batch: read the checks, apply each observation in order with the pure `decideOnResult`,
 * send the alert events of confirmed changes to the pipeline FIRST, then commit results, state
 * and outage periods. A crash between the two re-sends the event on the next result, and the
 * pipeline deduplicates it by `check:<id>`; the other order could lose an alert. If the pipeline
 * refuses, that check's observations are dropped from the batch (its state does not move
 * without its alert), and the next result tries again. Writes are guarded by the row's version,
 * so another node's writer or an edit in between makes the batch re-read and re-apply.
 */
export class CheckRecorder {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      logger: Logger;
      ingest: CheckIngest;
      /** How long an observation waits for others to share its transaction. */
      lingerMs?: number;
    },
  ) {}

  /** Queues observations; resolves with whether each was applied, after its commit. */
  record(observations: Observation[]): Promise<boolean[]> {
    const promises = observations.map(
      (obs) => new Promise<boolean>((resolve) => this.queue.push({ obs, resolve })),
    );
    const all = Promise.all(promises);
    if (promises.length > 0) this.tail = all;
    this.kick();
    return all;
  }

  /**
   * Resolves once everything queued so far is written (tests, shutdown). Written in order, so
   * the last observation queued being written means all before it are; what arrives meanwhile
   * is not waited for (under steady load the queue is never empty).
   */
  async settle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.startFlush();
    }
    await this.tail;
  }

  private kick(): void {
    if (this.flushing || this.timer) return;
    const linger = this.deps.lingerMs ?? 0;
    if (linger <= 0) {
      this.startFlush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startFlush();
    }, linger);
    this.timer.unref?.();
  }

  private startFlush(): void {
    if (this.flushing) return;
    this.flushing = this.flushAll().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, batchMax);
      let applied: boolean[] = batch.map(() => false);
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          applied = await this.write(batch.map((w) => w.obs));
          break;
        } catch (err) {
          if (err instanceof VersionConflict && attempt < 3) continue;
          this.deps.logger.error({ err }, 'check results could not be recorded');
          break;
        }
      }
      batch.forEach((w, i) => w.resolve(applied[i]!));
    }
  }

  private async write(observations: Observation[]): Promise<boolean[]> {
    const { db } = this.deps;
    const ids = [...new Set(observations.map((o) => o.checkId))];
    const rows = new Map((await selectChecksByIds(db, ids)).map((r) => [r.id, r]));
    interface Work {
      original: CheckRow;
      row: CheckRow;
      results: NewRow<'check_results'>[];
      opened: Array<{ since: number; cause: string | null }>;
      closedAt: number[];
      events: NormalizedEvent[];
      indexes: number[];
    }
    const work = new Map<string, Work>();
    const applied = observations.map(() => false);

    observations.forEach((obs, index) => {
      const original = rows.get(obs.checkId);
      if (!original || original.enabled !== 1) return; // deleted or paused meanwhile
      let w = work.get(obs.checkId);
      if (!w) {
        w = {
          original,
          row: { ...original },
          results: [],
          opened: [],
          closedAt: [],
          events: [],
          indexes: [],
        };
        work.set(obs.checkId, w);
      }
      const row = w.row;
      let at: number;
      let ok: boolean;
      let error: string | null;
      let latencyUs: number | null = null;
      let scheduledAt: number | null = null;
      let details: Record<string, unknown> | null = null;
      if (obs.type === 'miss') {
        // A ping (or an earlier pass) moved the deadline since this miss was seen: nothing missed.
        if (row.next_run_at !== obs.deadline) return;
        at = obs.deadline;
        ok = false;
        error =
          row.last_ping_at === null
            ? 'no ping received'
            : `no ping since ${new Date(row.last_ping_at).toISOString()}`;
        row.next_run_at = deadlineAfterMiss(scheduleOf(row), obs.deadline);
      } else if (obs.type === 'ping') {
        at = obs.at;
        ok = obs.ok;
        error = obs.ok ? null : (obs.message ?? 'the job reported a failure');
        row.last_ping_at = at;
        row.next_run_at = deadlineAfterPing(scheduleOf(row), at);
        if (obs.message) details = { message: obs.message };
      } else {
        at = obs.at;
        ok = obs.result.ok;
        error = obs.result.ok ? null : (obs.result.error ?? 'failed');
        latencyUs = obs.result.latencyMs === null ? null : Math.round(obs.result.latencyMs * 1000);
        scheduledAt = obs.scheduledAt;
        details = obs.result.details;
        // Only a successful probe says anything about the certificate.
        const warning = obs.result.ok ? obs.result.warning : row.cert_warning;
        if ((warning === null) !== (row.cert_warning === null)) {
          w.events.push(certEvent(forEvent(row), warning));
        }
        row.cert_warning = warning;
      }
      const decision = decideOnResult(streakOf(row), thresholdsOf(row), { at, ok });
      Object.assign(row, {
        state: decision.next.state,
        failures: decision.next.failures,
        failing_since: decision.next.failingSince,
        successes: decision.next.successes,
        passing_since: decision.next.passingSince,
        last_at: at,
        last_ok: ok ? 1 : 0,
        last_latency_us: latencyUs,
        last_error: error === null ? null : error.slice(0, 1000),
      });
      const t = decision.transition;
      if (t?.to === 'down') {
        row.state_changed_at = t.since;
        w.opened.push({ since: t.since, cause: error });
        w.events.push(
          downEvent(forEvent(row), { since: t.since, failures: decision.next.failures, error }),
        );
      } else if (t?.to === 'up') {
        row.state_changed_at = t.since;
        w.closedAt.push(t.since);
        w.events.push(upEvent(forEvent(row), 'is up again'));
      } else if (t?.to === 'first-up') {
        row.state_changed_at = at;
      }
      w.results.push({
        check_id: row.id,
        at,
        scheduled_at: scheduledAt,
        ok: ok ? 1 : 0,
        latency_us: latencyUs,
        error: error === null ? null : error.slice(0, 1000),
        details_json: details === null ? null : JSON.stringify(details).slice(0, 8000),
      });
      w.indexes.push(index);
    });

    // Alerts first (see the class comment); a check whose events fail stays where it was.
    for (const [id, w] of work) {
      if (w.events.length === 0) continue;
      try {
        await this.deps.ingest(integrationOf(w.original), w.events);
      } catch (err) {
        this.deps.logger.error({ err, checkId: id }, 'check alert not accepted; state unchanged');
        work.delete(id);
      }
    }

    await inTransaction(db, async (trx) => {
      for (const w of work.values()) {
        const r = w.row;
        const set: RowUpdate<'checks'> = {
          state: r.state,
          state_changed_at: r.state_changed_at,
          failures: r.failures,
          failing_since: r.failing_since,
          successes: r.successes,
          passing_since: r.passing_since,
          cert_warning: r.cert_warning,
          last_at: r.last_at,
          last_ok: r.last_ok,
          last_latency_us: r.last_latency_us,
          last_error: r.last_error,
          last_ping_at: r.last_ping_at,
        };
        // Probes' next_run_at was moved when the run was claimed; only heartbeats move it here.
        if (r.kind === 'heartbeat') set.next_run_at = r.next_run_at;
        if (!(await updateCheckRow(trx, r.id, set, w.original.version)))
          throw new VersionConflict();
        // Opens and closes alternate in time order; replay them so one batch holding a whole
        // outage (down, then up) leaves a closed period.
        const marks = [
          ...w.opened.map((o) => ({ at: o.since, open: o })),
          ...w.closedAt.map((at) => ({ at, open: undefined })),
        ].sort((a, b) => a.at - b.at);
        for (const m of marks) {
          if (m.open) {
            await insertPeriod(trx, {
              id: newId(),
              check_id: r.id,
              kind: 'down',
              started_at: m.open.since,
              ended_at: null,
              cause: m.open.cause?.slice(0, 1000) ?? null,
            });
          } else {
            await endOpenPeriod(trx, r.id, 'down', m.at);
          }
        }
      }
      await insertResults(
        trx,
        [...work.values()].flatMap((w) => w.results),
      );
    });
    for (const w of work.values()) for (const i of w.indexes) applied[i] = true;
    return applied;
  }
}
