import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './query-keys';
import type { ChangeEvent, ListResponse } from './types';

interface ChangesQuery {
  teamId?: string;
  serviceId?: string;
  limit?: number;
}

/** Recent change events (deploys, configuration changes), newest first. */
export function useChanges(query: ChangesQuery) {
  return useQuery({
    queryKey: queryKeys.changes(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<ChangeEvent>>('/api/changes', { query: { ...query }, signal }),
    select: (res) => res.items,
  });
}
