import type { PostmortemsService, ServiceReviewsService } from '../../domains/postmortems/index.js';
import type { ReportsService } from '../../domains/reports/index.js';
import type { EngineModule } from '../engine-module.js';

/**
 * Drafts the postmortem of every resolved incident whose severity requires one (SEV1/SEV2 by
 * default), however it was resolved (API, Slack, an alert's resolve event). Idempotent: an
 * incident has at most one postmortem (unique incident id).
 */
export function postmortemDraftsModule(postmortems: PostmortemsService): EngineModule {
  return {
    name: 'postmortem-drafts',
    async runOnce(ctx) {
      return { processed: await postmortems.draftDue(ctx.now) };
    },
  };
}

/**
 * Action items: reminds owners when an item is overdue (timer `remind_at`) and polls Jira or
 * GitHub for the state of exported items (timer `sync_at`), mirroring done / won't do back.
 */
export function actionItemsModule(postmortems: PostmortemsService): EngineModule {
  return {
    name: 'action-items',
    async runOnce(ctx) {
      const reminded = await postmortems.remindDue(ctx.now);
      const synced = await postmortems.syncDue(ctx.now);
      return { processed: reminded + synced };
    },
    nextDueAt(ctx) {
      return postmortems.nextTimerAt(ctx.db);
    },
  };
}

/** Burn-in and periodic service reviews: created when due, team admins reminded while overdue. */
export function serviceReviewsModule(reviews: ServiceReviewsService): EngineModule {
  return {
    name: 'service-reviews',
    async runOnce(ctx) {
      return { processed: await reviews.runDue(ctx.now) };
    },
    nextDueAt(ctx) {
      return reviews.nextDueAt(ctx.db);
    },
  };
}

/** The weekly digest to team leads (Monday 08:00 UTC; the next time is a row). */
export function weeklyDigestModule(reports: ReportsService): EngineModule {
  return {
    name: 'weekly-digest',
    async runOnce(ctx) {
      return { processed: await reports.weeklyDigest(ctx.now) };
    },
    nextDueAt() {
      return reports.nextDigestDueAt();
    },
  };
}
