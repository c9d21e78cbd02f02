import type { AlertQuery, AlertStatus, Severity } from '../../api/types';
import { ALERT_STATUSES, SEVERITIES } from '../../api/types';

export type MutedFilter = 'any' | 'yes' | 'no';

/** The alert list's filters, as kept in the page's URL (so that Back restores them). */
export interface AlertFilters {
  teamId: string;
  serviceId: string;
  status: AlertStatus[];
  severity: Severity[];
  muted: MutedFilter;
  q: string;
}

/** Open alerts: what the list shows when the URL says nothing. */
export const DEFAULT_STATUSES: readonly AlertStatus[] = ['triggered', 'acknowledged'];

function csv<T extends string>(
  value: string | null,
  allowed: readonly T[],
  fallback: readonly T[],
) {
  if (value === null) return [...fallback];
  return value.split(',').filter((v): v is T => (allowed as readonly string[]).includes(v));
}

export function filtersFromParams(params: URLSearchParams): AlertFilters {
  const muted = params.get('muted');
  return {
    teamId: params.get('team') ?? '',
    serviceId: params.get('service') ?? '',
    status: csv(params.get('status'), ALERT_STATUSES, DEFAULT_STATUSES),
    severity: csv(params.get('severity'), SEVERITIES, []),
    muted: muted === 'yes' || muted === 'no' ? muted : 'any',
    q: params.get('q') ?? '',
  };
}

/** The URL parameters for `filters`; defaults are left out. */
export function filtersToParams(filters: AlertFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.teamId) params.set('team', filters.teamId);
  if (filters.serviceId) params.set('service', filters.serviceId);
  const isDefaultStatus =
    filters.status.length === DEFAULT_STATUSES.length &&
    DEFAULT_STATUSES.every((s) => filters.status.includes(s));
  if (!isDefaultStatus) params.set('status', filters.status.join(','));
  if (filters.severity.length) params.set('severity', filters.severity.join(','));
  if (filters.muted !== 'any') params.set('muted', filters.muted);
  if (filters.q) params.set('q', filters.q);
  return params;
}

export function toAlertQuery(filters: AlertFilters): AlertQuery {
  return {
    teamId: filters.teamId || undefined,
    serviceId: filters.serviceId || undefined,
    // Statuses in a fixed order, so that the query key does not depend on click order.
    status: ALERT_STATUSES.filter((s) => filters.status.includes(s)),
    severity: SEVERITIES.filter((s) => filters.severity.includes(s)),
    muted: filters.muted === 'any' ? undefined : filters.muted === 'yes',
    q: filters.q.trim() || undefined,
  };
}
