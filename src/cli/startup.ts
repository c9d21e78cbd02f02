import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { sqlitePathOf } from '../config/config.js';
import { AppError } from '../core/errors.js';
import { redactUrl } from '../db/index.js';
import type { FirstStartResult } from '../domains/demo/index.js';

/**
 * Commands that read or change an existing installation refuse to create a database: opening
 * SQLite creates the file, so `tocsin service list` run from the wrong directory would quietly
 * make a new, empty `./data/tocsin.db` and answer "no services". Postgres is named by URL, so
 * there is nothing to check.
 */
export function requireExistingStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): void {
  if (config.databaseUrl) return;
  const path = sqlitePathOf(config);
  if (existsSync(path)) return;
  throw new AppError({
    kind: 'not_found',
    code: 'DATABASE_NOT_FOUND',
    message:
      `no database at ${path}: TOCSIN_DATA_DIR (default ./data) is relative to the current ` +
      'directory; set it to the directory holding tocsin.db, or set TOCSIN_DATABASE_URL for ' +
      'Postgres (`tocsin serve` or `tocsin migrate` creates a new database)',
  });
}

/** The first-start block: the only time a generated admin password is shown. */
export function firstStartText(fs: FirstStartResult): string {
  return (
    `\nFirst start: ${fs.demo ? 'demo organisation created' : 'empty organisation created'}.\n` +
    `  Admin: ${fs.adminEmail}\n` +
    (fs.generatedPassword
      ? `  Password: ${fs.generatedPassword}   (shown once; change it under Settings)\n`
      : '') +
    '\n'
  );
}

const listenProblems: Record<string, { what: string; fix: 'host' | 'port' }> = {
  EADDRINUSE: { what: 'address in use', fix: 'port' },
  EACCES: { what: 'permission denied', fix: 'port' },
  EADDRNOTAVAIL: { what: 'address not available on this machine', fix: 'host' },
  ENOTFOUND: { what: 'unknown host', fix: 'host' },
  EAI_AGAIN: { what: 'host name lookup failed', fix: 'host' },
};

/**
 * A listener that cannot bind (port taken, a privileged port, an address this machine lacks) is
 * a setting to change, not a crash: one line naming the address and the variable, instead of
 * Node's stack trace. The email-in listener is told apart from HTTP by its port or host.
 * Anything else: undefined, and the caller rethrows it as it is.
 */
export function listenError(
  err: unknown,
  config: Pick<Config, 'host' | 'port' | 'smtpIn'>,
): AppError | undefined {
  const e = err as { code?: unknown; port?: unknown; address?: unknown; hostname?: unknown };
  const problem = typeof e.code === 'string' ? listenProblems[e.code] : undefined;
  if (!problem) return undefined;
  const smtp = config.smtpIn;
  const isSmtp =
    smtp !== undefined &&
    (problem.fix === 'port'
      ? e.port === smtp.port && e.port !== config.port
      : (e.address ?? e.hostname) === smtp.host && smtp.host !== config.host);
  const host = isSmtp ? smtp.host : config.host;
  const port = isSmtp ? smtp.port : config.port;
  const variable = `TOCSIN_${isSmtp ? 'SMTP_IN_' : ''}${problem.fix === 'port' ? 'PORT' : 'HOST'}`;
  return new AppError({
    kind: 'invalid',
    code: 'LISTEN_FAILED',
    message: `cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${problem.what} (set ${variable})`,
  });
}

/**
 * Errors that stop a start on something outside Tocsin (the database, the disk, another server):
 * one line, exit code 1. Errors a user fixes in the command or the configuration exit 2.
 */
export const environmentErrorCodes: ReadonlySet<string> = new Set([
  'STORE_UNREACHABLE',
  'DATA_DIR_NOT_WRITABLE',
  'DATABASE_READ_ONLY',
  'DATABASE_CANNOT_OPEN',
  'DATA_DIR_LOCKED',
  'SCHEMA_TOO_NEW',
]);

const pgReachProblems: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  '28P01': 'password authentication failed',
  '28000': 'this user may not connect',
  '3D000': 'no such database',
  '57P03': 'the server is starting up or shutting down',
};

const fsProblems: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on the device',
};

/**
 * Turns a failure to open the store at start (Postgres unreachable, the data directory not
 * writable, a read-only SQLite file) into one line naming the variable and the path or address,
 * instead of a stack trace. Anything else: undefined, and the caller rethrows it as it is.
 */
export function storeStartupError(
  err: unknown,
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
): AppError | undefined {
  if (err instanceof AppError) return undefined;
  const e = err as {
    code?: unknown;
    path?: unknown;
    message?: unknown;
    errors?: Array<{ code?: unknown }>;
  };
  const code =
    typeof e?.code === 'string'
      ? e.code
      : typeof e?.errors?.[0]?.code === 'string'
        ? e.errors[0].code
        : undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (config.databaseUrl) {
    const what =
      (code && pgReachProblems[code]) ??
      (/timeout|Connection terminated/i.test(message) ? 'no answer (timed out)' : undefined);
    if (!what) return undefined;
    return new AppError({
      kind: 'unavailable',
      code: 'STORE_UNREACHABLE',
      message: `cannot reach the database at ${redactUrl(config.databaseUrl)} (TOCSIN_DATABASE_URL): ${what}`,
      cause: err,
    });
  }
  const dir = resolve(config.dataDir);
  const dbPath = sqlitePathOf(config);
  if (code?.startsWith('SQLITE_READONLY'))
    return new AppError({
      kind: 'unavailable',
      code: 'DATABASE_READ_ONLY',
      message:
        `the database ${dbPath} is read-only (TOCSIN_DATA_DIR): Tocsin needs to write it, its ` +
        'directory and its -wal and -shm files',
      cause: err,
    });
  if (code === 'SQLITE_CANTOPEN')
    return new AppError({
      kind: 'unavailable',
      code: 'DATABASE_CANNOT_OPEN',
      message: `cannot open the database ${dbPath} (TOCSIN_DATA_DIR): check that this user may read and write it and its directory`,
      cause: err,
    });
  if (code && fsProblems[code]) {
    const path = typeof e.path === 'string' ? e.path : dir;
    return new AppError({
      kind: 'unavailable',
      code: 'DATA_DIR_NOT_WRITABLE',
      message: `cannot use the data directory ${dir} (TOCSIN_DATA_DIR): ${fsProblems[code]} on ${path}`,
      cause: err,
    });
  }
  return undefined;
}
