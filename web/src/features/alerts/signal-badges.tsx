import { Badge } from '@mantine/core';
import type { AlertStatus, IncidentStatus, MuteReason, Severity, Urgency } from '../../api/types';
import {
  MUTE_LABELS,
  SEVERITY_COLORS,
  SEVERITY_LABELS,
  STATUS_COLORS,
  STATUS_LABELS,
  URGENCY_COLORS,
  URGENCY_LABELS,
} from './signal-labels';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge color={SEVERITY_COLORS[severity] ?? 'gray'} variant="filled" autoContrast>
      {SEVERITY_LABELS[severity] ?? severity}
    </Badge>
  );
}

/** The state of an alert or an incident. */
export function StatusBadge({ status }: { status: AlertStatus | IncidentStatus }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light">
      {STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

export function MutedBadge({ muted }: { muted: MuteReason }) {
  return (
    <Badge color="grape" variant="outline" style={{ textTransform: 'none' }}>
      muted: {MUTE_LABELS[muted.kind] ?? muted.kind}
    </Badge>
  );
}

export function SuppressedBadge() {
  return (
    <Badge color="gray" variant="outline" style={{ textTransform: 'none' }}>
      suppressed
    </Badge>
  );
}

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return (
    <Badge color={URGENCY_COLORS[urgency] ?? 'gray'} variant="outline">
      {URGENCY_LABELS[urgency] ?? urgency}
    </Badge>
  );
}
