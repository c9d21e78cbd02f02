import type { IncidentStatus } from '../../api/types';

export type IncidentStatusFilter = 'open' | IncidentStatus | 'all';

export const STATUS_FILTER_OPTIONS: { value: IncidentStatusFilter; label: string }[] = [
  { value: 'open', label: 'Open (triggered or acknowledged)' },
  { value: 'triggered', label: 'Triggered' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

export function isStatusFilter(value: string): value is IncidentStatusFilter {
  return STATUS_FILTER_OPTIONS.some((o) => o.value === value);
}

/** The statuses to ask for; undefined asks for every status. */
export function statusesOf(filter: IncidentStatusFilter): IncidentStatus[] | undefined {
  if (filter === 'open') return ['triggered', 'acknowledged'];
  if (filter === 'all') return undefined;
  return [filter];
}
