// The alerts domain's public face: normalised events, the ingest port, the pipeline.
export * from './event.js';
export * from './ingest-port.js';
export {
  decideDedup,
  groupKeyOf,
  labelsFingerprint,
  alertStatuses,
  repeatHistoryIntervalMs,
  repeatNote,
  type Alert,
  type AlertStatus,
} from './alert.js';
export {
  AlertsService,
  alertEventsShown,
  type AlertDetail,
  type AlertEvent,
  type ChangeEvent,
} from './alerts.service.js';
export {
  alertQuerySchema,
  createEventRuleSchema,
  type AlertQueryInput,
  type CreateEventRuleInput,
} from './alerts.schema.js';
export {
  applyEventRules,
  matchableFields,
  notifyResponseTargetMs,
  routeBySeverity,
  type EventRule,
  type EventRuleActions,
} from './routing.js';
