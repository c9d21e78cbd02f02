import type {
  AlertRoute,
  AlertStatus,
  IncidentStatus,
  MuteKind,
  Severity,
  Urgency,
} from '../../api/types';
import { SEVERITIES } from '../../api/types';

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'gray',
};

/** Options for a severity `<select>`. */
export const SEVERITY_OPTIONS = SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }));

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Alerts and incidents share three states; incidents also have mitigated (service restored). */
export const STATUS_LABELS: Record<AlertStatus | IncidentStatus, string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

export const STATUS_COLORS: Record<AlertStatus | IncidentStatus, string> = {
  triggered: 'red',
  acknowledged: 'blue',
  mitigated: 'teal',
  resolved: 'green',
};

export const ROUTE_LABELS: Record<AlertRoute, string> = {
  page: 'Page',
  notify: 'Notify',
  record: 'Record',
};

/** What each severity route does, in one line. */
export const ROUTE_EXPLANATIONS: Record<AlertRoute, string> = {
  page: 'Opens an incident and pages whoever is on call.',
  notify:
    'Opens an incident with a 24 h response target and informs the distribution list; wakes nobody.',
  record: 'Stored for trend reports only: no incident, no notification.',
};

export const MUTE_LABELS: Record<MuteKind, string> = {
  silence: 'silence',
  maintenance: 'maintenance',
  inhibition: 'inhibition',
};

/** Where the thing that muted an alert is managed. */
export const MUTE_PATHS: Record<MuteKind, string> = {
  silence: '/alerts/silences',
  maintenance: '/alerts/maintenance',
  inhibition: '/alerts/rules',
};

export const URGENCY_LABELS: Record<Urgency, string> = {
  high: 'High',
  low: 'Low',
};

export const URGENCY_COLORS: Record<Urgency, string> = {
  high: 'red',
  low: 'gray',
};
