import type { AlertsService } from '../../domains/alerts/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Re-judges the muting of a team's open alerts when muting changed: a silence, maintenance
 * window or inhibition rule created, expired, ended or deleted, a window's start or end passing,
 * an inhibition source opening or resolving. Newly muted alerts acknowledge an incident all of
 * whose open alerts are muted; alerts no longer muted are routed again (ADR 0004, addendum
 * 2026-11-22b). Driven by rows (migration 0018), a bounded batch per pass.
 */
export function muteRejudgeModule(alerts: AlertsService, batch = 500): EngineModule {
  return {
    name: 'mute-rejudge',
    async runOnce(ctx) {
      return { processed: await alerts.rejudgeMuting(ctx.now, batch) };
    },
    nextDueAt() {
      return alerts.nextMuteBoundaryAt();
    },
  };
}
