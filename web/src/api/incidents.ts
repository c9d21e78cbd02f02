import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { Incident, IncidentDetail, IncidentQuery, ListResponse } from './types';

/** How often the incident views ask for news. */
export const INCIDENTS_REFRESH_MS = 10_000;

/** Incidents matching `query`, newest first. */
export function useIncidents(query: IncidentQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.incidents(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Incident>>('/api/incidents', {
        query: {
          teamId: query.teamId || undefined,
          status: query.status?.length ? query.status.join(',') : undefined,
          limit: query.limit,
        },
        signal,
      }),
    select: (res) => res.items,
    refetchInterval: INCIDENTS_REFRESH_MS,
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** One incident with its alerts and timeline. */
export function useIncident(incidentId: string) {
  return useQuery({
    queryKey: queryKeys.incident(incidentId),
    queryFn: ({ signal }) =>
      api.get<IncidentDetail>(apiPath`/api/incidents/${incidentId}`, { signal }),
    refetchInterval: INCIDENTS_REFRESH_MS,
  });
}

export type IncidentAction = 'acknowledge' | 'resolve';

/** Acknowledges or resolves an incident; resolving also resolves its open alerts. */
export function useIncidentAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ incidentId, action }: { incidentId: string; action: IncidentAction }) =>
      api.post<Incident>(apiPath`/api/incidents/${incidentId}/${action}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}
