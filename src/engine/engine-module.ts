import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';

/** What a module sees on each pass. */
export interface EngineContext {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  /** The cycle's start time: modules judge "due" against this one instant. */
  now: number;
}

/** What a pass did. `processed > 0` means "there may be more": run-until-idle loops on it. */
export interface ModuleResult {
  processed: number;
}

/**
 * One engine module (DESIGN.md convention 4): small, idempotent, batch-oriented. Each pass picks
 * due rows (`WHERE next_at <= now LIMIT n`), acts, and records what it did so a repeated pass is
 * harmless. Modules run in the order the engine lists them, one node at a time per module.
 */
export interface EngineModule {
  name: string;
  runOnce(ctx: EngineContext): Promise<ModuleResult>;
  /** How many rows are due now, for the per-module gauge. */
  countDue?(ctx: EngineContext): Promise<number>;
  /**
   * When this module's next row falls due (epoch ms), if it knows. The engine sleeps until the
   * earliest such instant instead of a whole tick, so a step due in 200 ms runs in about 200 ms.
   */
  nextDueAt?(ctx: EngineContext): Promise<number | undefined>;
  /** Registers the module's own metrics; the engine calls it once, when it is built. */
  registerMetrics?(registry: Registry): void;
}
