import { useQueryClient } from '@tanstack/react-query';
import type { QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { apiPath } from './client';
import { queryKeys } from './query-keys';

/**
 * Listens to a server-sent-event stream of the API (same origin, so the session cookie goes
 * along) and invalidates `keys` on each `change` event, and after a reconnection (changes may
 * have been missed meanwhile). The stream is closed on unmount.
 */
export function useLiveInvalidation(path: string | null, keys: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  // The latest keys, without reopening the stream when the caller passes a new array.
  const keysRef = useRef(keys);
  useEffect(() => {
    keysRef.current = keys;
  });

  useEffect(() => {
    if (path === null || typeof EventSource === 'undefined') return;
    const source = new EventSource(path, { withCredentials: true });
    let opened = 0;
    const invalidate = () => {
      for (const queryKey of keysRef.current) void queryClient.invalidateQueries({ queryKey });
    };
    const onOpen = () => {
      opened += 1;
      if (opened > 1) invalidate();
    };
    source.addEventListener('open', onOpen);
    source.addEventListener('change', invalidate);
    return () => {
      source.removeEventListener('open', onOpen);
      source.removeEventListener('change', invalidate);
      source.close();
    };
  }, [path, queryClient]);
}

const LIST_KEYS: readonly QueryKey[] = [['incidents', 'list']];

/** Keeps the incident lists current: `GET /api/incidents/live` says when any incident moved. */
export function useIncidentsLive() {
  useLiveInvalidation('/api/incidents/live', LIST_KEYS);
}

/**
 * Keeps one incident's page current (timeline, roles, escalation, deliveries, all under its
 * key) through `GET /api/incidents/:id/live`.
 */
export function useIncidentLive(incidentId: string) {
  useLiveInvalidation(apiPath`/api/incidents/${incidentId}/live`, [
    queryKeys.incident(incidentId),
    ...LIST_KEYS,
  ]);
}
