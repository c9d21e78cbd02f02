import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { Alert, CreateSilenceRequest, ListResponse, Matcher, Silence } from './types';

/** Silences of one team, or of every team the caller can read; active ones unless asked. */
export function useSilences(query: { teamId?: string; includeExpired: boolean }) {
  return useQuery({
    queryKey: queryKeys.silences(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Silence>>('/api/silences', {
        query: {
          teamId: query.teamId || undefined,
          includeExpired: query.includeExpired ? 'true' : undefined,
        },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function useCreateSilence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSilenceRequest) => api.post<Silence>('/api/silences', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.silencesAll });
      // Matching alerts are muted now.
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}

export function useExpireSilence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (silenceId: string) =>
      api.post<Silence>(apiPath`/api/silences/${silenceId}/expire`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.silencesAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}

/**
 * The open alerts of a team these matchers would mute. A POST used as a query: the caller
 * debounces the matchers, and nothing is asked while there is no team or no matcher.
 */
export function useSilencePreview(teamId: string, matchers: readonly Matcher[]) {
  return useQuery({
    queryKey: queryKeys.silencePreview(teamId, matchers),
    queryFn: ({ signal }) =>
      api.post<ListResponse<Alert>>('/api/silences/preview', { teamId, matchers }, { signal }),
    select: (res) => res.items,
    enabled: teamId !== '' && matchers.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}
