import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { CreateMaintenanceRequest, ListResponse, MaintenanceWindow } from './types';

/** Maintenance windows (current and scheduled; ended ones too when asked). */
export function useMaintenanceWindows(query: { teamId?: string; includeEnded: boolean }) {
  return useQuery({
    queryKey: queryKeys.maintenance(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<MaintenanceWindow>>('/api/maintenance-windows', {
        query: {
          teamId: query.teamId || undefined,
          includeEnded: query.includeEnded ? 'true' : undefined,
        },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function useCreateMaintenance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateMaintenanceRequest) =>
      api.post<MaintenanceWindow>('/api/maintenance-windows', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.maintenanceAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}

export function useEndMaintenance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (windowId: string) =>
      api.post<MaintenanceWindow>(apiPath`/api/maintenance-windows/${windowId}/end`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.maintenanceAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}
