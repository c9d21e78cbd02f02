import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import {
  asSession,
  createTestApp,
  login,
  storeKinds,
  testAdmin,
  type Session,
  type TestApp,
} from '../harness.js';

// A Postgres restart (or an admin's pg_terminate_backend) ends the sessions of clients that are
// checked out of the pool, mid-transaction. pg emits 'error' on such a client, and pg-pool only
// listens on idle ones: without a listener of Tocsin's own, the event was an uncaught exception
// and the node died (vitest fails a run on an unhandled error, so this test would too). Now the
// request in flight fails with a 5xx, the process carries on, and the next request gets a new
// connection.

describe.runIf(storeKinds().includes('postgres'))(
  'a connection killed mid-transaction [postgres]',
  () => {
    let app: TestApp;
    let admin: Session;
    let blocker: pg.Client;
    /** Looks and kills from outside the blocker's transaction (whose view of activity is fixed). */
    let watcher: pg.Client;
    let logged: string;

    beforeEach(async () => {
      logged = '';
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logged += chunk.toString();
          done();
        },
      });
      app = await createTestApp('postgres', {
        logger: createLogger({ level: 'error', destination: sink }),
      });
      admin = await login(app, testAdmin.email, testAdmin.password);
      blocker = new pg.Client({ connectionString: app.store.url });
      await blocker.connect();
      watcher = new pg.Client({ connectionString: app.store.url });
      await watcher.connect();
    });
    afterEach(async () => {
      await blocker.end().catch(() => undefined);
      await watcher.end().catch(() => undefined);
      await app.close();
    });

    const createTeam = (name: string) =>
      app.http!.inject({
        method: 'POST',
        url: '/api/teams',
        headers: asSession(admin),
        payload: { name, description: '' },
      });

    it('fails that request with a 5xx; the process survives and the next request succeeds', async () => {
      // Hold the audit log so that creating a team stops mid-transaction (its team row written,
      // the audit row waiting for the lock), then kill that session from another connection.
      await blocker.query('begin');
      await blocker.query('lock table audit_log in exclusive mode');
      // (inject starts the request when awaited.)
      const pending = createTeam('Killed mid-transaction').then((r) => r);
      let pid: number | undefined;
      for (let i = 0; i < 200 && pid === undefined; i++) {
        const r = await watcher.query<{ pid: number }>(
          `select pid from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid()
             and wait_event_type = 'Lock' and query ilike '%audit_log%'`,
        );
        pid = r.rows[0]?.pid;
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(pid, 'the request reached the locked table').toBeDefined();
      await watcher.query('select pg_terminate_backend($1)', [pid]);
      const res = await pending;
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      // The log names what happened, not the rollback that could not run on the dead session.
      expect(logged).toContain('terminating connection due to administrator command');
      expect(logged).not.toContain('not queryable');
      await blocker.query('rollback');

      // The dead client left the pool; the next requests get a fresh connection.
      const next = await createTeam('After the kill');
      expect(next.statusCode, next.body).toBe(201);
      const ready = await app.http!.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json()).toMatchObject({ checks: { store: { ok: true } } });
      const names = (await app.db.selectFrom('teams').select('name').execute()).map((t) => t.name);
      expect(names).toContain('After the kill');
      expect(names).not.toContain('Killed mid-transaction');
    });
  },
);
