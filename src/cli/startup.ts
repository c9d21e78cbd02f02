import { existsSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { sqlitePathOf } from '../config/config.js';
import { AppError } from '../core/errors.js';
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
