import type { z } from 'zod';
import { AppError, type ErrorKind } from '../../core/errors.js';
import type {
  IngestOutcome,
  IngestPort,
  IntegrationRef,
  IntegrationType,
  NormalizedEvent,
} from '../../domains/alerts/index.js';
import { shownKey } from './limits.js';
import type { BodyError } from './parse-body.js';
import type { SourceResponse } from './source.js';

/*
 * Answers shared by the sources that speak Tocsin's own error shape
 * (`{"error":{"code","message","field"?}}`, the same body http/plugins/errors.ts sends), and the
 * two port calls every source makes, wrapped so that a domain AppError comes back as a value the
 * source can turn into its own shape while a bug still throws to the HTTP layer.
 */

/** Tocsin's error body, mirrored here because integrations/ may not import http/. */
export interface TocsinErrorBody {
  error: { code: string; message: string; field?: string };
}

/** HTTP status per AppError kind (the same table as http/plugins/errors.ts). */
export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A response in Tocsin's error shape; `field` only when there is one. */
export function tocsinError(
  status: number,
  code: string,
  message: string,
  field?: string,
  headers?: Record<string, string>,
): SourceResponse {
  const body: TocsinErrorBody = { error: field ? { code, message, field } : { code, message } };
  return headers ? { status, body, headers } : { status, body };
}

/** A refused body in Tocsin's shape. */
export function bodyErrorResponse(err: BodyError): SourceResponse {
  return tocsinError(err.status, err.code, err.message, err.field);
}

/** A domain error (unknown key, rate limit, …) in Tocsin's shape, with Retry-After when known. */
export function appErrorResponse(err: AppError): SourceResponse {
  return tocsinError(
    statusOfKind[err.kind],
    err.code,
    err.message,
    err.field,
    retryAfterHeaders(err),
  );
}

/** `Retry-After` for a rate-limited AppError, else nothing. */
export function retryAfterHeaders(err: AppError): Record<string, string> | undefined {
  if (err.retryAfterSeconds === undefined) return undefined;
  return { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterSeconds))) };
}

/**
 * A dotted path for a zod issue (`alerts.0.labels`), or undefined at the root. A key is the
 * sender's (a label name), so a long one is cut rather than echoed back whole.
 */
export function issueField(path: readonly PropertyKey[]): string | undefined {
  return path.length === 0 ? undefined : path.map((p) => shownKey(String(p))).join('.');
}

/** The first zod issue as a 400 VALIDATION_FAILED naming its field (like the HTTP layer does). */
export function validationFailed(error: z.ZodError): SourceResponse {
  const first = error.issues[0];
  const field = first ? issueField(first.path) : undefined;
  const message = first ? `${field ?? 'body'}: ${first.message}` : 'Invalid request';
  return tocsinError(400, 'VALIDATION_FAILED', message, field);
}

/** The 413 every Tocsin-shaped source answers for a body over its route's limit. */
export function tooLargeResponse(limitBytes: number): SourceResponse {
  return tocsinError(413, 'BODY_TOO_LARGE', `The body is larger than ${limitBytes} bytes`);
}

/** The answer for a route called without a key segment (never reaches the port). */
export function missingKeyResponse(): SourceResponse {
  return tocsinError(404, 'INTEGRATION_KEY_UNKNOWN', 'Integration not found', 'key');
}

/** Either the value or the AppError a port call failed with. */
export type PortResult<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * Runs a port call, returning a domain AppError as a value. Anything else (a bug, a dead
 * database) is rethrown so the HTTP layer logs it and answers 500, which senders retry.
 */
export async function callPort<T>(call: () => Promise<T>): Promise<PortResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err };
    throw err;
  }
}

/** `authenticate` through {@link callPort}. */
export function authenticate(
  ingest: IngestPort,
  key: string,
  type: IntegrationType,
): Promise<PortResult<IntegrationRef>> {
  return callPort(() => ingest.authenticate(key, type));
}

/** `ingest` through {@link callPort}; an empty batch never reaches the port. */
export function ingestEvents(
  ingest: IngestPort,
  integration: IntegrationRef,
  events: NormalizedEvent[],
): Promise<PortResult<IngestOutcome[]>> {
  if (events.length === 0) return Promise.resolve({ ok: true, value: [] });
  return callPort(() => ingest.ingest(integration, events));
}
