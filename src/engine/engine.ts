import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import {
  ensureLeases,
  releaseLeases,
  releaseLeasesOfGoneHolders,
  tryAcquireLeases,
  type Database,
  type HolderLiveness,
  type Wakeup,
} from '../db/index.js';
import { createEngineMetrics, type EngineMetrics } from './engine-metrics.js';
import type { EngineContext, EngineModule, ModuleResult } from './engine-module.js';
import { RepeatedErrorLog } from './repeated-errors.js';

export interface EngineOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  modules: EngineModule[];
  registry: Registry;
  /** Cross-node and in-process nudges; optional in tests. */
  wakeup?: Wakeup | undefined;
  tickMs?: number;
  slowCycleMs?: number;
  /** How long a module lease lasts; a pass must finish well within it. */
  leaseTtlMs?: number;
  /** This node's identity in lease rows. */
  holder?: string;
  /**
   * Tells which holders are gone, so a lease a crashed process held mid-cycle is taken over at
   * once rather than after `leaseTtlMs`: `localProcessLiveness` where every holder runs on this
   * host (one server per SQLite file), presence connections on Postgres (`db/presence.ts`).
   * Without it, such a lease waits for its expiry.
   */
  liveness?: HolderLiveness | undefined;
  /** How often, at most, a cycle that could not take some lease asks `liveness` about its holder. */
  livenessCheckMs?: number;
}

/**
 * Holders of the engines built in this process (tests build several on one store): never
 * presumed gone, even after their engine stopped.
 */
const holdersInThisProcess = new Set<string>();

/**
 * Liveness from this host's process table, for holders named `host:pid:token` as engines name
 * themselves. A holder is gone if it is a process of this host that no longer runs: its pid is
 * gone (ESRCH), or it is this process's own pid under a token no engine of this process has (an
 * earlier run in a restarted container, where pids repeat). Only sound where every holder shares
 * this host's pid namespace, i.e. one server per SQLite file.
 */
export const localProcessLiveness: HolderLiveness = {
  selfAlive: () => true,
  gone: async (holders) => new Set(holders.filter(isGoneLocalHolder)),
};

