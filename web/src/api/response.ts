import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { ListResponse, ResponseSettings, Ticket } from './types';

/** Severities, roles and checklists, reminders, war rooms, ticket intake (any signed-in user). */
export function useResponseSettings() {
  return useQuery({
    queryKey: queryKeys.responseSettings,
    queryFn: ({ signal }) => api.get<ResponseSettings>('/api/response-settings', { signal }),
    staleTime: 5 * 60_000,
  });
}

/** Saves any of the response settings (org admins). */
export function useSaveResponseSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<ResponseSettings>) =>
      api.put<ResponseSettings>('/api/response-settings', body),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.responseSettings, settings),
  });
}

/** Customer tickets of one team, or of every team the caller can read; newest first. */
export function useTickets(teamId?: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.tickets(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Ticket>>('/api/tickets', {
        query: { teamId: teamId || undefined },
        signal,
      }),
    select: (res) => res.items,
    enabled: options.enabled ?? true,
  });
}

/** Links a customer ticket into an incident (it shows on the incident and its timeline). */
export function useLinkTicket(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ticketId: string) =>
      api.post<Ticket>(apiPath`/api/tickets/${ticketId}/link`, { incidentId }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.incident(incidentId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.ticketsAll });
    },
  });
}

/** Follow a service's stakeholder updates (every incident on it), or stop. */
export function useSetServiceSubscription(serviceId: string) {
  return useMutation({
    mutationFn: (subscribed: boolean) =>
      api.put<{ subscribed: boolean }>(apiPath`/api/services/${serviceId}/subscription`, {
        subscribed,
      }),
  });
}
