import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { Alert, AlertDetail, AlertQuery, PaginatedResponse } from './types';

/** How often the alert views ask for news. */
export const ALERTS_REFRESH_MS = 5_000;

/** `GET /api/alerts` query parameters; lists are comma-separated, empty filters left out. */
function alertParams(query: AlertQuery) {
  return {
    teamId: query.teamId || undefined,
    serviceId: query.serviceId || undefined,
    incidentId: query.incidentId || undefined,
    status: query.status?.length ? query.status.join(',') : undefined,
    severity: query.severity?.length ? query.severity.join(',') : undefined,
    muted: query.muted,
    q: query.q?.trim() || undefined,
  };
}

/** Alerts matching `query`, newest first, `limit` at a time; refreshed every few seconds. */
export function useAlerts(query: AlertQuery, limit = 50) {
  return useInfiniteQuery({
    queryKey: queryKeys.alerts(query, limit),
    queryFn: ({ pageParam, signal }) =>
      api.get<PaginatedResponse<Alert>>('/api/alerts', {
        query: { ...alertParams(query), limit, before: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    refetchInterval: ALERTS_REFRESH_MS,
    // Changing a filter keeps the previous rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/** One alert with its raw payload and event history. */
export function useAlert(alertId: string) {
  return useQuery({
    queryKey: queryKeys.alert(alertId),
    queryFn: ({ signal }) => api.get<AlertDetail>(apiPath`/api/alerts/${alertId}`, { signal }),
    refetchInterval: ALERTS_REFRESH_MS,
  });
}

export type AlertAction = 'acknowledge' | 'resolve';

/** Acknowledges or resolves an alert (responders). */
export function useAlertAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ alertId, action }: { alertId: string; action: AlertAction }) =>
      api.post<Alert>(apiPath`/api/alerts/${alertId}/${action}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
      // The alert's incident may have changed with it.
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll });
    },
  });
}
