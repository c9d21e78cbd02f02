import { countDeadSessions, purgeExpiredAuthRows } from '../../domains/identity/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Housekeeping: deletes dead sessions and login attempts older than the login rate-limit window,
 * a bounded batch per pass.
 */
export function cleanupModule(options: {
  keepLoginAttemptsMs: number;
  batch?: number;
}): EngineModule {
  const batch = options.batch ?? 500;
  return {
    name: 'cleanup',
    async runOnce(ctx) {
      return {
        processed: await purgeExpiredAuthRows(ctx.db, ctx.now, options.keepLoginAttemptsMs, batch),
      };
    },
    countDue(ctx) {
      return countDeadSessions(ctx.db, ctx.now);
    },
  };
}
