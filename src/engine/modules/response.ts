import type { ResponseService, RetryingWarRoomPort } from '../../domains/response/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Reminds incident commanders when no stakeholder update was posted for the severity's interval
 * (SEV1: 30 minutes by default). The timer is the incident's `reminder_at` column.
 */
export function updateRemindersModule(response: ResponseService): EngineModule {
  return {
    name: 'update-reminders',
    async runOnce(ctx) {
      return { processed: await response.remindDue(ctx.now) };
    },
    nextDueAt(ctx) {
      return response.nextReminderAt(ctx.db);
    },
  };
}

/**
 * Opens Slack war rooms for open SEV1/SEV2 incidents (configurable) that have none yet, retrying
 * transient failures with backoff (the incident's `war_room_due_at` column). A pass waits for
 * Slack at most `waitMs` (`TOCSIN_NOTIFY_CYCLE_WAIT_MS`); slower rooms finish in the background
 * (the app drains them on stop), so a slow Slack cannot hold up the modules after this one, nor
 * the next cycle's escalations.
 */
export function warRoomsModule(
  response: ResponseService,
  port: RetryingWarRoomPort,
  options: { waitMs?: number } = {},
): EngineModule {
  return {
    name: 'war-rooms',
    async runOnce(ctx) {
      const processed = await response.openDueWarRooms(port, ctx.now, {
        waitMs: options.waitMs,
        logger: ctx.logger,
      });
      return { processed };
    },
  };
}
