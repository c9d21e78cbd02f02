// The on-call domain's public face: schedules, escalation, personal notification settings.
export { CalendarService, type CalendarFeed } from './calendar.service.js';
export {
  EscalationService,
  pageUsers,
  policyTeamOf,
  startEscalation,
  type EscalationState,
} from './escalation.service.js';
export {
  isExhausted,
  nextStep,
  pageKey,
  resolveTargets,
  type EscalationLevel,
  type EscalationPolicy,
  type EscalationTarget,
} from './escalation.js';
export {
  NotificationPrefsService,
  queueUpdateMessages,
  type ContactMethod,
  type Deliver,
  type InAppNotification,
  type NotificationRule,
} from './notify-prefs.service.js';
export { queueDistributionList } from './low-urgency.js';
export * from './oncall.schema.js';
export { retriggerIncidentIn } from './retrigger.js';
export {
  finalShifts,
  layerShifts,
  nextShiftsOf,
  whoIsOnCall,
  type Layer,
  type Override,
  type Restriction,
  type Rotation,
  type ScheduleDefinition,
  type Shift,
} from './schedule.js';
export {
  loadScheduleDefinition,
  onCallAt,
  SchedulesService,
  type Schedule,
} from './schedules.service.js';
export { isValidTimeZone, localIso } from './time-zone.js';
