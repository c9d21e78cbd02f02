import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from './client';
import { queryKeys } from './query-keys';
import type { Id, ListResponse, Severity } from './types';

/*
 * Health checks (src/http/routes/checks.routes.ts): Tocsin probing a target on a schedule
 * (http, tcp, dns, tls, ping) or waiting for a job to call in (heartbeat).
 */

export type CheckKind = 'http' | 'tcp' | 'dns' | 'tls' | 'ping' | 'heartbeat';
export const CHECK_KINDS: readonly CheckKind[] = ['http', 'tcp', 'dns', 'tls', 'ping', 'heartbeat'];

/** The confirmed state: `unknown` until the first result (and while paused). */
export type CheckState = 'unknown' | 'up' | 'down';

export interface CheckLastResult {
  at: number;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
}

export interface Check {
  id: Id;
  teamId: Id;
  serviceId: Id;
  name: string;
  kind: CheckKind;
  enabled: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  graceSeconds: number;
  cron: string | null;
  timeZone: string;
  failuresToAlert: number;
  successesToResolve: number;
  severity: Severity;
  allowPrivate: boolean;
  config: Record<string, unknown>;
  state: CheckState;
  stateChangedAt: number | null;
  failures: number;
  successes: number;
  certWarning: string | null;
  lastResult: CheckLastResult | null;
  nextRunAt: number | null;
  heartbeat: { tokenPrefix: string; lastPingAt: number | null } | null;
  createdAt: number;
  updatedAt: number;
}

/** A list entry: the check and its uptime over the last 24 hours (null: nothing monitored). */
export type CheckListItem = Check & { uptime24h: number | null };

export interface CheckQuery {
  teamId?: string;
  serviceId?: string;
  kind?: CheckKind;
  state?: CheckState;
}

/** `POST /api/checks` (fields left out take the server's defaults). */
export interface CreateCheckRequest {
  serviceId: Id;
  name: string;
  kind: CheckKind;
  enabled?: boolean;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  graceSeconds?: number;
  cron?: string | null;
  timeZone?: string;
  failuresToAlert?: number;
  successesToResolve?: number;
  severity?: Severity;
  allowPrivate?: boolean;
  config: Record<string, unknown>;
}

/**
 * What the API shows instead of a saved HTTP header value (values are never shown again after
 * saving). Sent back unchanged in an edit or a test of a saved check, it keeps the saved value.
 */
export const HEADER_VALUE_MASK = '••••••';

/**
 * `POST /api/checks/test`: the form as a create body; `checkId` (editing a saved HTTP check) lets
 * header values sent as the mask be that check's saved ones.
 */
export type TestCheckDraftRequest = CreateCheckRequest & { checkId?: Id };

/**
 * `PATCH /api/checks/:id`: any field but the kind; `config` keys replace the stored ones (so
 * `config.headers` replaces the saved set; a header sent with HEADER_VALUE_MASK keeps its value).
 */
export type UpdateCheckRequest = Partial<Omit<CreateCheckRequest, 'kind'>>;

export interface HeartbeatSecret {
  token: string;
  url: string;
}

export interface CreateCheckResponse {
  check: Check;
  heartbeat: HeartbeatSecret | null;
}

/** "Test now": what the probe saw; nothing is recorded. */
export interface ProbeOutcome {
  at: number;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
  warning: string | null;
  details: Record<string, unknown>;
}

export interface CheckResult {
  at: number;
  scheduledAt: number | null;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
  details: Record<string, unknown> | null;
}

export interface Downtime {
  startedAt: number;
  endedAt: number | null;
  durationMs: number;
  ongoing: boolean;
  cause: string | null;
}

export interface UptimeFigures {
  from: number;
  to: number;
  monitoredMs: number;
  downMs: number;
  uptimePercent: number | null;
  downtimes: number;
}

export interface UptimeResponse {
  windows: Array<UptimeFigures & { window: string }>;
  range: UptimeFigures | null;
}

export interface LatencyPoint {
  at: number;
  count: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
  avgMs: number | null;
}

export interface LatencyResponse {
  resolution: 'raw' | '1m' | '1h';
  stepMs: number;
  items: LatencyPoint[];
}

export interface CheckKindInfo {
  kind: CheckKind;
  available: boolean;
  note?: string;
}

/** How often check views ask for news (the shortest interval is 10 s). */
export const CHECKS_REFRESH_MS = 5_000;

