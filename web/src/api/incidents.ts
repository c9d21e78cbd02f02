import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, apiPath, errorMessage } from './client';
import { queryKeys } from './query-keys';
import type {
  AddNoteRequest,
  DeclareIncidentRequest,
  Incident,
  IncidentDetail,
  IncidentQuery,
  IncidentStatusChange,
  ListResponse,
  PostUpdateResponse,
  ResponseRole,
  TimelineEntry,
  TimelinePage,
  UpdateIncidentRequest,
} from './types';

/** How often the incident views ask for news (the live streams usually answer first). */
export const INCIDENTS_REFRESH_MS = 10_000;

/** Incidents matching `query`, newest first. */
export function useIncidents(query: IncidentQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.incidents(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Incident>>('/api/incidents', {
        query: {
          teamId: query.teamId || undefined,
          status: query.status?.length ? query.status.join(',') : undefined,
          severity: query.severity?.length ? query.severity.join(',') : undefined,
          q: query.q?.trim() || undefined,
          limit: query.limit,
          mine: query.mine ? 'true' : undefined,
        },
        signal,
      }),
    select: (res) => res.items,
    refetchInterval: INCIDENTS_REFRESH_MS,
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** One incident with its alerts, timeline, roles, checklist, updates, related incidents, tickets. */
export function useIncident(incidentId: string) {
  return useQuery({
    queryKey: queryKeys.incident(incidentId),
    queryFn: ({ signal }) =>
      api.get<IncidentDetail>(apiPath`/api/incidents/${incidentId}`, { signal }),
    refetchInterval: INCIDENTS_REFRESH_MS,
  });
}

/**
 * The incident's timeline a page at a time (of some kinds only: `note`, `incident.*` …), the
 * newest page first; `fetchNextPage` reads the page before the oldest shown. Under the
 * incident's key, so a live change or a mutation refetches the pages shown (in order, each from
 * the cursor of the one before: none is skipped when new entries arrive). `newest`, the page
 * the incident's detail embeds, stands in for the first page until the next refetch.
 */
export function useIncidentTimeline(
  incidentId: string,
  kinds: readonly string[],
  newest?: TimelinePage,
) {
  return useInfiniteQuery({
    queryKey: queryKeys.incidentTimeline(incidentId, kinds),
    queryFn: ({ pageParam, signal }) =>
      api.get<TimelinePage>(apiPath`/api/incidents/${incidentId}/timeline`, {
        query: { kind: kinds.length ? kinds.join(',') : undefined, before: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.olderCursor,
    ...(newest
      ? {
          initialData: { pages: [newest], pageParams: [null] },
          // Fetched with the incident just now: no second request on opening the page.
          staleTime: INCIDENTS_REFRESH_MS / 2,
        }
      : {}),
    refetchInterval: INCIDENTS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

/** Where the incident's Markdown export downloads from. */
export function incidentExportPath(incidentId: string): string {
  return apiPath`/api/incidents/${incidentId}/export.md`;
}

/** Where a note's attachment is served (inline for images). */
export function attachmentPath(incidentId: string, attachmentId: string): string {
  return apiPath`/api/incidents/${incidentId}/attachments/${attachmentId}`;
}

/** Declares an incident by hand (responders of the first service's team). */
export function useDeclareIncident() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DeclareIncidentRequest) => api.post<Incident>('/api/incidents', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll }),
  });
}

/**
 * Refreshes the incident's page and the lists after a change to it. The mutation stays pending
 * until the page has its new data, so that what was clicked does not flicker back meanwhile.
 */
function useInvalidateIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['incidents', 'list'] });
    return queryClient.invalidateQueries({ queryKey: queryKeys.incident(incidentId) });
  };
}

/** How one incident of a bulk acknowledgement went. */
export type BulkAckResult =
  { incident: Incident; ok: true } | { incident: Incident; ok: false; reason: string };

/** Incidents acknowledged at once at most by a bulk acknowledgement. */
const BULK_ACK_CONCURRENCY = 4;

