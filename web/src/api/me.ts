import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type {
  CalendarFeed,
  ContactMethod,
  ContactMethodTestResponse,
  CreateCalendarFeedRequest,
  CreateCalendarFeedResponse,
  CreateContactMethodRequest,
  CreateNotificationRuleRequest,
  InAppNotification,
  ListResponse,
  NotificationRule,
} from './types';

/** How often the in-app notifications are asked for. */
export const NOTIFICATIONS_REFRESH_MS = 15_000;

// --- In-app notifications (every page sent to the caller) ---

export function useNotifications() {
  return useQuery({
    queryKey: queryKeys.notifications,
    queryFn: ({ signal }) =>
      api.get<ListResponse<InAppNotification>>('/api/me/notifications', { signal }),
    select: (res) => res.items,
    refetchInterval: NOTIFICATIONS_REFRESH_MS,
  });
}

export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/me/notifications/read'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}

// --- Contact methods ---

export function useContactMethods() {
  return useQuery({
    queryKey: queryKeys.contactMethods,
    queryFn: ({ signal }) =>
      api.get<ListResponse<ContactMethod>>('/api/me/contact-methods', { signal }),
    select: (res) => res.items,
  });
}

/** Adds a contact method; the server sends it a 6-digit code to verify it with. */
export function useCreateContactMethod() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateContactMethodRequest) =>
      api.post<ContactMethod>('/api/me/contact-methods', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.contactMethods }),
  });
}

export function useVerifyContactMethod() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactMethodId, code }: { contactMethodId: string; code: string }) =>
      api.post<ContactMethod>(apiPath`/api/me/contact-methods/${contactMethodId}/verify`, {
        code,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.contactMethods }),
  });
}

export function useRemoveContactMethod() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contactMethodId: string) =>
      api.delete(apiPath`/api/me/contact-methods/${contactMethodId}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.contactMethods });
      // Rules using it go with it.
      void queryClient.invalidateQueries({ queryKey: queryKeys.notificationRules });
    },
  });
}

/** Sends a test message to one of the user's contact methods now and says what happened. */
export function useTestContactMethod() {
  return useMutation({
    mutationFn: (contactMethodId: string) =>
      api.post<ContactMethodTestResponse>(apiPath`/api/me/contact-methods/${contactMethodId}/test`),
  });
}

// --- Notification rules ---

export function useNotificationRules() {
  return useQuery({
    queryKey: queryKeys.notificationRules,
    queryFn: ({ signal }) =>
      api.get<ListResponse<NotificationRule>>('/api/me/notification-rules', { signal }),
    select: (res) => res.items,
  });
}

/** Adds a rule: reach me on this (verified) contact method, this long after a page. */
export function useCreateNotificationRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateNotificationRuleRequest) =>
      api.post<NotificationRule>('/api/me/notification-rules', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notificationRules }),
  });
}

export function useRemoveNotificationRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => api.delete(apiPath`/api/me/notification-rules/${ruleId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notificationRules }),
  });
}

// --- Calendar feeds ---

export function useCalendarFeeds() {
  return useQuery({
    queryKey: queryKeys.calendarFeeds,
    queryFn: ({ signal }) =>
      api.get<ListResponse<CalendarFeed>>('/api/me/calendar-feeds', { signal }),
    select: (res) => res.items,
  });
}

/** Creates a feed; the response carries its token, the only time it is shown. */
export function useCreateCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCalendarFeedRequest) =>
      api.post<CreateCalendarFeedResponse>('/api/me/calendar-feeds', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.calendarFeeds }),
  });
}

export function useRevokeCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (feedId: string) => api.delete(apiPath`/api/me/calendar-feeds/${feedId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.calendarFeeds }),
  });
}
