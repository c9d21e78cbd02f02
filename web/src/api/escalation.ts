import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { INCIDENTS_REFRESH_MS } from './incidents';
import { queryKeys } from './query-keys';
import type {
  AddRespondersRequest,
  AddRespondersResponse,
  CreateEscalationPolicyRequest,
  EscalationPolicy,
  EscalationState,
  IncidentEscalation,
  ListResponse,
  ReassignIncidentRequest,
  UpdateEscalationPolicyRequest,
} from './types';

/** Escalation policies of one team, or of every team the caller can read. */
export function useEscalationPolicies(teamId?: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.policies(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<EscalationPolicy>>('/api/escalation-policies', {
        query: { teamId: teamId || undefined },
        signal,
      }),
    select: (res) => res.items,
    enabled: options.enabled ?? true,
  });
}

export function useEscalationPolicy(policyId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.policy(policyId),
    queryFn: ({ signal }) =>
      api.get<EscalationPolicy>(apiPath`/api/escalation-policies/${policyId}`, { signal }),
    enabled: (options.enabled ?? true) && policyId !== '',
  });
}

/** Creates a policy (team admins). */
export function useCreateEscalationPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEscalationPolicyRequest) =>
      api.post<EscalationPolicy>('/api/escalation-policies', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.policiesAll }),
  });
}

/** Replaces a policy's name, repeat count and levels (team admins). */
export function useUpdateEscalationPolicy(policyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateEscalationPolicyRequest) =>
      api.put<EscalationPolicy>(apiPath`/api/escalation-policies/${policyId}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.policiesAll }),
  });
}

/** Deletes a policy (team admins). */
export function useDeleteEscalationPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policyId: string) => api.delete(apiPath`/api/escalation-policies/${policyId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.policiesAll }),
  });
}

/** Where an incident's escalation stands, and everyone paged for it. */
export function useIncidentEscalation(incidentId: string) {
  return useQuery({
    queryKey: queryKeys.incidentEscalation(incidentId),
    queryFn: ({ signal }) =>
      api.get<IncidentEscalation>(apiPath`/api/incidents/${incidentId}/escalation`, { signal }),
    refetchInterval: INCIDENTS_REFRESH_MS,
  });
}

/**
 * Pages the next level now instead of after its delay, or level `level` (1-based) when given;
 * an exhausted escalation pages its last level again (responders).
 */
export function useEscalateNow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (to: string | { incidentId: string; level: number }) =>
      typeof to === 'string'
        ? api.post<EscalationState>(apiPath`/api/incidents/${to}/escalate`)
        : api.post<EscalationState>(apiPath`/api/incidents/${to.incidentId}/escalate`, {
            level: to.level,
          }),
    // The escalation and the timeline both changed.
    onSuccess: (_state, to) =>
      queryClient.invalidateQueries({
        queryKey: queryKeys.incident(typeof to === 'string' ? to : to.incidentId),
      }),
  });
}

/** Pages more people for help, with a message (responders). */
export function useAddResponders(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddRespondersRequest) =>
      api.post<AddRespondersResponse>(apiPath`/api/incidents/${incidentId}/responders`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.incident(incidentId) }),
  });
}

/**
 * Reassigns an incident to another policy of its team (escalation restarts at its first level)
 * or to people (paged now; the policy stops escalating). Responders.
 */
export function useReassignIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReassignIncidentRequest) =>
      api.post<EscalationState | null>(apiPath`/api/incidents/${incidentId}/reassign`, body),
    // The incident (with its timeline) and its escalation, all under the incident's key.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.incident(incidentId) }),
  });
}
