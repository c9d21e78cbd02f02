import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './query-keys';
import type { ListResponse, Service } from './types';

/** Services of the teams the caller can read. */
export function useServices() {
  return useQuery({
    queryKey: queryKeys.services,
    queryFn: ({ signal }) => api.get<ListResponse<Service>>('/api/services', { signal }),
    select: (res) => res.items,
  });
}
