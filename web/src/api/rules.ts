import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type {
  CreateEventRuleRequest,
  CreateInhibitRuleRequest,
  EventRule,
  InhibitRule,
  ListResponse,
} from './types';

// --- Event rules: rewrite, reroute, suppress or drop events as they arrive ---

/** Event rules of one team, or of every team the caller can read. */
export function useEventRules(teamId?: string) {
  return useQuery({
    queryKey: queryKeys.eventRules(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<EventRule>>('/api/event-rules', {
        query: { teamId: teamId || undefined },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function useCreateEventRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEventRuleRequest) => api.post<EventRule>('/api/event-rules', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.eventRulesAll }),
  });
}

export function useDeleteEventRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => api.delete(apiPath`/api/event-rules/${ruleId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.eventRulesAll }),
  });
}

// --- Inhibition rules: an open source alert mutes matching target alerts ---

export function useInhibitRules(teamId?: string) {
  return useQuery({
    queryKey: queryKeys.inhibitRules(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<InhibitRule>>('/api/inhibit-rules', {
        query: { teamId: teamId || undefined },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function useCreateInhibitRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInhibitRuleRequest) =>
      api.post<InhibitRule>('/api/inhibit-rules', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inhibitRulesAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}

export function useDeleteInhibitRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => api.delete(apiPath`/api/inhibit-rules/${ruleId}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inhibitRulesAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
    },
  });
}
