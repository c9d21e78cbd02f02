import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { describe } from 'vitest';
import { createApp, type AppOptions, type TocsinApp } from '../src/app/app.js';
import { loadConfig, type Config } from '../src/config/config.js';
import { FakeClock } from '../src/core/clock.js';
import { createLogger, type Logger } from '../src/core/logger.js';
import { migrateToLatest, openStore, type Database, type Store } from '../src/db/index.js';

/*
 * The test harness: stores of both kinds, a composed app on a fake clock, and small helpers for
 * HTTP tests. Store-backed tests call `describeEachStore` so each runs on SQLite and Postgres.
 */

export type StoreKind = 'sqlite' | 'postgres';

const pgUrl = process.env.TOCSIN_TEST_PG_URL;

/** The stores to test on here: SQLite always, Postgres when the harness started one. */
export function storeKinds(): StoreKind[] {
  if (!pgUrl && process.env.CI === 'true') {
    throw new Error(
      'CI=true but TOCSIN_TEST_PG_URL is unset: run tests through scripts/with-postgres.mjs',
    );
  }
  return pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

if (!pgUrl && process.env.CI !== 'true') {
  console.warn(
    '!! TOCSIN_TEST_PG_URL is unset: Postgres store tests are SKIPPED (npm test starts Postgres itself).',
  );
}

/** Runs the suite once per store kind. */
export function describeEachStore(name: string, fn: (kind: StoreKind) => void): void {
  for (const kind of storeKinds()) describe(`${name} [${kind}]`, () => fn(kind));
}

/**
 * A fresh, empty, migrated store. SQLite: in memory. Postgres: a new database on the test server,
 * copied from a migrated template (made once per migration set, see `migratedTemplate`), dropped
 * on close, so test files never see each other's rows.
 */
export async function openTestStore(
  kind: StoreKind,
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const migrate = options.migrate ?? true;
  let store: Store;
  if (kind === 'sqlite') {
    store = openStore({ sqlitePath: ':memory:' });
    if (migrate) await migrateToLatest(store);
    return store;
  }
  const template = migrate ? await migratedTemplate() : undefined;
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const inner = openStore({ databaseUrl: databaseUrl(name), poolSize: 5 });
  return {
    ...inner,
    close: async () => {
      await inner.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function databaseUrl(name: string): string {
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

let template: Promise<string> | undefined;

/**
 * The name of a Postgres database migrated to the latest schema, to copy test databases from
 * (a copy takes tens of milliseconds; migrating takes hundreds). Named by a hash of the migration
 * sources, so a changed migration gets a new template; built under an advisory lock, so parallel
 * test workers build it once, and renamed into place only when complete.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = new URL('../src/db/migrations/', import.meta.url);
    const hash = createHash('sha256');
    for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(new URL(f, dir)));
    const name = `tpl_${hash.digest('hex').slice(0, 16)}`;
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query('SELECT pg_advisory_lock(7316001)');
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${building}`);
        const store = openStore({ databaseUrl: databaseUrl(building), poolSize: 1 });
        try {
          await migrateToLatest(store);
        } finally {
          await store.close();
        }
        await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
      await c.query('SELECT pg_advisory_unlock(7316001)');
    } finally {
      await c.end();
    }
    return name;
  })();
  return template;
}

/** A second handle on the same Postgres database (another "node"); SQLite has no such thing. */
export function openSecondHandle(store: Store): Store {
  if (store.dialect !== 'postgres' || !store.url) throw new Error('a second handle needs Postgres');
  return openStore({ databaseUrl: store.url, poolSize: 5 });
}

export const testAdmin = { email: 'admin@test.local', password: 'correct horse battery staple' };

/** Test configuration: silent, no demo unless asked, fast login limits. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {
      TOCSIN_LOG_LEVEL: 'silent',
      TOCSIN_ADMIN_EMAIL: testAdmin.email,
      TOCSIN_ADMIN_PASSWORD: testAdmin.password,
    },
    {
      demo: false,
      // A fixed key (no key file under ./data) and loopback allowed: vendor doubles are local.
      secretKey: '5e'.repeat(32),
      outboundAllow: ['127.0.0.1/32'],
      ...overrides,
    },
  );
}

export interface TestApp extends TocsinApp {
  clock: FakeClock;
  db: Kysely<Database>;
  /** The app's store (a second handle on it is another node: `openSecondHandle`). */
  store: Store;
  close(): Promise<void>;
}

/** A composed app on a fresh store and a fake clock (not listening: use `app.http.inject`). */
export async function createTestApp(
  kind: StoreKind,
  options: { config?: Partial<Config>; clock?: FakeClock; logger?: Logger } & Pick<
    AppOptions,
    'extraModules' | 'deliver' | 'random' | 'presence'
  > = {},
): Promise<TestApp> {
  const store = await openTestStore(kind);
  const clock = options.clock ?? new FakeClock('2026-03-01T02:00:00Z');
  const app = await createApp({
    config: testConfig(options.config),
    clock,
    store,
    logger: options.logger ?? createLogger({ level: 'silent' }),
    extraModules: options.extraModules,
    ...(options.deliver ? { deliver: options.deliver } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.presence ? { presence: options.presence } : {}),
  });
  return Object.assign(app, {
    clock,
    db: store.db,
    store,
    async close() {
      await app.stop();
      await store.close();
    },
  }) as TestApp;
}

/** A signed-in browser-like client: cookie + CSRF token. */
export interface Session {
  cookie: string;
  csrfToken: string;
}

/** Signs in through the API and returns what a browser would hold. */
export async function login(app: TocsinApp, email: string, password: string): Promise<Session> {
  const res = await app.http!.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'tocsin_session');
  return {
    cookie: `tocsin_session=${setCookie!.value}`,
    csrfToken: (res.json() as { csrfToken: string }).csrfToken,
  };
}

/** Headers for a cookie-authenticated request, with the CSRF token unless `csrf: false`. */
export function asSession(s: Session, options: { csrf?: boolean } = {}): Record<string, string> {
  return { cookie: s.cookie, ...(options.csrf === false ? {} : { 'x-csrf-token': s.csrfToken }) };
}
