import type {
  IncidentSeverity,
  IncidentStatus,
  IncidentStatusChange,
  ResponseRole,
  ResponseSettings,
  RoleDefinition,
  SeverityDefinition,
} from '../../api/types';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES, RESPONSE_ROLES } from '../../api/types';

export const INCIDENT_SEVERITY_COLORS: Record<IncidentSeverity, string> = {
  SEV1: 'red',
  SEV2: 'orange',
  SEV3: 'yellow',
};

/** The seeds' names, shown until the organisation's settings have loaded. */
const DEFAULT_SEVERITY_NAMES: Record<IncidentSeverity, string> = {
  SEV1: 'Production System Down',
  SEV2: 'Production System Impaired',
  SEV3: 'System Impaired',
};

const DEFAULT_ROLE_NAMES: Record<ResponseRole, string> = {
  commander: 'Incident commander',
  communications: 'Communications lead',
  recovery: 'Recovery team',
  root_cause: 'Root-cause team',
};

/** Roles held by one person; the others are teams. */
export const SINGLE_HOLDER_ROLES: ReadonlySet<ResponseRole> = new Set([
  'commander',
  'communications',
]);

export function isIncidentSeverity(value: unknown): value is IncidentSeverity {
  return (INCIDENT_SEVERITIES as readonly unknown[]).includes(value);
}

/** Every severity with its name and definition, from the settings when they have loaded. */
export function severityDefinitions(settings: ResponseSettings | undefined): SeverityDefinition[] {
  return INCIDENT_SEVERITIES.map(
    (id) =>
      settings?.severities.find((s) => s.id === id) ?? {
        id,
        name: DEFAULT_SEVERITY_NAMES[id],
        description: '',
      },
  );
}

/** Every role with its name, description and checklist template. */
export function roleDefinitions(settings: ResponseSettings | undefined): RoleDefinition[] {
  return RESPONSE_ROLES.map(
    (id) =>
      settings?.roles.find((r) => r.id === id) ?? {
        id,
        name: DEFAULT_ROLE_NAMES[id],
        description: '',
        checklist: [],
      },
  );
}

export function severityName(
  settings: ResponseSettings | undefined,
  severity: IncidentSeverity,
): string {
  return (
    settings?.severities.find((s) => s.id === severity)?.name ?? DEFAULT_SEVERITY_NAMES[severity]
  );
}

/** The status buttons of an incident page, in order, with their keyboard shortcut. */
export const STATUS_ACTIONS: readonly {
  status: IncidentStatusChange;
  label: string;
  shortcut: string;
  color: string;
  /** The statuses this action moves forward from. */
  from: readonly IncidentStatus[];
}[] = [
  {
    status: 'acknowledged',
    label: 'Acknowledge',
    shortcut: 'a',
    color: 'blue',
    from: ['triggered'],
  },
  {
    status: 'mitigated',
    label: 'Mitigated',
    shortcut: 'm',
    color: 'teal',
    from: ['triggered', 'acknowledged'],
  },
  {
    status: 'resolved',
    label: 'Resolve',
    shortcut: 'r',
    color: 'green',
    from: ['triggered', 'acknowledged', 'mitigated'],
  },
];

/** The timeline's filter chips: each a group of entry kinds (`x.*` is a prefix). */
export const TIMELINE_FILTERS: readonly { value: string; label: string; kinds: string[] }[] = [
  { value: 'status', label: 'Status and changes', kinds: ['incident.*'] },
  { value: 'notes', label: 'Notes', kinds: ['note'] },
  { value: 'updates', label: 'Updates', kinds: ['update.*'] },
  { value: 'roles', label: 'Roles and checklists', kinds: ['role.*', 'checklist'] },
  { value: 'alerts', label: 'Alerts', kinds: ['alert.*'] },
  {
    value: 'paging',
    label: 'Paging',
    kinds: ['escalation.*', 'notification.*', 'responders.*'],
  },
  { value: 'chat', label: 'War room and chat', kinds: ['warroom.*', 'chat.*'] },
  { value: 'tickets', label: 'Tickets', kinds: ['ticket.*'] },
];

export const SOURCE_LABELS: Record<string, string> = {
  alert: 'Alert',
  manual: 'Declared by hand',
  ticket: 'Customer ticket',
  slack: 'Slack',
};

/** True for the statuses an incident can have (related incidents and updates carry strings). */
export function isIncidentStatus(status: string): status is IncidentStatus {
  return (INCIDENT_STATUSES as readonly string[]).includes(status);
}
