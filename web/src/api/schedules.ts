import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type {
  CreateOverrideRequest,
  CreateScheduleRequest,
  ListResponse,
  MyShift,
  OnCallEntry,
  Override,
  Schedule,
  ScheduleShifts,
  UpdateScheduleRequest,
} from './types';

/** How often "who is on call" views ask again (handoffs happen while the page is open). */
export const ONCALL_REFRESH_MS = 60_000;

/** Schedules of one team, or of every team the caller can read. */
export function useSchedules(teamId?: string) {
  return useQuery({
    queryKey: queryKeys.schedules(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Schedule>>('/api/schedules', {
        query: { teamId: teamId || undefined },
        signal,
      }),
    select: (res) => res.items,
  });
}

export function useSchedule(scheduleId: string) {
  return useQuery({
    queryKey: queryKeys.schedule(scheduleId),
    queryFn: ({ signal }) => api.get<Schedule>(apiPath`/api/schedules/${scheduleId}`, { signal }),
  });
}

/** Creates a schedule (team admins). */
export function useCreateSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateScheduleRequest) => api.post<Schedule>('/api/schedules', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.schedulesAll }),
  });
}

/** Renames a schedule, changes its time zone or replaces its layers (team admins). */
export function useUpdateSchedule(scheduleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateScheduleRequest) =>
      api.put<Schedule>(apiPath`/api/schedules/${scheduleId}`, body),
    onSuccess: (schedule) => {
      queryClient.setQueryData(queryKeys.schedule(scheduleId), schedule);
      // Shifts, who is on call and lists all follow from the layers.
      void queryClient.invalidateQueries({ queryKey: queryKeys.schedulesAll });
    },
  });
}

/** The final shifts of [from, to), each layer's own shifts and the overrides touching it. */
export function useScheduleShifts(scheduleId: string, from: number, to: number) {
  return useQuery({
    queryKey: queryKeys.scheduleShifts(scheduleId, from, to),
    queryFn: ({ signal }) =>
      api.get<ScheduleShifts>(apiPath`/api/schedules/${scheduleId}/shifts`, {
        query: { from, to },
        signal,
      }),
    // Moving the window keeps the previous bars on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/** "This person instead, for this window" (responders). */
export function useCreateOverride(scheduleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOverrideRequest) =>
      api.post<Override>(apiPath`/api/schedules/${scheduleId}/overrides`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.schedulesAll }),
  });
}

export function useRemoveOverride(scheduleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (overrideId: string) =>
      api.delete(apiPath`/api/schedules/${scheduleId}/overrides/${overrideId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.schedulesAll }),
  });
}

/** Who is on call now on each schedule of one team, or of every team the caller can read. */
export function useOnCall(teamId?: string) {
  return useQuery({
    queryKey: queryKeys.onCall(teamId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<OnCallEntry>>('/api/oncall', {
        query: { teamId: teamId || undefined },
        signal,
      }),
    select: (res) => res.items,
    refetchInterval: ONCALL_REFRESH_MS,
  });
}

/** The caller's own shifts from now, `days` ahead, across every schedule. */
export function useMyShifts(days = 28) {
  return useQuery({
    queryKey: queryKeys.myShifts(days),
    queryFn: ({ signal }) =>
      api.get<ListResponse<MyShift>>('/api/me/shifts', { query: { days }, signal }),
    select: (res) => res.items,
  });
}
