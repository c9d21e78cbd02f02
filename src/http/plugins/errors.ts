import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorKind } from '../../core/errors.js';

/** The only place an error kind becomes a status code. */
const statusOfKind: Record<ErrorKind, number> = {
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

/** Fastify's own error codes → our stable codes. */
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one error body: `{"error":{"code","message","field"?,"requestId"?}}`. `requestId` is on
 * 5xx answers, which are logged under it: quoting it finds the log line.
 */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; requestId?: string };
}

/** Sends the error shape. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  field?: string,
  requestId?: string,
): FastifyReply {
  const body: ErrorBody = {
    error: {
      code,
      message,
      ...(field ? { field } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Logs a failed request with what an operator needs to find it: the request id (also in the
 * body), method, route pattern (never the raw URL: integration keys travel in paths) and status.
 */
function logFailure(request: FastifyRequest, err: Error, statusCode: number): void {
  request.log.error(
    {
      err,
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      statusCode,
    },
    'request failed',
  );
}

/**
 * One error shape for every 4xx/5xx, whatever threw: a domain's AppError, request validation
 * (naming the first bad field), Fastify's body parsing (malformed JSON 400, too large 413, wrong
 * content type 415), or a bug (500 without internals).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(err.retryAfterSeconds));
      const status = statusOfKind[err.kind];
      if (status < 500) return sendError(reply, status, err.code, err.message, err.field);
      logFailure(request, err, status);
      return sendError(reply, status, err.code, err.message, err.field, request.id);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || undefined;
      const where = (err as { validationContext?: string }).validationContext ?? 'body';
      const message = first ? `${field ?? where}: ${first.message}` : 'Invalid request';
      return sendError(reply, 400, 'VALIDATION_FAILED', message, field);
    }
    const fe = err as FastifyError;
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code =
        fastifyCodes[fe.code] ?? (fe.statusCode === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST');
      return sendError(reply, fe.statusCode, code, fe.message);
    }
    logFailure(request, err, 500);
    return sendError(
      reply,
      500,
      'INTERNAL',
      'Something went wrong on our side; it has been logged',
      undefined,
      request.id,
    );
  });
}