function isGoneLocalHolder(holder: string): boolean {
  const parts = holder.split(':');
  if (parts.length < 3 || holdersInThisProcess.has(holder)) return false;
  const pid = Number(parts.at(-2));
  if (parts.slice(0, -2).join(':') !== hostname() || !Number.isInteger(pid) || pid <= 0)
    return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Outcome of one cycle, per module. */
export interface CycleReport {
  startedAt: number;
  durationMs: number;
  modules: Array<{ name: string; ran: boolean; processed: number; error?: string }>;
}

/**
 * The one loop (DESIGN.md "engine"): on every tick, and at once when triggered, it runs each
 * module in a fixed order. Each module runs under its own lease row, so across several nodes on
 * one Postgres a module runs on at most one node at a time, while different modules may run on
 * different nodes. A cycle takes the leases it can in one statement, renews those it still needs
 * when half the TTL has gone, and gives them all back in one statement at its end (three writes a
 * cycle, not three per module: under load the engine wakes for every ingest group). A module that throws is logged and counted; the others still run.
 *
 * The only `setTimeout` here is the loop's own tick: business timers are `*_at` columns that
 * modules read, so a restart loses none of them.
 */
export class Engine {
  readonly holder: string;
  private readonly tickMs: number;
  private readonly slowCycleMs: number;
  private readonly leaseTtlMs: number;
  private readonly metrics: EngineMetrics;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CycleReport> | undefined;
  private rerun = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  private lastCycleEndedAt: number | undefined;
  private leaseRowsReady = false;
  /** performance.now() before which no liveness check is made (the first cycle always checks). */
  private nextLivenessCheckAt = 0;
  private selfAliveLost = false;
  private readonly livenessCheckMs: number;
  /** Failures logged once a minute while they repeat (a store outage), and their recovery. */
  private readonly errors: RepeatedErrorLog;

  constructor(private readonly options: EngineOptions) {
    this.errors = new RepeatedErrorLog(options.logger, options.clock);
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomToken(6)}`;
    holdersInThisProcess.add(this.holder);
    this.tickMs = options.tickMs ?? 1000;
    this.slowCycleMs = options.slowCycleMs ?? 2000;
    this.leaseTtlMs = options.leaseTtlMs ?? 60_000;
    this.livenessCheckMs = options.livenessCheckMs ?? 2000;
    this.metrics = createEngineMetrics(options.registry);
    for (const module of options.modules) module.registerMetrics?.(options.registry);
  }

  /** Module names in run order. */
  get moduleNames(): string[] {
    return this.options.modules.map((m) => m.name);
  }

  /** Wall-clock time of the last finished cycle (for /readyz), if any. */
  get lastCycleAt(): number | undefined {
    return this.lastCycleEndedAt;
  }

  /** Starts ticking and listening for triggers. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.options.wakeup?.subscribe(() => this.trigger());
    this.schedule(0);
  }

  /** Asks for a cycle as soon as possible (coalesced with one already running). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops ticking, waits for the cycle in flight, releases nothing it does not hold. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await this.running.catch(() => undefined);
  }

  /**
   * Runs every module once, in order. Safe to call directly (tests, CLI); concurrent calls share
   * the cycle in flight.
   */
  runCycle(): Promise<CycleReport> {
    if (this.running) return this.running;
    this.running = this.cycle().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Runs cycles until no module reports work (or `maxCycles`), for tests and the harness: after a
   * fast-forward of the clock, everything due is done when this returns.
   */
  async runUntilIdle(maxCycles = 100): Promise<CycleReport[]> {
    const reports: CycleReport[] = [];
    for (let i = 0; i < maxCycles; i++) {
      const report = await this.runCycle();
      reports.push(report);
      if (report.modules.every((m) => m.processed === 0)) return reports;
    }
    throw new Error(`engine still busy after ${maxCycles} cycles`);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runCycle().then(
        (report) => {
          // A module that did work may have more due (it works in bounded batches): go again at
          // once rather than after a tick, so a backlog drains at full speed. A module that
          // failed is not "busy", whatever it reports: its due rows are likely what broke it,
          // so it waits for the tick (see untilNextDue) instead of failing hundreds of times a second.
          const failed = new Set(report.modules.filter((m) => m.error).map((m) => m.name));
          const busy = report.modules.some((m) => m.processed > 0 && !failed.has(m.name));
          const again = this.rerun || busy;
          this.rerun = false;
          if (again) this.schedule(0);
          else void this.untilNextDue(failed).then((ms) => this.schedule(ms));
        },
        () => this.schedule(this.tickMs),
      );
    }, delayMs);
    this.timer.unref?.();
  }

  /**
   * Milliseconds until the earliest row any module reports due, at most one tick. Modules that
   * failed in the last cycle (`failed`) are not asked: a row due now that makes its module throw
   * would otherwise wake the engine at once, again and again.
   */
  private async untilNextDue(failed: ReadonlySet<string> = new Set()): Promise<number> {
    const { db, clock, logger } = this.options;
    const ctx: EngineContext = { db, clock, logger, now: clock.now() };
    let wait = this.tickMs;
    let allTold = true;
    for (const module of this.options.modules) {
      if (!module.nextDueAt || failed.has(module.name)) continue;
      try {
        const at = await module.nextDueAt(ctx);
        if (at !== undefined) wait = Math.min(wait, Math.max(0, at - ctx.now));
      } catch (err) {
        allTold = false;
        this.errors.error(
          'next-due',
          err,
          { module: module.name },
          'engine module could not tell its next due time',
        );
      }
    }
    if (allTold) this.errors.ok('next-due', {}, 'engine modules tell their next due time again');
    return wait;
  }

  private async cycle(): Promise<CycleReport> {
    const { clock, logger, db } = this.options;
    const started = performance.now();
    const now = clock.now();
    const ctx: EngineContext = { db, clock, logger, now };
    const report: CycleReport = { startedAt: now, durationMs: 0, modules: [] };
    const names = this.options.modules.map((m) => m.name);
    let held = new Set<string>();
    let leasedAt = clock.now();
    try {
      if (!this.leaseRowsReady) {
        await ensureLeases(db, names);
        this.leaseRowsReady = true;
      }
      if (this.options.liveness?.selfAlive() === false) {
        // Others may judge this node gone and take its leases: take none until it is back.
        if (!this.selfAliveLost)
          logger.warn('engine takes no module leases while its presence connection is down');
        this.selfAliveLost = true;
        for (const module of this.options.modules)
          report.modules.push({ name: module.name, ran: false, processed: 0 });
        return this.finish(report, started);
      }
      this.selfAliveLost = false;
      held = await tryAcquireLeases(db, names, this.holder, leasedAt, this.leaseTtlMs);
      this.errors.ok('leases', {}, 'engine takes the module leases again');
    } catch (err) {
      this.errors.error('leases', err, {}, 'engine could not take the module leases');
      for (const module of this.options.modules) {
        this.metrics.moduleErrors.inc({ module: module.name });
        report.modules.push({ name: module.name, ran: false, processed: 0, error: String(err) });
      }
      return this.finish(report, started);
    }
    if (held.size < names.length) await this.takeLeasesOfGoneHolders(names, held, now);
    try {
      for (const [i, module] of this.options.modules.entries()) {
        if (held.has(module.name) && clock.now() - leasedAt > this.leaseTtlMs / 2) {
          // A long cycle: renew what is still to run before it can expire.
          const rest = names.slice(i).filter((n) => held.has(n));
          leasedAt = clock.now();
          const renewed = await tryAcquireLeases(
            db,
            rest,
            this.holder,
            leasedAt,
            this.leaseTtlMs,
          ).catch((err: unknown) => {
            logger.error({ err }, 'engine could not renew the module leases');
            return new Set<string>();
          });
          for (const n of rest) if (!renewed.has(n)) held.delete(n);
        }
        const leased = held.has(module.name) && this.options.liveness?.selfAlive() !== false;
        report.modules.push(await this.runModule(module, ctx, leased));
      }
    } finally {
      await releaseLeases(db, [...held], this.holder).then(
        () => this.errors.ok('release', {}, 'engine releases the module leases again'),
        (err: unknown) =>
          this.errors.error('release', err, {}, 'engine could not release the module leases'),
      );
    }
    return this.finish(report, started);
  }

  /**
   * Frees and takes the leases among `names` not in `held` whose holder `liveness` says is gone
   * (a process that died mid-cycle), adding them to `held`. At most every `livenessCheckMs`.
   */
  private async takeLeasesOfGoneHolders(
    names: string[],
    held: Set<string>,
    now: number,
  ): Promise<void> {
    const { liveness, db, logger, clock } = this.options;
    if (!liveness || performance.now() < this.nextLivenessCheckAt) return;
    this.nextLivenessCheckAt = performance.now() + this.livenessCheckMs;
    try {
      const others = names.filter((n) => !held.has(n));
      const freed = await releaseLeasesOfGoneHolders(db, others, now, liveness);
      if (freed.length === 0) return;
      logger.warn(
        { modules: freed },
        'took over module leases of a process that stopped mid-cycle',
      );
      const taken = await tryAcquireLeases(db, freed, this.holder, clock.now(), this.leaseTtlMs);
      for (const n of taken) {
        held.add(n);
        this.metrics.leaseTakeovers.inc({ module: n });
      }
    } catch (err) {
      logger.error({ err }, 'engine could not check whether lease holders are gone');
    }
  }

  private finish(report: CycleReport, started: number): CycleReport {
    const { logger } = this.options;
    report.durationMs = performance.now() - started;
    this.metrics.cycleSeconds.observe(report.durationMs / 1000);
    this.lastCycleEndedAt = Date.now();
    if (report.durationMs > this.slowCycleMs) {
      logger.warn(
        { durationMs: Math.round(report.durationMs), modules: report.modules },
        'engine cycle was slow (more than %d ms)',
        this.slowCycleMs,
      );
    }
    return report;
  }

  private async runModule(
    module: EngineModule,
    ctx: EngineContext,
    leased: boolean,
  ): Promise<CycleReport['modules'][number]> {
    if (!leased) {
      this.metrics.moduleSkipped.inc({ module: module.name });
      return { name: module.name, ran: false, processed: 0 };
    }
    const endTimer = this.metrics.moduleSeconds.startTimer({ module: module.name });
    try {
      const result: ModuleResult = await module.runOnce(ctx);
      if (module.countDue)
        this.metrics.moduleDue.set({ module: module.name }, await module.countDue(ctx));
      this.errors.ok(`module:${module.name}`, { module: module.name }, 'engine module recovered');
      return { name: module.name, ran: true, processed: result.processed };
    } catch (err) {
      // Containment: one module's failure is logged and counted; the cycle goes on. The same
      // error again (the store is down) is logged once a minute, with a count of the rest.
      this.metrics.moduleErrors.inc({ module: module.name });
      this.errors.error(
        `module:${module.name}`,
        err,
        { module: module.name },
        'engine module failed',
      );
      return {
        name: module.name,
        ran: true,
        processed: 0,
        error: err instanceof Error ? err.message : String(err),
      };
    } finally {
      endTimer();
    }
  }
}
