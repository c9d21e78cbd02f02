import { Histogram, type Registry } from 'prom-client';
import type { CheckRollupsService, CheckRunner, RunStarted } from '../../domains/checks/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * The check runner's metric: how late each probe started against its slot, per kind
 * (`tocsin_check_start_lateness_seconds`). Pass `onStart` to the CheckRunner.
 */
export function createCheckMetrics(registry: Registry): { onStart: (info: RunStarted) => void } {
  const lateness = new Histogram({
    name: 'tocsin_check_start_lateness_seconds',
    help: 'How late a check probe started against its schedule',
    labelNames: ['kind'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return { onStart: (info) => lateness.observe({ kind: info.kind }, info.latenessMs / 1000) };
}

/**
 * Runs checks: claims the probe runs falling due (within the runner's lookahead) and starts
 * each at its slot, outside this pass and outside any transaction, with bounded concurrency;
 * results are recorded as they come in (domains/checks, CheckRunner and CheckRecorder). Also
 * records heartbeats whose deadline passed without a ping. A pass never waits for a probe, so a
 * slow target cannot hold up escalations in the same cycle.
 */
export function runChecksModule(runner: CheckRunner, batch = 500): EngineModule {
  return {
    name: 'run-checks',
    async runOnce(ctx) {
      const r = await runner.dispatchDue(ctx.now, batch);
      return { processed: r.claimed + r.missed };
    },
    countDue(ctx) {
      return runner.countDue(ctx.now);
    },
    nextDueAt(ctx) {
      return runner.nextDueAt(ctx.now);
    },
  };
}

/**
 * Rolls raw check results up into minute and hour summaries and deletes what is past its
 * retention, a bounded slice per pass; idle until the next minute is ready.
 */
export function checkRollupsModule(rollups: CheckRollupsService): EngineModule {
  return {
    name: 'check-rollups',
    async runOnce(ctx) {
      return { processed: await rollups.runDue(ctx.now) };
    },
    nextDueAt(ctx) {
      return Promise.resolve(rollups.nextDueAt(ctx.now));
    },
  };
}
