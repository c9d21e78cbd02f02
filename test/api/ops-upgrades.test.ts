import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { isAppError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import {
  defaultConnectTimeoutMs,
  migrateToLatest,
  openStore,
  pendingMigrations,
  type MigrationLog,
} from '../../src/db/index.js';
import { migrations } from '../../src/db/migrations/index.js';
import {
  describeEachStore,
  openSecondHandle,
  openTestStore,
  storeKinds,
  testConfig,
} from '../harness.js';

// Operating Tocsin across versions: upgrades say which migrations they applied, an old binary on
// a newer database stops in one line, and two nodes started together on an empty Postgres make
// one organisation. Also the Postgres pool's settings (size, connect timeout).

const known = Object.keys(migrations).sort();

function capture(): MigrationLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (_fields, message) => lines.push(message) };
}

describeEachStore('migrations', (kind) => {
  it('logs one line per applied migration, and nothing when the store is current', async () => {
    const store = await openTestStore(kind, { migrate: false });
    try {
      const log = capture();
      await migrateToLatest(store, log);
      expect(log.lines).toEqual(known.map((name) => `applied migration ${name}`));
      const again = capture();
      expect(await migrateToLatest(store, again)).toEqual([]);
      expect(again.lines).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('an older build on a newer database stops in one line before migrating', async () => {
    const store = await openTestStore(kind);
    try {
      // What a newer version leaves behind: a migration this build has never heard of.
      await sql`insert into kysely_migration (name, timestamp)
                values ('0099-from-the-future', ${new Date().toISOString()})`.execute(store.db);
      const err = await migrateToLatest(store).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(err, 'SCHEMA_TOO_NEW'), String(err)).toBe(true);
      expect((err as Error).message).toBe(
        `the database schema is newer than this Tocsin (it has 0099-from-the-future, this build ` +
          `knows up to ${known[known.length - 1]}): run the newer version, or restore a backup ` +
          'taken before the upgrade',
      );
    } finally {
      await store.close();
    }
  });
});

it.runIf(storeKinds().includes('postgres'))(
  'two nodes started together on an empty Postgres make one organisation and show one password',
  async () => {
    const store = await openTestStore('postgres', { migrate: false });
    const other = openSecondHandle(store);
    const config = testConfig({ adminPassword: undefined });
    const logger = createLogger({ level: 'silent' });
    try {
      const apps = await Promise.all(
        [store, other].map((s) => createApp({ config, store: s, logger, skipInitialise: false })),
      );
      try {
        const shown = apps.filter((a) => a.firstStart?.generatedPassword !== undefined);
        expect(shown).toHaveLength(1);
        expect(apps.filter((a) => a.firstStart === undefined)).toHaveLength(1);
        const users = await store.db.selectFrom('users').select('email').execute();
        expect(users.map((u) => u.email)).toEqual([config.adminEmail]);
      } finally {
        for (const app of apps) await app.stop();
      }
    } finally {
      await other.close();
      await store.close();
    }
  },
);

describe('the Postgres pool settings', () => {
  let hung: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    // A server that accepts connections and never answers: Postgres stopped with SIGSTOP.
    hung = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    port = (hung.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => hung.close(resolve));
  });

  it('a hung server fails a query after the connect timeout instead of holding it', async () => {
    expect(defaultConnectTimeoutMs).toBe(10_000);
    const store = openStore({
      databaseUrl: `postgres://tocsin@127.0.0.1:${port}/tocsin`,
      connectTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      await expect(sql`select 1`.execute(store.db)).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await store.close();
    }
  }, 10_000);

  it("the readiness check's store query gives up on a hung server", async () => {
    // The connection is slower to give up than the check: this is the check's own bound.
    const store = openStore({
      databaseUrl: `postgres://tocsin@127.0.0.1:${port}/tocsin`,
      connectTimeoutMs: 60_000,
    });
    try {
      await expect(pendingMigrations(store, 300)).rejects.toThrow(
        'the store did not answer within 0.3 s',
      );
    } finally {
      void store.close();
    }
  }, 10_000);

  it('TOCSIN_DATABASE_POOL_SIZE sets the pool size (default 10)', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ TOCSIN_DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    expect(() => loadConfig({ TOCSIN_DATABASE_POOL_SIZE: '0' })).toThrow(
      /TOCSIN_DATABASE_POOL_SIZE/,
    );
  });
});
