import { z } from 'zod';

const intFromEnv = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const boolFromEnv = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  TOCSIN_ROLES: z
    .string()
    .default('api,engine')
    .transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['api', 'engine'])).min(1)),
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
  TOCSIN_SMTP_IN_MAX_BYTES: intFromEnv(1024 * 1024, 1024, 64 * 1024 * 1024),
});

/** Validated settings, with names that read well in code. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
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
  smtpIn: { port: number; host: string; domain: string; maxBytes: number } | undefined;
  /** Seed the demo organisation on first start. */
  demo: boolean;
}
