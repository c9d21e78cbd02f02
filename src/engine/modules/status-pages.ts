import type {
  StatusPagesService,
  StatusSubscribersService,
} from '../../domains/statuspages/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Status pages: takes due maintenance steps (advance notice, automatic start and end; the timer
 * is `status_events.next_at`), then sends due subscriber notices (`status_notices.next_at`).
 */
export function statusPagesModule(
  pages: StatusPagesService,
  subscribers: StatusSubscribersService,
): EngineModule {
  return {
    name: 'status-pages',
    async runOnce(ctx) {
      const steps = await pages.advanceMaintenance(ctx.now);
      const sent = await subscribers.sendDue(ctx.now);
      return { processed: steps + sent };
    },
    async nextDueAt() {
      const times = [await pages.nextMaintenanceAt(), await subscribers.nextNoticeAt()].filter(
        (t): t is number => t !== undefined,
      );
      return times.length ? Math.min(...times) : undefined;
    },
  };
}
