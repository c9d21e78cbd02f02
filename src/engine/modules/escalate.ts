import type { EscalationService } from '../../domains/oncall/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Runs due escalation steps: resolves who is on call now, creates notification intents once per
 * (incident, level, round, person), schedules the next level. A bounded batch per pass.
 */
export function escalateModule(escalation: EscalationService, batch = 200): EngineModule {
  return {
    name: 'escalate',
    async runOnce(ctx) {
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
