import { Badge } from '@mantine/core';
import { useResponseSettings } from '../../api/response';
import { INCIDENT_SEVERITY_COLORS, isIncidentSeverity, severityName } from './incident-labels';

/** SEV1/SEV2/SEV3 with the severity's name as a tooltip; "Unclassified" when there is none. */
export function IncidentSeverityBadge({ severity }: { severity: string | null }) {
  const settings = useResponseSettings();
  if (!isIncidentSeverity(severity)) {
    return (
      <Badge color="gray" variant="outline" style={{ textTransform: 'none' }}>
        Unclassified
      </Badge>
    );
  }
  const name = severityName(settings.data, severity);
  return (
    <Badge
      color={INCIDENT_SEVERITY_COLORS[severity]}
      variant="filled"
      autoContrast
      title={`${severity}: ${name}`}
    >
      {severity}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: string | null }) {
  if (!priority) return null;
  return (
    <Badge color="grape" variant="outline" title={`Priority ${priority}`}>
      {priority}
    </Badge>
  );
}
