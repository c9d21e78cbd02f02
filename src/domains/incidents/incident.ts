import type { Row } from '../../db/index.js';

export const incidentStatuses = ['triggered', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** high: pages on-call; low: a response target (24 h), wakes nobody. */
export type Urgency = 'high' | 'low';

/** An incident as the signals work opens it; the incidents work adds severity, roles and more. */
export interface Incident {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  teamId: string;
  status: IncidentStatus;
  urgency: Urgency;
  groupKey: string | null;
  responseDueAt: number | null;
  alertCount: number;
  createdAt: number;
  lastAlertAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

export interface TimelineEntry {
  id: string;
  incidentId: string;
  at: number;
  kind: string;
  actorName: string;
  message: string;
  data: unknown;
}

export function toIncident(r: Row<'incidents'>): Incident {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    serviceId: r.service_id,
    teamId: r.team_id,
    status: r.status as IncidentStatus,
    urgency: r.urgency as Urgency,
    groupKey: r.group_key,
    responseDueAt: r.response_due_at,
    alertCount: r.alert_count,
    createdAt: r.created_at,
    lastAlertAt: r.last_alert_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  };
}

export function toTimelineEntry(r: Row<'incident_timeline'>): TimelineEntry {
  return {
    id: r.id,
    incidentId: r.incident_id,
    at: r.at,
    kind: r.kind,
    actorName: r.actor_name,
    message: r.message,
    data: r.data_json === null ? null : (JSON.parse(r.data_json) as unknown),
  };
}
