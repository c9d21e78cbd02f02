import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Log fields that must never reach a log line; pino replaces them with "[redacted]". */
export const redactPaths = [
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** Builds the process logger. `level: 'silent'` for tests. */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'tocsin' },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
