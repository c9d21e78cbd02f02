import { Histogram, type Registry } from 'prom-client';
import type { EscalationService } from '../../domains/oncall/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Runs due escalation steps: resolves who is on call now, creates notification intents once per
 * (incident, level, round, person), schedules the next level. A bounded batch per pass.
 *
 * `tocsin_escalation_lag_seconds`: at each pass that finds a step due, how late the oldest due
 * step is (the pass's now − its `next_at`). The escalation service hands back only a count per
 * pass, so this is the oldest step's lag, not one observation per step.
 */
export function escalateModule(escalation: EscalationService, batch = 200): EngineModule {
  let lag: Histogram | undefined;
  return {
    name: 'escalate',
    registerMetrics(registry: Registry) {
      lag = new Histogram({
        name: 'tocsin_escalation_lag_seconds',
        help: 'How late the oldest due escalation step ran (now - next_at), per pass',
        buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
        registers: [registry],
      });
    },
    async runOnce(ctx) {
      if (lag) {
        const oldest = await escalation.nextDueAt();
        if (oldest !== undefined && oldest <= ctx.now) lag.observe((ctx.now - oldest) / 1000);
      }
      return { processed: await escalation.runDue(ctx.now, batch) };
    },
    countDue(ctx) {
      return escalation.countDue(ctx.now);
    },
    nextDueAt() {
      return escalation.nextDueAt();
    },
  };
}
