import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './query-keys';
import type { AuditEntry, PaginatedResponse } from './types';

/** The audit log, newest first, one page of `limit` at a time (org admins only). */
export function useAuditLog(limit = 50) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit(limit),
    queryFn: ({ pageParam, signal }) =>
      api.get<PaginatedResponse<AuditEntry>>('/api/audit', {
        query: { limit, before: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}
