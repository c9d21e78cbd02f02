// The engine's public face.
export { Engine, localProcessLiveness, type CycleReport, type EngineOptions } from './engine.js';
export type { EngineContext, EngineModule, ModuleResult } from './engine-module.js';
export { cleanupModule } from './modules/cleanup.js';
export { escalateModule } from './modules/escalate.js';
export { expireAlertsModule } from './modules/expire-alerts.js';
export { muteRejudgeModule } from './modules/mute-rejudge.js';
export { retriggerIncidentsModule } from './modules/retrigger-incidents.js';
export { sendMessagesModule } from './modules/send-messages.js';
export { updateRemindersModule, warRoomsModule } from './modules/response.js';
export { checkRollupsModule, createCheckMetrics, runChecksModule } from './modules/run-checks.js';
export {
  actionItemsModule,
  postmortemDraftsModule,
  serviceReviewsModule,
  weeklyDigestModule,
} from './modules/postmortems.js';
export { statusPagesModule } from './modules/status-pages.js';
