import type { Row } from '../../db/index.js';

/** triggered → acknowledged → mitigated (service restored, cause unknown) → resolved. */
export const incidentStatuses = ['triggered', 'acknowledged', 'mitigated', 'resolved'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** SEV1 Production System Down, SEV2 Production System Impaired, SEV3 System Impaired. */
export const severities = ['SEV1', 'SEV2', 'SEV3'] as const;
export type Severity = (typeof severities)[number];

/** Where an incident came from. */
export type IncidentSource = 'alert' | 'manual' | 'ticket' | 'slack';

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
  description: string;
  severity: Severity | null;
  priority: string | null;
  businessImpact: string;
  customerImpacting: boolean;
  source: IncidentSource;
  declaredBy: string | null;
  mitigatedAt: number | null;
  mitigatedBy: string | null;
  conferenceUrl: string | null;
  /** The Slack war room, once made (or why it could not be). */
  warRoom: { channelId: string; channelName: string } | { error: string } | null;
  lastUpdateAt: number | null;
  reminderAt: number | null;
  /**
   * When the incident, if still acknowledged, is re-triggered and escalation restarts at level 1:
   * the service's acknowledgement timeout or the end of a snooze. Null: no timer.
   */
  retriggerAt: number | null;
  /** Why `retriggerAt` is set. */
  retriggerReason: RetriggerReason | null;
  /** The end of a snooze (`retriggerAt` when the reason is `snooze`), else null. */
  snoozedUntil: number | null;
}

/** Why an acknowledged incident has a re-trigger timer. */
export type RetriggerReason = 'ack_timeout' | 'snooze';

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
    description: r.description,
    severity: r.severity as Severity | null,
    priority: r.priority,
    businessImpact: r.business_impact,
    customerImpacting: r.customer_impacting === 1,
    source: r.source as IncidentSource,
    declaredBy: r.declared_by,
    mitigatedAt: r.mitigated_at,
    mitigatedBy: r.mitigated_by,
    conferenceUrl: r.conference_url,
    warRoom: r.war_room_json ? (JSON.parse(r.war_room_json) as Incident['warRoom']) : null,
    lastUpdateAt: r.last_update_at,
    reminderAt: r.reminder_at,
    retriggerAt: r.retrigger_at,
    retriggerReason: r.retrigger_reason as RetriggerReason | null,
    snoozedUntil: r.retrigger_reason === 'snooze' ? r.retrigger_at : null,
  };
}

/** Minutes of a snooze: a minute to a day (PagerDuty's custom snooze is at most 24 hours). */
export const snoozeMinutes = { min: 1, max: 1440 } as const;

/**
 * A service's acknowledgement timeout in minutes, read from its stored settings JSON (the
 * services domain's `ackTimeoutMinutes`, which validates it on the way in); null when off or
 * not a whole number of minutes in range.
 */
export function ackTimeoutOf(settingsJson: string | null | undefined): number | null {
  if (!settingsJson) return null;
  let v: unknown;
  try {
    v = (JSON.parse(settingsJson) as { ackTimeoutMinutes?: unknown } | null)?.ackTimeoutMinutes;
  } catch {
    return null;
  }
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1440 ? v : null;
}

/** A number of minutes as people say it: `45 min`, `1 h`, `1 h 30 min`. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** An instant for a timeline message, in UTC: `14:20 UTC`, with the date when not `now`'s day. */
export function formatUntil(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10)
    ? time
    : `${iso.slice(0, 10)} ${time}`;
}

/** Defaults of the response columns, for rows built in code before they are stored. */
export const responseDefaults = {
  description: '',
  severity: null,
  priority: null,
  business_impact: '',
  customer_impacting: 0,
  source: 'alert',
  declared_by: null,
  mitigated_at: null,
  mitigated_by: null,
  acknowledged_by_id: null,
  conference_url: null,
  war_room_json: null,
  war_room_channel_id: null,
  last_update_at: null,
  reminder_at: null,
  updated_at: 0,
} as const;

/**
 * Response times of an incident, in milliseconds from its opening: to acknowledge (MTTA's
 * sample), to mitigate (service restored), to resolve (MTTR's sample). Null until reached.
 * An incident mitigated or resolved without an explicit acknowledgement counts as acknowledged
 * then.
 */
export function responseTimes(
  i: Pick<Incident, 'createdAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt'>,
): {
  toAcknowledgeMs: number | null;
  toMitigateMs: number | null;
  toResolveMs: number | null;
} {
  const since = (t: number | null) => (t === null ? null : Math.max(0, t - i.createdAt));
  const ack = i.acknowledgedAt ?? i.mitigatedAt ?? i.resolvedAt;
  return {
    toAcknowledgeMs: since(ack),
    toMitigateMs: since(i.mitigatedAt ?? i.resolvedAt),
    toResolveMs: since(i.resolvedAt),
  };
}

/** Whether a status may move to another (resolved is final; nothing moves backwards). */
export function canMoveTo(from: IncidentStatus, to: IncidentStatus): boolean {
  const order: Record<IncidentStatus, number> = {
    triggered: 0,
    acknowledged: 1,
    mitigated: 2,
    resolved: 3,
  };
  return order[to] > order[from];
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
