import { isIP } from 'node:net';
import { z } from 'zod';
import { parseSecretKey } from '../core/secrets.js';

// Values reach these schemas without empty ones: loadConfig drops `VAR=` first (see there), so
// z.coerce.number() never sees '' (which it would turn into 0, a random port).
const intFromEnv = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const boolFromEnv = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A CIDR (`10.0.0.0/8`, `fd00::/8`) or a single IP; integrations/net parses it for real. */
const isCidrOrIp = (entry: string): boolean => {
  const [ip = '', bits, ...rest] = entry.split('/');
  const version = isIP(ip);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
};

const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );

/**
 * The roles a process runs, comma-separated: TOCSIN_ROLES and `tocsin serve --roles` both parse
 * with this, so a typo (`engin`) is refused the same way wherever it is written.
 */
export const rolesSchema = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z.enum(['api', 'engine'], {
          error: (issue) => `"${String(issue.input)}" is not a role (api, engine)`,
        }),
      )
      .min(1, 'name at least one role: api, engine'),
  );

/**
 * Every environment variable Tocsin reads, validated at start-up (fail fast, naming the variable).
 * docs/config.md is the table of these; keep the two together.
 */
export const envSchema = z.object({
  TOCSIN_HOST: z.string().min(1).default('127.0.0.1'),
  TOCSIN_PORT: intFromEnv(8080, 0, 65535),
  TOCSIN_DATA_DIR: z.string().min(1).default('./data'),
  TOCSIN_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  TOCSIN_DATABASE_POOL_SIZE: intFromEnv(10, 1, 1000),
  TOCSIN_ROLES: rolesSchema.default(['api', 'engine']),
  TOCSIN_LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info'),
  TOCSIN_PUBLIC_URL: z.url().optional(),
  TOCSIN_TRUST_PROXY: boolFromEnv(false),
  TOCSIN_ADMIN_EMAIL: z.email().optional(),
  TOCSIN_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  TOCSIN_ENGINE_TICK_MS: intFromEnv(1000, 50, 60_000),
  TOCSIN_ENGINE_SLOW_CYCLE_MS: intFromEnv(2000, 10, 600_000),
  TOCSIN_SESSION_IDLE_MINUTES: intFromEnv(12 * 60, 5, 60 * 24 * 30),
  TOCSIN_SESSION_ABSOLUTE_HOURS: intFromEnv(24 * 7, 1, 24 * 90),
  TOCSIN_BODY_LIMIT_BYTES: intFromEnv(1024 * 1024, 1024, 64 * 1024 * 1024),
  TOCSIN_LOGIN_MAX_FAILURES: intFromEnv(10, 1, 1000),
  TOCSIN_LOGIN_WINDOW_MINUTES: intFromEnv(15, 1, 24 * 60),
  TOCSIN_SMTP_IN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TOCSIN_SMTP_IN_HOST: z.string().min(1).default('127.0.0.1'),
  TOCSIN_SMTP_IN_DOMAIN: z.string().min(1).max(253).default('tocsin.local'),
  TOCSIN_SMTP_IN_TICKETS: z
    .string()
    .regex(/^[a-z0-9._+-]{1,64}$/i, 'must be the local part of an address, e.g. tickets')
    .default('tickets'),
  TOCSIN_SMTP_IN_MAX_BYTES: intFromEnv(1024 * 1024, 1024, 64 * 1024 * 1024),
  // Empty counts as unset (compose files often pass `TOCSIN_SECRET_KEY=${TOCSIN_SECRET_KEY}`).
  // Issues name the key's position, never its text.
  TOCSIN_SECRET_KEY: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s))
    .superRefine((s, ctx) => {
      const keys = s?.split(',') ?? [];
      keys.forEach((key, i) => {
        try {
          parseSecretKey(key);
        } catch (err) {
          ctx.addIssue({
            code: 'custom',
            message: `key ${i + 1} of ${keys.length}: ${(err as Error).message}`,
          });
        }
      });
    }),
  TOCSIN_OUTBOUND_ALLOW: commaList.superRefine((entries, ctx) => {
    for (const entry of entries) {
      if (!isCidrOrIp(entry)) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not a CIDR or an IP address` });
      }
    }
  }),
  TOCSIN_SELF_ALERT_SERVICE: z.string().trim().min(1).max(200).optional(),
  TOCSIN_NOTIFY_TIMEOUT_MS: intFromEnv(10_000, 500, 120_000),
  TOCSIN_NOTIFY_CYCLE_WAIT_MS: intFromEnv(2000, 0, 120_000),
  TOCSIN_CHECK_CONCURRENCY: intFromEnv(200, 1, 10_000),
  TOCSIN_CHECK_LOOKAHEAD_MS: intFromEnv(2000, 0, 10_000),
  TOCSIN_CHECK_RAW_RETENTION_HOURS: intFromEnv(48, 1, 24 * 90),
  TOCSIN_CHECK_MINUTE_RETENTION_DAYS: intFromEnv(14, 1, 400),
  TOCSIN_CHECK_HOUR_RETENTION_DAYS: intFromEnv(400, 7, 3650),
});

/** Validated settings, with names that read well in code. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Postgres connections this process keeps at most (its pool). */
  databasePoolSize: number;
  roles: ReadonlyArray<'api' | 'engine'>;
  logLevel: string;
  publicUrl: string | undefined;
  trustProxy: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  engineTickMs: number;
  engineSlowCycleMs: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  bodyLimitBytes: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Email-in listener (off when undefined). */
  smtpIn:
    | { port: number; host: string; domain: string; maxBytes: number; ticketsLocalPart: string }
    | undefined;
  /** Keys for secrets at rest, comma-separated, newest first; unset: `<dataDir>/secret.key`. */
  secretKey: string | undefined;
  /** CIDRs and IPs outbound requests may reach although private or reserved (SSRF guard). */
  outboundAllow: string[];
  /** A service (name or id) that gets Tocsin's own alerts, e.g. a notifier outage. */
  selfAlertService: string | undefined;
  /** Per-request timeout of a notifier's vendor call. */
  notifyTimeoutMs: number;
  /**
   * How long an engine cycle waits for its sends before going on; slower sends finish in the
   * background, so one slow vendor does not hold up escalations or other channels.
   */
  notifyCycleWaitMs: number;
  /** Check probes in flight at most (per node). */
  checkConcurrency: number;
  /** How far ahead the engine claims check runs (started at their exact slot); 0 in tests. */
  checkLookaheadMs: number;
  /** How long raw check results, minute rollups and hour rollups (and outages) are kept. */
  checkRawRetentionMs: number;
  checkMinuteRetentionMs: number;
  checkHourRetentionMs: number;
  /** Seed the demo organisation on first start. */
  demo: boolean;
}