/**
 * Acknowledges several incidents through `POST /api/incidents/:id/acknowledge`, a few at a time,
 * and says how each went: one resolved or mitigated meanwhile (the server answers with it
 * unchanged) or refused counts as not acknowledged, with why. Refreshes the lists after.
 */
export function useAcknowledgeIncidents() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (incidents: readonly Incident[]): Promise<BulkAckResult[]> => {
      const results: BulkAckResult[] = new Array<BulkAckResult>(incidents.length);
      let next = 0;
      const worker = async () => {
        while (next < incidents.length) {
          const index = next++;
          const incident = incidents[index]!;
          try {
            const after = await api.post<Incident>(
              apiPath`/api/incidents/${incident.id}/acknowledge`,
            );
            results[index] =
              after.status === 'acknowledged'
                ? { incident, ok: true }
                : { incident, ok: false, reason: `it is ${after.status}` };
          } catch (err) {
            results[index] = { incident, ok: false, reason: errorMessage(err) };
          }
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(BULK_ACK_CONCURRENCY, incidents.length) }, worker),
      );
      return results;
    },
    onSettled: () => {
      // Acknowledging stops the incidents' escalation and their alerts' too.
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
      return queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll });
    },
  });
}

/** Changes title, description, severity, priority, services, impact or conference link. */
export function useUpdateIncident(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: (body: UpdateIncidentRequest) =>
      api.patch<Incident>(apiPath`/api/incidents/${incidentId}`, body),
    onSuccess: invalidate,
  });
}

/** Moves an incident forward: acknowledged, mitigated (service restored), resolved. */
export function useSetIncidentStatus(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: IncidentStatusChange) =>
      api.post<Incident>(apiPath`/api/incidents/${incidentId}/status`, { status }),
    onSuccess: (incident) => {
      // The new status at once (no second press of a shortcut on the old one), the rest after.
      queryClient.setQueryData<IncidentDetail>(queryKeys.incident(incidentId), (old) =>
        old ? { ...old, ...incident } : old,
      );
      // Resolving resolves the incident's alerts; acknowledging stops their escalation.
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
      return queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll });
    },
  });
}

/** Gives someone a role (commander and communications lead: replaces the holder). */
export function useAssignRole(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: (body: { role: ResponseRole; userId: string }) =>
      api.post<unknown>(apiPath`/api/incidents/${incidentId}/roles`, body),
    onSuccess: invalidate,
  });
}

export function useRemoveRole(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: ({ role, userId }: { role: ResponseRole; userId: string }) =>
      api.delete(apiPath`/api/incidents/${incidentId}/roles/${role}/${userId}`),
    onSuccess: invalidate,
  });
}

/** Adds an item to a role's checklist on this incident. */
export function useAddChecklistItem(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: (body: { role: ResponseRole; text: string }) =>
      api.post<unknown>(apiPath`/api/incidents/${incidentId}/checklist`, body),
    onSuccess: invalidate,
  });
}

/** Ticks a checklist item, or unticks it. */
export function useCheckItem(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: ({ itemId, done }: { itemId: string; done: boolean }) =>
      api.put<unknown>(apiPath`/api/incidents/${incidentId}/checklist/${itemId}`, { done }),
    onSuccess: invalidate,
  });
}

/** A note on the timeline: Markdown with attachments (graphs, log excerpts). */
export function useAddNote(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: (body: AddNoteRequest) =>
      api.post<TimelineEntry>(apiPath`/api/incidents/${incidentId}/notes`, body),
    onSuccess: invalidate,
  });
}

/** Posts a stakeholder update to the subscribers of the incident and of its services. */
export function usePostUpdate(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: (message: string) =>
      api.post<PostUpdateResponse>(apiPath`/api/incidents/${incidentId}/updates`, { message }),
    onSuccess: invalidate,
  });
}

/** Follow the incident's stakeholder updates, or stop. */
export function useSetIncidentSubscription(incidentId: string) {
  const invalidate = useInvalidateIncident(incidentId);
  return useMutation({
    mutationFn: (subscribed: boolean) =>
      api.put<{ subscribed: boolean }>(apiPath`/api/incidents/${incidentId}/subscription`, {
        subscribed,
      }),
    onSuccess: invalidate,
  });
}
