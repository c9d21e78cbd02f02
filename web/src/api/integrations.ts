import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type {
  CreateIntegrationRequest,
  CreateIntegrationResponse,
  Integration,
  ListResponse,
} from './types';

/** A service's integrations (never their keys). */
export function useIntegrations(serviceId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.serviceIntegrations(serviceId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Integration>>(apiPath`/api/services/${serviceId}/integrations`, {
        signal,
      }),
    select: (res) => res.items,
    enabled: options.enabled ?? true,
  });
}

/** Adds an integration; the response carries its key, the only time it is shown. */
export function useCreateIntegration(serviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateIntegrationRequest) =>
      api.post<CreateIntegrationResponse>(apiPath`/api/services/${serviceId}/integrations`, body),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: queryKeys.serviceIntegrations(serviceId) }),
  });
}

/** Disables an integration: its key stops working. */
export function useDisableIntegration(serviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (integrationId: string) =>
      api.delete(apiPath`/api/services/${serviceId}/integrations/${integrationId}`),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: queryKeys.serviceIntegrations(serviceId) }),
  });
}
