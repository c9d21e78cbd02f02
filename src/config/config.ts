import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { envSchema, rolesSchema, type Config } from './config.schema.js';

export type { Config } from './config.schema.js';

/**
 * The environment without empty values: `VAR=` (what compose files write for an unset variable)
 * means unset for every variable, so it gets its default instead of '' (which z.coerce.number()
 * would read as 0: a random port, or the email-in listener switched on).
 */
export function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

/**
 * Reads and validates the environment. Throws an {@link AppError} naming the first bad variable,
 * so a typo stops the process at start-up instead of surprising someone at 3 a.m.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const parsed = envSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new AppError({
      kind: 'invalid',
      code: 'CONFIG_INVALID',
      field,
      message: `${field}: ${issue.message}`,
    });
  }
  const e = parsed.data;
  return {
    host: e.TOCSIN_HOST,
    port: e.TOCSIN_PORT,
    dataDir: e.TOCSIN_DATA_DIR,
    databaseUrl: e.TOCSIN_DATABASE_URL,
    databasePoolSize: e.TOCSIN_DATABASE_POOL_SIZE,
    roles: e.TOCSIN_ROLES,
    logLevel: e.TOCSIN_LOG_LEVEL,
    publicUrl: e.TOCSIN_PUBLIC_URL,
    trustProxy: e.TOCSIN_TRUST_PROXY,
    adminEmail: e.TOCSIN_ADMIN_EMAIL,
    adminPassword: e.TOCSIN_ADMIN_PASSWORD,
    engineTickMs: e.TOCSIN_ENGINE_TICK_MS,
    engineSlowCycleMs: e.TOCSIN_ENGINE_SLOW_CYCLE_MS,
    sessionIdleMs: e.TOCSIN_SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.TOCSIN_SESSION_ABSOLUTE_HOURS * 3_600_000,
    bodyLimitBytes: e.TOCSIN_BODY_LIMIT_BYTES,
    loginMaxFailures: e.TOCSIN_LOGIN_MAX_FAILURES,
    loginWindowMs: e.TOCSIN_LOGIN_WINDOW_MINUTES * 60_000,
    smtpIn:
      e.TOCSIN_SMTP_IN_PORT === undefined
        ? undefined
        : {
            port: e.TOCSIN_SMTP_IN_PORT,
            host: e.TOCSIN_SMTP_IN_HOST,
            domain: e.TOCSIN_SMTP_IN_DOMAIN,
            maxBytes: e.TOCSIN_SMTP_IN_MAX_BYTES,
            ticketsLocalPart: e.TOCSIN_SMTP_IN_TICKETS.toLowerCase(),
          },
    secretKey: e.TOCSIN_SECRET_KEY,
    outboundAllow: e.TOCSIN_OUTBOUND_ALLOW,
    selfAlertService: e.TOCSIN_SELF_ALERT_SERVICE,
    notifyTimeoutMs: e.TOCSIN_NOTIFY_TIMEOUT_MS,
    notifyCycleWaitMs: e.TOCSIN_NOTIFY_CYCLE_WAIT_MS,
    checkConcurrency: e.TOCSIN_CHECK_CONCURRENCY,
    checkLookaheadMs: e.TOCSIN_CHECK_LOOKAHEAD_MS,
    checkRawRetentionMs: e.TOCSIN_CHECK_RAW_RETENTION_HOURS * 3_600_000,
    checkMinuteRetentionMs: e.TOCSIN_CHECK_MINUTE_RETENTION_DAYS * 86_400_000,
    checkHourRetentionMs: e.TOCSIN_CHECK_HOUR_RETENTION_DAYS * 86_400_000,
    demo: true,
    ...overrides,
  };
}

/**
 * Parses a roles list given as a flag (`tocsin serve --roles`) with TOCSIN_ROLES's schema, so a
 * typo fails the same way, in one line naming the flag.
 */
export function parseRoles(value: string, flag = '--roles'): Config['roles'] {
  const parsed = rolesSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError({
    kind: 'invalid',
    code: 'CONFIG_INVALID',
    field: flag.replace(/^-+/, ''),
    message: `${flag}: ${parsed.error.issues[0]!.message}`,
  });
}

/** The SQLite file of a configuration: `tocsin.db` in the data dir, resolved from the cwd. */
export function sqlitePathOf(config: Pick<Config, 'dataDir'>): string {
  return join(resolve(config.dataDir), 'tocsin.db');
}

/** The environment variables, for docs and `--help`. */
export const configKeys = Object.keys(envSchema.shape) as Array<keyof z.infer<typeof envSchema>>;
