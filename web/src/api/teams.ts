import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type {
  ApiKey,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  CreateTeamRequest,
  ListResponse,
  SetMemberRoleResponse,
  Team,
  TeamMember,
  TeamRole,
} from './types';

/** Teams the caller can see (all of them for org admins). */
export function useTeams() {
  return useQuery({
    queryKey: queryKeys.teams,
    queryFn: ({ signal }) => api.get<ListResponse<Team>>('/api/teams', { signal }),
    select: (res) => res.items,
  });
}

export function useTeam(teamId: string) {
  return useQuery({
    queryKey: queryKeys.team(teamId),
    queryFn: ({ signal }) => api.get<Team>(apiPath`/api/teams/${teamId}`, { signal }),
  });
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTeamRequest) => api.post<Team>('/api/teams', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.teams });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

// --- Members ---

/** The members query of one team, for `useQueries` over several teams. */
export function teamMembersQuery(teamId: string) {
  return queryOptions({
    queryKey: queryKeys.teamMembers(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<TeamMember>>(apiPath`/api/teams/${teamId}/members`, { signal }),
  });
}

export function useTeamMembers(teamId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    ...teamMembersQuery(teamId),
    select: (res) => res.items,
    enabled: (options.enabled ?? true) && teamId !== '',
  });
}

/** Adds a member or changes their role (PUT is an upsert). */
export function useSetMemberRole(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: TeamRole }) =>
      api.put<SetMemberRoleResponse>(apiPath`/api/teams/${teamId}/members/${userId}`, { role }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.teamMembers(teamId) });
      // The caller may have changed their own role.
      void queryClient.invalidateQueries({ queryKey: queryKeys.team(teamId), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.teams, exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useRemoveMember(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.delete(apiPath`/api/teams/${teamId}/members/${userId}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.teamMembers(teamId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.team(teamId), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.teams, exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

// --- API keys ---

export function useApiKeys(teamId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.teamApiKeys(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<ApiKey>>(apiPath`/api/teams/${teamId}/api-keys`, { signal }),
    select: (res) => res.items,
    enabled: options.enabled ?? true,
  });
}

export function useCreateApiKey(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyRequest) =>
      api.post<CreateApiKeyResponse>(apiPath`/api/teams/${teamId}/api-keys`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.teamApiKeys(teamId) }),
  });
}

export function useRevokeApiKey(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => api.delete(apiPath`/api/teams/${teamId}/api-keys/${keyId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.teamApiKeys(teamId) }),
  });
}
