// The notifications domain's public face: delivery of the outbox, notifier settings, actions
// from where a page landed, and the message types notifiers render.
export {
  channelLabels,
  mintActionLinks,
  NotificationActionsService,
  type ActionResult,
  type ChannelAction,
} from './actions.service.js';
export {
  DeliveryService,
  type DeadLetter,
  type DeliveryAttempt,
  type DeliveryDeps,
  type NotifierHealth,
} from './delivery.service.js';
export {
  backoffMs,
  decideAfterFailure,
  defaultDeliveryPolicy,
  fallbackOrder,
  nextFallbackMethod,
  pageText,
  planBatch,
  rateLimitDecision,
  type DeliveryPolicy,
  type NotificationContent,
  type OutboundMessage,
  type SendOutcome,
} from './notification.js';
export type {
  NotifierCapabilities,
  NotifierCatalog,
  NotifierEntry,
  NotifierPort,
  SecretCipher,
} from './notifier-port.js';
export {
  createNotifierPort,
  invalidNotifierConfig,
  NotifierSettingsService,
  type NotifierSettingsView,
} from './settings.service.js';
export { selectDeliveryMetrics } from './notifications.store.js';
