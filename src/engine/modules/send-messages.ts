import { Counter, Gauge, type Registry } from 'prom-client';
import { selectDeliveryMetrics, type DeliveryService } from '../../domains/notifications/index.js';
import type { EngineContext, EngineModule } from '../engine-module.js';

/** Delivery attempt outcomes → the `outcome` label of `tocsin_notifications_sent_total`. */
const outcomeLabels: Record<string, string> = { sent: 'sent', retry: 'retried', failed: 'failed' };

/**
 * Delivers due outbox messages through the notifiers (retries, rate limits, digests and
 * fallbacks are the delivery service's), then re-renders sent messages whose incident changed
 * (Slack buttons disappear once someone acknowledged). A pass waits for its sends at most
 * `waitMs`; slower ones finish in the background, so the cycle (escalations, other channels)
 * does not wait for a vendor's timeout. `beforePass` lets app/ drop cached
 * notifier settings so a save on another node applies on the next pass.
 *
 * Metrics: after each pass, the delivery attempts recorded since the last pass (sends that
 * finished in the background included) are added to `tocsin_notifications_sent_total{channel,
 * outcome}`, and `tocsin_notifications_pending` is set to the outbox rows due and not yet sent.
 */
export function sendMessagesModule(
  delivery: DeliveryService,
  options: { batch?: number; beforePass?: () => void; waitMs?: number } = {},
): EngineModule {
  let metrics: { sent: Counter<'channel' | 'outcome'>; pending: Gauge } | undefined;
  /** The newest delivery attempt already counted ('' = none yet); undefined before the first pass. */
  let counted: string | undefined;
  /** The backlog as of a pass's `now`, for countDue right after it. */
  let backlog: { now: number; pending: number } | undefined;

  async function measure(ctx: EngineContext): Promise<void> {
    if (!metrics) return;
    const m = await selectDeliveryMetrics(ctx.db, ctx.now, counted);
    for (const o of m.outcomes) {
      const outcome = outcomeLabels[o.outcome];
      if (outcome) metrics.sent.inc({ channel: o.channel, outcome }, o.count);
    }
    counted = m.lastId ?? '';
    backlog = { now: ctx.now, pending: m.pending };
    metrics.pending.set(m.pending);
  }

  return {
    name: 'send-messages',
    registerMetrics(registry: Registry) {
      metrics = {
        sent: new Counter({
          name: 'tocsin_notifications_sent_total',
          help: 'Notification delivery attempts by channel and outcome (sent, failed, retried)',
          labelNames: ['channel', 'outcome'],
          registers: [registry],
        }),
        pending: new Gauge({
          name: 'tocsin_notifications_pending',
          help: 'Outbox messages due and not yet sent (the notification backlog)',
          registers: [registry],
        }),
      };
    },
    async runOnce(ctx) {
      options.beforePass?.();
      // The first pass starts counting from the newest attempt: history is not re-counted.
      if (metrics && counted === undefined) await measure(ctx);
      const sent = await delivery.deliverDue(ctx.now, options.batch ?? 200, options.waitMs);
      const updated = await delivery.refreshSent(ctx.now);
      await measure(ctx);
      return { processed: sent + updated };
    },
    async countDue(ctx) {
      if (backlog?.now === ctx.now) return backlog.pending;
      return (await selectDeliveryMetrics(ctx.db, ctx.now, undefined)).pending;
    },
    nextDueAt(ctx) {
      return delivery.nextDueAt(ctx.db);
    },
  };
}
