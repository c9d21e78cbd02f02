import type { ResponseService, WarRoomPort } from '../../domains/response/index.js';
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

/** Opens Slack war rooms for open SEV1/SEV2 incidents (configurable) that have none yet. */
export function warRoomsModule(response: ResponseService, port: WarRoomPort): EngineModule {
  return {
    name: 'war-rooms',
    async runOnce(ctx) {
      return { processed: await response.openDueWarRooms(port, ctx.now) };
    },
  };
}
