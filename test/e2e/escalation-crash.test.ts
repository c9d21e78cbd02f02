import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { newId } from '../../src/core/ids.js';
import { createLogger } from '../../src/core/logger.js';
import { createApp, type TocsinApp } from '../../src/app/app.js';
import { migrateToLatest, openStore, type Store } from '../../src/db/index.js';
import { describeEachStore, openTestStore, testConfig } from '../harness.js';
import { requireBuild, root } from './built.js';

// Exactly once across crashes: an engine process is killed with SIGKILL in the middle of
// escalating 1,500 incidents; a new one finishes the job. No page may be doubled, none skipped.

const system = systemActor('crash test');
const incidents = 1500;
const minute = 60_000;
const t0 = Date.parse('2026-03-10T02:00:00Z');

describeEachStore('SIGKILL in the middle of escalations', (kind) => {
  let store: Store;
  let app: TocsinApp;
  let env: Record<string, string>;
  let dir: string;

  beforeEach(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'tocsin-crash-'));
    if (kind === 'sqlite') {
      store = openStore({ sqlitePath: join(dir, 'tocsin.db') });
      await migrateToLatest(store);
      env = { TOCSIN_DATA_DIR: dir };
    } else {
      store = await openTestStore('postgres');
      env = { TOCSIN_DATABASE_URL: store.url! };
    }
    app = await createApp({
      config: testConfig({ roles: [] }),
      clock: new FakeClock(t0),
      store,
      logger: createLogger({ level: 'silent' }),
      skipInitialise: true,
    });
  });
  afterEach(async () => {
    await app.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs the engine child at `now`. With `kill`, sends SIGKILL as soon as its first cycle has
   * finished, so the kill lands while a later cycle is writing (the escalate module handles at
   * most 200 steps a pass, so 1,500 due steps take several cycles).
   */
  function runChild(now: number, kill = false): Promise<'killed' | 'idle'> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, 'test', 'e2e', 'engine-child.mjs')], {
        env: { ...process.env, ...env, TOCSIN_TEST_NOW: String(now), TOCSIN_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        if (kill && d.toString().includes('cycle')) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => {
        if (signal === 'SIGKILL') {
          // The dead process may still hold module leases. The next process sees it is gone and
          // takes them over at once: on SQLite (one server per file) from this host's process
          // table, on Postgres because the dead process's presence session is gone.
          resolve('killed');
        } else if (code === 0) resolve('idle');
        else reject(new Error(`engine child exited ${code}: ${err}`));
      });
    });
  }

  async function countPages(level: number): Promise<number> {
    const r = await store.db
      .selectFrom('notification_intents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('level', '=', level)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it(
    'pages every incident exactly once per level, with a kill during each level',
    { timeout: 240_000 },
    async () => {
      const team = await app.services.teams.create(system, { name: 'Platform', description: '' });
      const primary = await app.services.users.create(system, {
        email: 'p@x.test',
        name: 'Primary',
        password: 'a long password',
        isOrgAdmin: false,
      });
      const manager = await app.services.users.create(system, {
        email: 'm@x.test',
        name: 'Manager',
        password: 'a long password',
        isOrgAdmin: false,
      });
      // A policy pages members of its team only.
      await app.services.teams.setMember(system, team.id, primary.id, 'responder');
      await app.services.teams.setMember(system, team.id, manager.id, 'responder');
      const policy = await app.services.escalation.createPolicy(system, {
        teamId: team.id,
        name: 'Two levels',
        repeatCount: 0,
        levels: [
          { delayMinutes: 5, targets: [{ type: 'user', id: primary.id }] },
          { delayMinutes: 5, targets: [{ type: 'user', id: manager.id }] },
        ],
      });
      const service = await app.services.services.create(system, {
        teamId: team.id,
        name: 'API',
        description: '',
      });
      // Seed the incidents and their escalation rows directly: the crash is what is under test.
      const batch = 500;
      for (let i = 0; i < incidents; i += batch) {
        await store.db.transaction().execute(async (trx) => {
          const rows = Array.from({ length: Math.min(batch, incidents - i) }, (_, k) => ({
            id: newId(),
            number: i + k + 1,
          }));
          await trx
            .insertInto('incidents')
            .values(
              rows.map((r) => ({
                id: r.id,
                number: r.number,
                title: `Incident ${r.number}`,
                service_id: service.id,
                team_id: team.id,
                status: 'triggered',
                urgency: 'high',
                group_key: `g${r.number}`,
                response_due_at: null,
                alert_count: 1,
                created_at: t0,
                last_alert_at: t0,
                acknowledged_at: null,
                acknowledged_by: null,
                resolved_at: null,
                resolved_by: null,
              })),
            )
            .execute();
          await trx
            .insertInto('escalations')
            .values(
              rows.map((r) => ({
                id: newId(),
                incident_id: r.id,
                policy_id: policy.id,
                level: 0,
                round: 0,
                epoch: 0,
                next_at: t0,
                status: 'active',
                created_at: t0,
                updated_at: t0,
              })),
            )
            .execute();
        });
      }

      expect(await runChild(t0, true)).toBe('killed');
      const afterKill = await countPages(0);
      expect(afterKill).toBeGreaterThanOrEqual(200); // the first cycle's 200 committed
      expect(afterKill).toBeLessThan(incidents); // killed part-way, not after the end
      expect(await runChild(t0)).toBe('idle');

      expect(await runChild(t0 + 5 * minute, true)).toBe('killed');
      expect(await countPages(1)).toBeLessThan(incidents);
      expect(await runChild(t0 + 5 * minute)).toBe('idle');

      const intents = await store.db
        .selectFrom('notification_intents')
        .select(['incident_id', 'user_id', 'level', 'round'])
        .execute();
      const seen = new Map<string, number>();
      for (const i of intents) {
        const key = `${i.incident_id}:${i.level}:${i.round}:${i.user_id}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      expect([...seen.values()].filter((n) => n > 1)).toEqual([]); // nothing doubled
      expect(intents.filter((i) => i.level === 0 && i.user_id === primary.id)).toHaveLength(
        incidents,
      ); // nothing skipped
      expect(intents.filter((i) => i.level === 1 && i.user_id === manager.id)).toHaveLength(
        incidents,
      );
      const states = await store.db
        .selectFrom('escalations')
        .select(['level', 'next_at'])
        .execute();
      expect(new Set(states.map((s) => `${s.level}@${s.next_at}`))).toEqual(
        new Set([`2@${t0 + 10 * minute}`]),
      );
      // Each timeline has one entry per level: the step and its entry commit together.
      const entries = await store.db
        .selectFrom('incident_timeline')
        .select(['incident_id'])
        .where('kind', '=', 'escalation.level')
        .execute();
      expect(entries).toHaveLength(2 * incidents);
    },
  );
});
