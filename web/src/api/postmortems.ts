import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath, isApiError } from './client';
import type { ListResponse } from './types';

// Postmortems, reviews, action items and reports. Query keys live here, under 'postmortems',
// 'action-items' and 'reports', so invalidation stays within this file.

export const postmortemKeys = {
  all: ['postmortems'] as const,
  list: (q: PostmortemListQuery) => ['postmortems', 'list', q] as const,
  detail: (id: string) => ['postmortems', 'detail', id] as const,
  ofIncident: (incidentId: string) => ['postmortems', 'incident', incidentId] as const,
  reports: (name: string, query: Record<string, unknown>) => ['reports', name, query] as const,
};

export const sectionTitles = [
  ['summary', 'Summary', 'What happened, in two or three sentences.'],
  ['reason', 'Reason for the outage', 'What was the reason?'],
  ['mitigation', 'What mitigated it', 'Which steps restored the service?'],
  ['improvements', 'What could have been done better', 'In detection, response, tooling, process.'],
  ['timeline', 'Timeline', 'Key events with times (UTC).'],
  ['businessImpact', 'Business impact', 'Who was affected, for how long, what it cost.'],
  ['prevention', 'Prevention', 'What will prevent it from happening again?'],
  ['fiveWhys', 'Five whys', 'Why? … five times, down to a cause in the system.'],
  ['contributingFactors', 'Contributing factors', 'Conditions that made it possible or worse.'],
  ['wentWell', 'What went well', 'Keep doing these.'],
] as const;
export type SectionId = (typeof sectionTitles)[number][0];

export type PostmortemStatus = 'draft' | 'in_review' | 'published';

export interface Postmortem {
  id: string;
  incidentId: string;
  teamId: string;
  title: string;
  status: PostmortemStatus;
  sections: Record<SectionId, string>;
  reviewMeetingAt: number | null;
  version: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  publishedBy: string | null;
}

export interface BlamelessFinding {
  rule: 'fault' | 'term' | 'person-subject';
  match: string;
  sentence: string;
  start: number;
  end: number;
  message: string;
  suggestion: string;
  section?: SectionId | 'title';
}

export interface ActionItem {
  id: string;
  postmortemId: string;
  incidentId: string;
  teamId: string;
  title: string;
  description: string;
  ownerId: string | null;
  ownerName?: string | null;
  priority: 'high' | 'medium' | 'low';
  plannedFor: string;
  dueAt: number | null;
  status: 'open' | 'in_progress' | 'done' | 'wont_do';
  overdue: boolean;
  external: {
    tracker: 'jira' | 'github';
    key: string;
    url: string;
    state: string | null;
    error: string | null;
  } | null;
}

export interface PostmortemDetail {
  postmortem: Postmortem;
  incident: { id: string; number: number; title: string; severity: string | null; status: string };
  reviewers: Array<{ userId: string; name: string; state: string; decidedAt: number | null }>;
  comments: Array<{
    id: string;
    authorName: string;
    section: string | null;
    body: string;
    kind: string;
    createdAt: number;
  }>;
  actionItems: ActionItem[];
  findings: BlamelessFinding[];
}

export interface PostmortemSummary {
  id: string;
  incidentId: string;
  incidentNumber: number;
  teamId: string;
  title: string;
  status: PostmortemStatus;
  severity: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

export interface PostmortemListQuery {
  q?: string;
  status?: PostmortemStatus | '';
}

export function usePostmortems(query: PostmortemListQuery) {
  return useQuery({
    queryKey: postmortemKeys.list(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<PostmortemSummary>>('/api/postmortems', {
        query: { q: query.q || undefined, status: query.status || undefined },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function usePostmortem(id: string) {
  return useQuery({
    queryKey: postmortemKeys.detail(id),
    queryFn: ({ signal }) => api.get<PostmortemDetail>(apiPath`/api/postmortems/${id}`, { signal }),
  });
}

/** A postmortem action (save, submit, review, publish …) that answers with the new detail. */
function useDetailMutation<V>(id: string, fn: (v: V) => Promise<PostmortemDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (detail) => {
      queryClient.setQueryData(postmortemKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ['postmortems', 'list'] });
    },
  });
}

export function useSavePostmortem(id: string) {
  return useDetailMutation(
    id,
    (body: {
      title?: string;
      sections?: Partial<Record<SectionId, string>>;
      reviewMeetingAt?: number | null;
      version?: number;
    }) => api.patch<PostmortemDetail>(apiPath`/api/postmortems/${id}`, body),
  );
}

export function useSubmitPostmortem(id: string) {
  return useDetailMutation(id, (reviewerIds: string[]) =>
    api.post<PostmortemDetail>(apiPath`/api/postmortems/${id}/submit`, { reviewerIds }),
  );
}

export function useReviewPostmortem(id: string) {
  return useDetailMutation(id, (body: { decision: 'approve' | 'comment'; body?: string }) =>
    api.post<PostmortemDetail>(apiPath`/api/postmortems/${id}/reviews`, body),
  );
}

export function usePublishPostmortem(id: string) {
  return useDetailMutation(id, () =>
    api.post<PostmortemDetail>(apiPath`/api/postmortems/${id}/publish`),
  );
}

export function useBackToDraft(id: string) {
  return useDetailMutation(id, () =>
    api.post<PostmortemDetail>(apiPath`/api/postmortems/${id}/back-to-draft`),
  );
}

export function useCommentPostmortem(id: string) {
  return useDetailMutation(id, (body: { body: string }) =>
    api.post<PostmortemDetail>(apiPath`/api/postmortems/${id}/comments`, body),
  );
}

/** The blameless check over unsaved text (the editor's live hints). */
export function useBlamelessCheck(text: string) {
  return useQuery({
    queryKey: ['postmortems', 'check', text] as const,
    queryFn: ({ signal }) =>
      api.post<{ findings: BlamelessFinding[] }>('/api/postmortems/check', { text }, { signal }),
    select: (res) => res.findings,
    enabled: text.trim() !== '',
    staleTime: 5 * 60_000,
  });
}

export function useAddActionItem(postmortemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      title: string;
      priority: ActionItem['priority'];
      ownerId: string | null;
      dueAt: number | null;
    }) => api.post<ActionItem>(apiPath`/api/postmortems/${postmortemId}/action-items`, body),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: postmortemKeys.detail(postmortemId) }),
  });
}

