import { useMemo } from 'react';
import { useServices } from '../../api/services';

/** Service names by id, from the services the caller can read (empty while loading). */
export function useServiceNames(): ReadonlyMap<string, string> {
  const services = useServices();
  return useMemo(
    () => new Map((services.data ?? []).map((s) => [s.id, s.name] as const)),
    [services.data],
  );
}
