// The incidents domain's public face (the minimal incident the signals work opens and joins).
export {
  acknowledgeIncidentIn,
  addTimelineEntry,
  IncidentsService,
  loadIncident,
  openOrJoinIncident,
  resolveIncidentIn,
} from './incidents.service.js';
export {
  incidentStatuses,
  type Incident,
  type IncidentStatus,
  type TimelineEntry,
  type Urgency,
} from './incident.js';
