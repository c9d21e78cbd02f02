import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath, isApiError, notifyUnauthorized, setCsrfToken } from './client';
import { queryKeys } from './query-keys';
import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
  ListResponse,
  LoginRequest,
  LoginResponse,
  MeResponse,
  Session,
} from './types';

export async function fetchMe(signal?: AbortSignal): Promise<MeResponse> {
  const me = await api.get<MeResponse>('/api/auth/me', { signal });
  setCsrfToken(me.csrfToken);
  return me;
}

/** The signed-in user, their memberships and the CSRF token (kept by the client). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) =>
      // A 401 here means wrong credentials, not an expired session.
      api.post<LoginResponse>('/api/auth/login', body, { redirectOnUnauthorized: false }),
    onSuccess: (res) => {
      setCsrfToken(res.csrfToken);
      // Whatever was cached belonged to the previous session.
      queryClient.removeQueries();
    },
  });
}

/** Ends the session. The caller leaves the signed-in pages, then clears the cache. */
export function useLogout() {
  return useMutation({
    mutationFn: () =>
      api.post<void>('/api/auth/logout', undefined, { redirectOnUnauthorized: false }),
    onSettled: () => setCsrfToken(null),
  });
}

/** True for the errors that mean "the current password is wrong" rather than "signed out". */
function isWrongCurrentPassword(err: unknown): boolean {
  return (
    isApiError(err) && (err.field === 'currentPassword' || /CREDENTIAL|PASSWORD/.test(err.code))
  );
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordRequest) =>
      api.post<ChangePasswordResponse>('/api/auth/password', body, {
        redirectOnUnauthorized: false,
      }),
    onSuccess: (res) => {
      // Every other session was revoked; this one was replaced, with a fresh CSRF token.
      setCsrfToken(res.csrfToken);
      void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
    onError: (err) => {
      if (isApiError(err) && err.status === 401 && !isWrongCurrentPassword(err)) {
        notifyUnauthorized();
      }
    },
  });
}

export function useSessions() {
  return useQuery({
    queryKey: queryKeys.sessions,
    queryFn: ({ signal }) => api.get<ListResponse<Session>>('/api/auth/sessions', { signal }),
    select: (res) => res.items,
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api.delete(apiPath`/api/auth/sessions/${sessionId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}
