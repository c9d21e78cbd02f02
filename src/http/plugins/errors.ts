import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
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

/** The one error body: `{"error":{"code","message","field"?}}`. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Sends the error shape. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  field?: string,
): FastifyReply {
  const body: ErrorBody = { error: field ? { code, message, field } : { code, message } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
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
      if (status >= 500) request.log.error({ err }, 'request failed');
      return sendError(reply, status, err.code, err.message, err.field);
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
    request.log.error({ err }, 'request failed');
    return sendError(
      reply,
      500,
      'INTERNAL',
      'Something went wrong on our side; it has been logged',
    );
  });
}
