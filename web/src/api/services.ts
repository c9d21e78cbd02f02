import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { ListResponse, Service, UpdateServiceRequest } from './types';

/** Services of the teams the caller can read. */
export function useServices() {
  return useQuery({
    queryKey: queryKeys.services,
    queryFn: ({ signal }) => api.get<ListResponse<Service>>('/api/services', { signal }),
    select: (res) => res.items,
  });
}

export function useService(serviceId: string) {
  return useQuery({
    queryKey: queryKeys.service(serviceId),
    queryFn: ({ signal }) => api.get<Service>(apiPath`/api/services/${serviceId}`, { signal }),
  });
}

/** Changes a service's description, tags, dependencies or settings (team admins). */
export function useUpdateService(serviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateServiceRequest) =>
      api.patch<Service>(apiPath`/api/services/${serviceId}`, body),
    onSuccess: (service) => {
      queryClient.setQueryData(queryKeys.service(serviceId), service);
      void queryClient.invalidateQueries({ queryKey: queryKeys.services, exact: true });
    },
  });
}
