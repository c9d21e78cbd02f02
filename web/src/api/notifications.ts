import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { INCIDENTS_REFRESH_MS } from './incidents';
import { queryKeys } from './query-keys';
import type {
  DeadLetter,
  DeliveryAttempt,
  ListResponse,
  NotifierHealth,
  NotifierId,
  NotifierSettings,
  RotateSecretsResponse,
  SaveNotifierRequest,
  SendOutcome,
} from './types';

/** How often every signed-in page asks whether a notifier is failing. */
export const NOTIFIER_HEALTH_REFRESH_MS = 30_000;

// --- Notifier settings (org admins) ---

/** Every notifier with its settings; secrets only as "set" (org admins). */
export function useNotifiers() {
  return useQuery({
    queryKey: queryKeys.notifiers,
    queryFn: ({ signal }) => api.get<ListResponse<NotifierSettings>>('/api/notifiers', { signal }),
    select: (res) => res.items,
  });
}

/** Saves a notifier's settings; an empty secret keeps the stored one (org admins). */
export function useSaveNotifier() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ notifierId, ...body }: SaveNotifierRequest & { notifierId: NotifierId }) =>
      api.put<NotifierSettings>(apiPath`/api/notifiers/${notifierId}`, body),
    // Also refreshes the health banner: a fixed notifier may be healthy again.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifiers }),
  });
}

/** Sends a test message through a notifier now; the outcome says what the provider answered. */
export function useTestNotifier() {
  return useMutation({
    mutationFn: ({ notifierId, to }: { notifierId: NotifierId; to: string }) =>
      api.post<SendOutcome>(apiPath`/api/notifiers/${notifierId}/test`, { to }),
  });
}

/** Re-encrypts every stored secret with the current (first) key (org admins). */
export function useRotateSecrets() {
  return useMutation({
    mutationFn: () => api.post<RotateSecretsResponse>('/api/notifiers/rotate-secrets'),
  });
}

/** Every notifier's health, for the outage banner (any signed-in user). */
export function useNotifierHealth() {
  return useQuery({
    queryKey: queryKeys.notifierHealth,
    queryFn: ({ signal }) =>
      api.get<ListResponse<NotifierHealth>>('/api/notifiers/health', { signal }),
    select: (res) => res.items,
    refetchInterval: NOTIFIER_HEALTH_REFRESH_MS,
  });
}

// --- Delivery logs ---

/** Everything that happened to an incident's messages, newest first; refreshed with it. */
export function useIncidentDeliveries(incidentId: string) {
  return useQuery({
    queryKey: queryKeys.incidentDeliveries(incidentId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<DeliveryAttempt>>(apiPath`/api/incidents/${incidentId}/deliveries`, {
        signal,
      }),
    select: (res) => res.items,
    refetchInterval: INCIDENTS_REFRESH_MS,
  });
}

/** Everything that happened to messages sent to the signed-in user, newest first. */
export function useMyDeliveries() {
  return useQuery({
    queryKey: queryKeys.myDeliveries,
    queryFn: ({ signal }) =>
      api.get<ListResponse<DeliveryAttempt>>('/api/users/me/deliveries', { signal }),
    select: (res) => res.items,
    refetchInterval: INCIDENTS_REFRESH_MS,
  });
}

/** Messages that failed for good (org admins). */
export function useDeadLetters() {
  return useQuery({
    queryKey: queryKeys.deadLetters,
    queryFn: ({ signal }) =>
      api.get<ListResponse<DeadLetter>>('/api/deliveries/dead-letters', { signal }),
    select: (res) => res.items,
  });
}

/** Queues a dead letter to be sent again from scratch (org admins). */
export function useRetryDeadLetter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) => api.post<void>(apiPath`/api/deliveries/${messageId}/retry`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.deadLetters });
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll });
    },
  });
}