export function useUpdateActionItem(postmortemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; status?: ActionItem['status'] }) =>
      api.patch<ActionItem>(apiPath`/api/action-items/${id}`, patch),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: postmortemKeys.detail(postmortemId) }),
  });
}

export function useExportActionItem(postmortemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, tracker }: { id: string; tracker: 'jira' | 'github' }) =>
      api.post<ActionItem>(apiPath`/api/action-items/${id}/export`, { tracker }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: postmortemKeys.detail(postmortemId) }),
  });
}

export interface ServiceReview {
  id: string;
  serviceId: string;
  serviceName: string;
  teamId: string;
  kind: 'burn_in' | 'periodic';
  dueAt: number;
  status: 'open' | 'done';
  checklist: Array<{ item: string; done: boolean }>;
  notes: string;
  overdue: boolean;
}

/** Open burn-in and periodic service reviews of the user's teams. */
export function useServiceReviews() {
  return useQuery({
    queryKey: ['service-reviews', 'open'] as const,
    queryFn: ({ signal }) =>
      api.get<ListResponse<ServiceReview>>('/api/service-reviews', {
        query: { status: 'open' },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function useUpdateServiceReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...patch
    }: {
      id: string;
      checklist?: boolean[];
      status?: 'open' | 'done';
    }) => api.patch<ServiceReview>(apiPath`/api/service-reviews/${id}`, patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['service-reviews'] }),
  });
}

/** The incident's postmortem, or null when it has none yet. */
export function useIncidentPostmortem(incidentId: string) {
  return useQuery({
    queryKey: postmortemKeys.ofIncident(incidentId),
    queryFn: async ({ signal }) => {
      try {
        return await api.get<PostmortemDetail>(apiPath`/api/incidents/${incidentId}/postmortem`, {
          signal,
        });
      } catch (err) {
        if (isApiError(err, 'POSTMORTEM_NOT_FOUND')) return null;
        throw err;
      }
    },
  });
}

/** Starts the incident's postmortem (or opens the one it has). */
export function useStartPostmortem(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<PostmortemDetail>(apiPath`/api/incidents/${incidentId}/postmortem`),
    onSuccess: (detail) => {
      queryClient.setQueryData(postmortemKeys.ofIncident(incidentId), detail);
      queryClient.setQueryData(postmortemKeys.detail(detail.postmortem.id), detail);
    },
  });
}

export interface PostmortemSettings {
  requiredSeverities: string[];
  reminderHours: number;
  syncMinutes: number;
  weeklyDigest: boolean;
  blameless: { terms: Array<{ term: string; suggestion: string }>; disabled: string[] };
  jira: {
    baseUrl: string;
    projectKey: string;
    issueType: string;
    email: string;
    labels: string[];
    tokenSet: boolean;
  } | null;
  github: {
    baseUrl: string;
    owner: string;
    repo: string;
    labels: string[];
    tokenSet: boolean;
  } | null;
  defaultTerms: Array<{ term: string; suggestion: string }>;
}

export function usePostmortemSettings() {
  return useQuery({
    queryKey: ['postmortem-settings'] as const,
    queryFn: ({ signal }) => api.get<PostmortemSettings>('/api/settings/postmortems', { signal }),
  });
}

export function useSavePostmortemSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.put<PostmortemSettings>('/api/settings/postmortems', body),
    onSuccess: (s) => queryClient.setQueryData(['postmortem-settings'], s),
  });
}
