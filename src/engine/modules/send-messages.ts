import type { DeliveryService } from '../../domains/notifications/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Delivers due outbox messages through the notifiers (retries, rate limits, digests and
 * fallbacks are the delivery service's), then re-renders sent messages whose incident changed
 * (Slack buttons disappear once someone acknowledged). A pass waits for its sends at most
 * `waitMs`; slower ones finish in the background, so the cycle (escalations, other channels)
 * does not wait for a vendor's timeout. `beforePass` lets app/ drop cached
 * notifier settings so a save on another node applies on the next pass.
 */
export function sendMessagesModule(
  delivery: DeliveryService,
  options: { batch?: number; beforePass?: () => void; waitMs?: number } = {},
): EngineModule {
  return {
    name: 'send-messages',
    async runOnce(ctx) {
      options.beforePass?.();
      const sent = await delivery.deliverDue(ctx.now, options.batch ?? 200, options.waitMs);
      const updated = await delivery.refreshSent(ctx.now);
      return { processed: sent + updated };
    },
    nextDueAt(ctx) {
      return delivery.nextDueAt(ctx.db);
    },
  };
}
