import type { z } from 'zod';

/** What went wrong, in terms the HTTP layer (and only it) maps to a status code. */
export type ErrorKind =
  | 'invalid' // the input is wrong: 400
  | 'unauthenticated' // who are you: 401
  | 'forbidden' // you may not: 403
  | 'not_found' // 404
  | 'conflict' // already exists / state forbids it: 409
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'unavailable' // dependency down: 503
  | 'internal'; // a bug: 500

/** Fields of an {@link AppError}. `code` is stable and documented; `message` is for humans. */
export interface AppErrorInit {
  kind: ErrorKind;
  code: string;
  message: string;
  field?: string;
  /** Seconds the caller should wait before retrying (rate limits). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** The one error type domains throw. Only `http/` turns its `kind` into a status code. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AppError';
    this.kind = init.kind;
    this.code = init.code;
    this.field = init.field;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** True when `err` is an {@link AppError}, optionally of the given code. */
export function isAppError(err: unknown, code?: string): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** Shorthand for the common "no such thing (or not yours)" error. */
export function notFound(what: string, code = 'NOT_FOUND', field?: string): AppError {
  return new AppError({
    kind: 'not_found',
    code,
    message: `${what} not found`,
    ...(field ? { field } : {}),
  });
}

/** Shorthand for "you may not do that". */
export function forbidden(
  message = 'You do not have permission to do this',
  code = 'FORBIDDEN',
): AppError {
  return new AppError({ kind: 'forbidden', code, message });
}

/** Shorthand for "this input is wrong", naming the field. */
export function invalid(code: string, field: string, message: string): AppError {
  return new AppError({ kind: 'invalid', code, field, message });
}

/**
 * Parses `value` with `schema`; the first issue becomes the same 400 the HTTP layer gives
 * (VALIDATION_FAILED naming the field, below `prefix` when given; an issue without a path names
 * `fallbackField`, or no field).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix = '',
  fallbackField = '',
): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || fallbackField;
  throw new AppError({
    kind: 'invalid',
    code: 'VALIDATION_FAILED',
    field: field || undefined,
    message: `${field || 'input'}: ${issue.message}`,
  });
}
