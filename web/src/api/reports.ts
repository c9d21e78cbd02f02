import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { postmortemKeys } from './postmortems';
import type { ReportResponse } from './types';

/** A report as JSON (`data` for the charts, `rows` for the table, `truncated` when cut). */
export function useReport<T>(name: string, query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: postmortemKeys.reports(name, query),
    queryFn: ({ signal }) => api.get<ReportResponse<T>>(`/api/reports/${name}`, { query, signal }),
  });
}

/** The report's CSV download link. */
export function reportCsvHref(name: string, query: Record<string, string | number | undefined>) {
  const params = new URLSearchParams({ format: 'csv' });
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  return `/api/reports/${name}?${params.toString()}`;
}
