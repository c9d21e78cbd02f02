// The incidents domain's public face (the minimal incident the signals work opens and joins).
export {
  acknowledgeIncidentIn,
  addTimelineEntry,
  addTimelineEntryOnce,
  IncidentsService,
  loadIncident,
  lockIncidentIn,
  createIncidentIn,
  mitigateIncidentIn,
  resolveIncidentIn,
  updateIncidentIn,
  type RetriggerIn,
} from './incidents.service.js';
export { snoozeSchema, type SnoozeInput } from './incidents.schema.js';
export { AlertIncidents, IncidentResolvedMeanwhile } from './alert-incidents.js';
export {
  canMoveTo,
  incidentStatuses,
  responseTimes,
  severities,
  type IncidentSource,
  type Severity,
  type Incident,
  type IncidentStatus,
  type RetriggerReason,
  type TimelineEntry,
  type Urgency,
} from './incident.js';
