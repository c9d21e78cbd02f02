import type { DeliveryService } from '../../domains/notifications/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Delivers due outbox messages through the notifiers (retries, rate limits, digests and
 * fallbacks are the delivery service's), then re-renders sent messages whose incident changed
 * (Slack buttons disappear once someone acknowledged). `beforePass` lets app/ drop cached
 * notifier settings so a save on another node applies on the next pass.
 */
export function sendMessagesModule(
  delivery: DeliveryService,
  options: { batch?: number; beforePass?: () => void } = {},
): EngineModule {
  return {
    name: 'send-messages',
    async runOnce(ctx) {
      options.beforePass?.();
      const sent = await delivery.deliverDue(ctx.now, options.batch ?? 200);
      const updated = await delivery.refreshSent(ctx.now);
      return { processed: sent + updated };
    },
    nextDueAt(ctx) {
      return delivery.nextDueAt(ctx.db);
    },
  };
}
