import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import type { Id, ListResponse } from './types';

/*
 * Status pages (src/http/routes/statuspages.routes.ts): pages, components, public incidents and
 * maintenance, subscribers. The public page itself is server-rendered at /status/<slug>.
 */

export type ComponentStatus =
  'operational' | 'under_maintenance' | 'degraded_performance' | 'partial_outage' | 'major_outage';
export const COMPONENT_STATUSES: readonly ComponentStatus[] = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];
export const COMPONENT_STATUS_LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};
export type PublicIncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';
export const PUBLIC_INCIDENT_STATUSES: readonly PublicIncidentStatus[] = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
];
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
export const MAINTENANCE_STATUSES: readonly MaintenanceStatus[] = [
  'scheduled',
  'in_progress',
  'verifying',
  'completed',
];
export type Impact = 'none' | 'minor' | 'major' | 'critical';
export const IMPACTS: readonly Impact[] = ['none', 'minor', 'major', 'critical'];
export type PageAccess = 'public' | 'password' | 'ip';

export interface StatusPage {
  id: Id;
  teamId: Id;
  slug: string;
  name: string;
  description: string;
  logoUrl: string | null;
  brandColor: string;
  customDomain: string | null;
  timeZone: string;
  access: PageAccess;
  hasPassword: boolean;
  ipAllow: string[];
  /** The text a poster starts from, per incident or maintenance status. */
  messageTemplates: Record<string, string>;
  /** The statuses whose template the page changed from Tocsin's default. */
  customTemplates: string[];
  createdAt: number;
  updatedAt: number;
}

export interface StatusComponent {
  id: Id;
  pageId: Id;
  name: string;
  description: string;
  group: string | null;
  position: number;
  manualStatus: ComponentStatus | null;
  serviceIds: Id[];
  checkIds: Id[];
  status: ComponentStatus;
  uptimePercent: number | null;
}

export interface StatusPageDetail {
  page: StatusPage;
  components: StatusComponent[];
  overall: { indicator: string; description: string };
}

export interface StatusEvent {
  id: Id;
  pageId: Id;
  kind: 'incident' | 'maintenance';
  incidentId: Id | null;
  title: string;
  status: string;
  impact: string;
  componentIds: Id[];
  scheduledFor: number | null;
  scheduledUntil: number | null;
  autoTransition: boolean;
  startedAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
  updates: Array<{ id: Id; status: string; body: string; createdAt: number }>;
}

export interface Subscriber {
  id: Id;
  kind: 'email' | 'webhook' | 'slack';
  address: string;
  componentIds: Id[] | null;
  confirmed: boolean;
  confirmedAt: number | null;
  createdAt: number;
}

export interface PageInput {
  teamId?: Id;
  slug?: string;
  name?: string;
  description?: string;
  logoUrl?: string | null;
  brandColor?: string;
  customDomain?: string | null;
  timeZone?: string;
  access?: PageAccess;
  password?: string;
  ipAllow?: string[];
  /** Per status: a new template, or null for Tocsin's default. */
  messageTemplates?: Record<string, string | null>;
}

export interface ComponentInput {
  name?: string;
  description?: string;
  group?: string | null;
  manualStatus?: ComponentStatus | null;
  serviceIds?: Id[];
  checkIds?: Id[];
}

const keys = {
  all: ['status-pages'] as const,
  page: (id: string) => ['status-pages', id] as const,
  events: (id: string, kind: string) => ['status-pages', id, kind] as const,
  subscribers: (id: string) => ['status-pages', id, 'subscribers'] as const,
};

export function useStatusPages() {
  return useQuery({
    queryKey: keys.all,
    queryFn: ({ signal }) => api.get<ListResponse<StatusPage>>('/api/status-pages', { signal }),
    select: (res) => res.items,
  });
}

export function useStatusPage(pageId: string) {
  return useQuery({
    queryKey: keys.page(pageId),
    queryFn: ({ signal }) =>
      api.get<StatusPageDetail>(apiPath`/api/status-pages/${pageId}`, { signal }),
  });
}

export function useStatusEvents(pageId: string, kind: 'incidents' | 'maintenances') {
  return useQuery({
    queryKey: keys.events(pageId, kind),
    queryFn: ({ signal }) =>
      api.get<ListResponse<StatusEvent>>(apiPath`/api/status-pages/${pageId}/${kind}`, { signal }),
    select: (res) => res.items,
  });
}

export function useSubscribers(pageId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: keys.subscribers(pageId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Subscriber>>(apiPath`/api/status-pages/${pageId}/subscribers`, {
        signal,
      }),
    select: (res) => res.items,
  });
}

/** Every write refreshes the page's data (statuses are derived server-side). */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useCreateStatusPage() {
  return useWrite((body: PageInput) => api.post<StatusPage>('/api/status-pages', body));
}

export function useUpdateStatusPage(pageId: string) {
  return useWrite((body: PageInput) =>
    api.patch<StatusPage>(apiPath`/api/status-pages/${pageId}`, body),
  );
}

export function useDeleteStatusPage(pageId: string) {
  return useWrite(() => api.delete<void>(apiPath`/api/status-pages/${pageId}`));
}

export function useAddComponent(pageId: string) {
  return useWrite((body: ComponentInput) =>
    api.post<StatusComponent>(apiPath`/api/status-pages/${pageId}/components`, body),
  );
}

export function useUpdateComponent(pageId: string) {
  return useWrite(({ id, ...body }: ComponentInput & { id: string }) =>
    api.patch<StatusComponent>(apiPath`/api/status-pages/${pageId}/components/${id}`, body),
  );
}

export function useRemoveComponent(pageId: string) {
  return useWrite((id: string) =>
    api.delete<void>(apiPath`/api/status-pages/${pageId}/components/${id}`),
  );
}

export function usePostIncident(pageId: string) {
  return useWrite(
    (body: {
      title: string;
      body: string;
      status: PublicIncidentStatus;
      impact: Impact;
      componentIds: Id[];
      incidentId: Id | null;
    }) => api.post<StatusEvent>(apiPath`/api/status-pages/${pageId}/incidents`, body),
  );
}

export function usePostUpdate(pageId: string, kind: 'incidents' | 'maintenances') {
  return useWrite(({ eventId, ...body }: { eventId: string; status: string; body: string }) =>
    api.post<StatusEvent>(apiPath`/api/status-pages/${pageId}/${kind}/${eventId}/updates`, body),
  );
}

export function useScheduleMaintenance(pageId: string) {
  return useWrite(
    (body: {
      title: string;
      body: string;
      componentIds: Id[];
      scheduledFor: string;
      scheduledUntil: string;
      autoTransition: boolean;
      notifyBeforeMinutes: number | null;
    }) => api.post<StatusEvent>(apiPath`/api/status-pages/${pageId}/maintenances`, body),
  );
}

/** Subscribes a Slack channel by its incoming-webhook URL. */
export function useAddSlackSubscriber(pageId: string) {
  return useWrite((body: { webhookUrl: string; componentIds?: Id[] }) =>
    api.post<Subscriber>(apiPath`/api/status-pages/${pageId}/subscribers`, {
      kind: 'slack',
      ...body,
    }),
  );
}

export function useRemoveSubscriber(pageId: string) {
  return useWrite((id: string) =>
    api.delete<void>(apiPath`/api/status-pages/${pageId}/subscribers/${id}`),
  );
}
