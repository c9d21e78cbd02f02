import type { ApiErrorBody } from './types';

/** An error answered by the API (`{"error":{"code","message","field"}}`) or a transport failure. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/** A human sentence for any error thrown by a request. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}

// --- CSRF token: from the latest login, /api/auth/me or password change; memory only. ---

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

// --- 401 handling: the app registers what "go to /login" means. ---

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Registers the handler called when a request gets 401; returns an unregister function. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

/** Forgets the CSRF token and sends the user to the login page. */
export function notifyUnauthorized(): void {
  csrfToken = null;
  unauthorizedHandler?.();
}

// --- Requests ---

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: HttpMethod;
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /**
   * When false, a 401 is only thrown, not treated as "session gone" (login, where 401 means
   * wrong credentials). Default true.
   */
  redirectOnUnauthorized?: boolean;
}

const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds a path with every interpolated value URL-encoded: apiPath`/api/teams/${id}`. */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''),
    '',
  );
}

function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy page, an empty body): fall through to a generic error.
  }
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(
      res.status,
      error.code,
      typeof error.message === 'string' && error.message ? error.message : error.code,
      typeof error.field === 'string' ? error.field : undefined,
    );
  }
  return new ApiError(
    res.status,
    `HTTP_${res.status}`,
    `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`,
  );
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the Tocsin server.');
  }
}

/** Re-reads the CSRF token (after another tab changed the password, for instance). */
async function refreshCsrfToken(signal: AbortSignal | undefined): Promise<ApiError | null> {
  const res = await send('/api/auth/me', { signal });
  if (!res.ok) return toApiError(res);
  const me = (await res.json()) as { csrfToken?: unknown };
  if (typeof me.csrfToken !== 'string') {
    return new ApiError(res.status, 'CSRF_TOKEN_MISSING', 'The server sent no CSRF token.');
  }
  csrfToken = me.csrfToken;
  return null;
}

/** Sends one request to the API and returns its parsed JSON body (undefined for 204). */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  let res = await send(path, options);
  let error = res.ok ? null : await toApiError(res);

  // A stale CSRF token: the write was refused before doing anything, so refresh and retry once.
  if (error?.code === 'CSRF_TOKEN_INVALID' && WRITE_METHODS.has(method)) {
    const refreshError = await refreshCsrfToken(options.signal);
    if (refreshError?.status === 401) {
      error = refreshError;
    } else if (!refreshError) {
      res = await send(path, options);
      error = res.ok ? null : await toApiError(res);
    }
  }

  if (error) {
    if (error.status === 401 && options.redirectOnUnauthorized !== false) notifyUnauthorized();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

type BodylessOptions = Omit<RequestOptions, 'method' | 'body'>;

export const api = {
  get: <T>(path: string, options?: BodylessOptions) =>
    apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: BodylessOptions) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: BodylessOptions) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: BodylessOptions) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = void>(path: string, options?: BodylessOptions) =>
    apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
