import { INCIDENT_SEVERITIES } from '../../api/types';
import type { IncidentSeverity, IncidentStatus } from '../../api/types';

export type IncidentStatusFilter = 'open' | IncidentStatus | 'all';

/** Not resolved yet: triggered, acknowledged or mitigated. */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'mitigated'];

export const STATUS_FILTER_OPTIONS: { value: IncidentStatusFilter; label: string }[] = [
  { value: 'open', label: 'Open (not resolved)' },
  { value: 'triggered', label: 'Triggered' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'mitigated', label: 'Mitigated' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

export function isStatusFilter(value: string): value is IncidentStatusFilter {
  return STATUS_FILTER_OPTIONS.some((o) => o.value === value);
}

/** The statuses to ask for; undefined asks for every status. */
export function statusesOf(filter: IncidentStatusFilter): IncidentStatus[] | undefined {
  if (filter === 'open') return [...OPEN_STATUSES];
  if (filter === 'all') return undefined;
  return [filter];
}

/** Severities from a `SEV1,SEV2` URL parameter, in a fixed order. */
export function severitiesFrom(value: string | null): IncidentSeverity[] {
  const picked = (value ?? '').split(',');
  return INCIDENT_SEVERITIES.filter((s) => picked.includes(s));
}
