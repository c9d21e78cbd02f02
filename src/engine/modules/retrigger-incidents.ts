import type { IncidentsService } from '../../domains/incidents/index.js';
import { retriggerIncidentIn } from '../../domains/oncall/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Re-triggers acknowledged incidents whose timer is due (the service's acknowledgement timeout,
 * or the end of a snooze): back to triggered, escalation restarted at level 1. The timer is the
 * incident's `retrigger_at` column, cleared under the incident's lock in the re-trigger's own
 * transaction, so each timer re-triggers once across passes, nodes and restarts. A bounded batch
 * per pass; listed before `escalate`, which pages level 1 in the same cycle.
 */
export function retriggerIncidentsModule(incidents: IncidentsService, batch = 100): EngineModule {
  return {
    name: 'retrigger-incidents',
    async runOnce(ctx) {
      return { processed: await incidents.retriggerDue(ctx.now, retriggerIncidentIn, batch) };
    },
    countDue(ctx) {
      return incidents.countDueRetriggers(ctx.now);
    },
    nextDueAt() {
      return incidents.nextRetriggerAt();
    },
  };
}
