import { deliverDueMessages, nextMessageDueAt, type Deliver } from '../../domains/oncall/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Hands due outbox messages to the notifier. Until the notifications work lands, the notifier
 * is the log notifier (app/): it writes each message to the log, and the in-app list shows the
 * intents. Messages for incidents acknowledged or resolved meanwhile are dropped.
 */
export function sendMessagesModule(deliver: Deliver, batch = 200): EngineModule {
  return {
    name: 'send-messages',
    async runOnce(ctx) {
      return { processed: await deliverDueMessages(ctx.db, ctx.now, batch, deliver) };
    },
    nextDueAt(ctx) {
      return nextMessageDueAt(ctx.db);
    },
  };
}