/** Checks the caller can read, with their uptime over 24 hours. */
export function useChecks(query: CheckQuery = {}) {
  return useQuery({
    queryKey: queryKeys.checks(query),
    queryFn: ({ signal }) =>
      api.get<ListResponse<CheckListItem>>('/api/checks', {
        query: {
          teamId: query.teamId || undefined,
          serviceId: query.serviceId || undefined,
          kind: query.kind,
          state: query.state,
        },
        signal,
      }),
    select: (res) => res.items,
    refetchInterval: CHECKS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

export function useCheck(checkId: string) {
  return useQuery({
    queryKey: queryKeys.check(checkId),
    queryFn: ({ signal }) => api.get<Check>(apiPath`/api/checks/${checkId}`, { signal }),
    refetchInterval: CHECKS_REFRESH_MS,
  });
}

/** Every kind and whether this server can run it (ping needs the system's `ping`). */
export function useCheckKinds() {
  return useQuery({
    queryKey: queryKeys.checkKinds,
    queryFn: ({ signal }) => api.get<ListResponse<CheckKindInfo>>('/api/checks/kinds', { signal }),
    select: (res) => res.items,
    staleTime: 5 * 60_000,
  });
}

/** The newest results, newest first. */
export function useCheckResults(
  checkId: string,
  options: { limit?: number; failed?: boolean; refetchMs?: number; enabled?: boolean } = {},
) {
  const limit = options.limit ?? 50;
  const failed = options.failed ?? false;
  return useQuery({
    queryKey: queryKeys.checkResults(checkId, { limit, failed }),
    queryFn: ({ signal }) =>
      api.get<{ items: CheckResult[]; nextCursor: number | null }>(
        apiPath`/api/checks/${checkId}/results`,
        { query: { limit, failed: failed || undefined }, signal },
      ),
    refetchInterval: options.refetchMs ?? CHECKS_REFRESH_MS,
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

/** Outages over the last 90 days, newest first. */
export function useCheckDowntimes(checkId: string) {
  return useQuery({
    queryKey: queryKeys.checkDowntimes(checkId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Downtime>>(apiPath`/api/checks/${checkId}/downtimes`, { signal }),
    select: (res) => res.items,
    refetchInterval: CHECKS_REFRESH_MS,
  });
}

/** Uptime over 24 h, 7, 30, 90 and 365 days. */
export function useCheckUptime(checkId: string) {
  return useQuery({
    queryKey: queryKeys.checkUptime(checkId),
    queryFn: ({ signal }) =>
      api.get<UptimeResponse>(apiPath`/api/checks/${checkId}/uptime`, { signal }),
    refetchInterval: CHECKS_REFRESH_MS,
  });
}

/** Latency percentiles over the last `rangeMs` (the window moves with each refresh). */
export function useCheckLatency(checkId: string, rangeMs: number) {
  return useQuery({
    queryKey: queryKeys.checkLatency(checkId, rangeMs),
    queryFn: ({ signal }) =>
      api.get<LatencyResponse>(apiPath`/api/checks/${checkId}/latency`, {
        query: { from: Date.now() - rangeMs },
        signal,
      }),
    refetchInterval: rangeMs <= 86_400_000 ? CHECKS_REFRESH_MS * 2 : 60_000,
    placeholderData: keepPreviousData,
  });
}

/** Creates a check; a heartbeat's token and URL come back this once. */
export function useCreateCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCheckRequest) => api.post<CreateCheckResponse>('/api/checks', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.checksAll }),
  });
}

/** Changes a check (pausing and resuming included). */
export function useUpdateCheck(checkId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateCheckRequest) =>
      api.patch<Check>(apiPath`/api/checks/${checkId}`, body),
    onSuccess: (check) => {
      queryClient.setQueryData(queryKeys.check(checkId), check);
      void queryClient.invalidateQueries({ queryKey: queryKeys.checksAll });
    },
  });
}

export function useDeleteCheck(checkId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(apiPath`/api/checks/${checkId}`),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.check(checkId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.checksAll });
    },
  });
}

/** "Test now": runs the saved check's probe at once; the result is shown, not recorded. */
export function useTestCheck(checkId: string) {
  return useMutation({
    mutationFn: () => api.post<ProbeOutcome>(apiPath`/api/checks/${checkId}/run`),
  });
}

/** "Test now" in the form: probes the settings as they are in the form, saved or not; stores nothing. */
export function useTestCheckDraft() {
  return useMutation({
    mutationFn: (body: TestCheckDraftRequest) => api.post<ProbeOutcome>('/api/checks/test', body),
  });
}

/** A new heartbeat token (the old one stops working); shown this once. */
export function useRotateHeartbeatToken(checkId: string) {
  return useMutation({
    mutationFn: () => api.post<HeartbeatSecret>(apiPath`/api/checks/${checkId}/heartbeat-token`),
  });
}
