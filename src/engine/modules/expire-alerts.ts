import type { AlertsService } from '../../domains/alerts/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Resolves alerts whose Alertmanager `endsAt` has passed without a fresh firing notice, as
 * Alertmanager itself does, a bounded batch per pass.
 */
export function expireAlertsModule(alerts: AlertsService, batch = 200): EngineModule {
  return {
    name: 'expire-alerts',
    async runOnce(ctx) {
      return { processed: await alerts.expireAlerts(ctx.now, batch) };
    },
  };
}
