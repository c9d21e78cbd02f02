import type { Kysely, Transaction } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { newId } from '../../src/core/ids.js';
import type { Database, Store } from '../../src/db/index.js';
import { addSignedInMember, createService, createTeam, type Member } from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  openSecondHandle,
  type TestApp,
} from '../harness.js';

// Two people changing one incident at the same moment. On Postgres the other person is a second
// handle on the database (another node) holding its transaction open while this app acts, then
// committing: the app must act on what it committed. SQLite runs one write transaction at a
// time, so there the two changes are simply sent together and must still add up.

const system = systemActor('test');

describeEachStore('incident response, two writers at once', (kind) => {
  let app: TestApp;
  let other: Store | undefined;
  let ada: Member;
  let bo: Member;
  let chen: Member;
  let serviceId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    other = kind === 'postgres' ? openSecondHandle(app.store) : undefined;
    const teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    chen = await addSignedInMember(app, teamId, 'Chen', 'responder');
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Platform on call',
      repeatCount: 0,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: bo.id }] }],
    });
    serviceId = (await createService(app, teamId, 'Web frontend', policy.id)).id;
  });
  afterEach(async () => {
    await other?.close();
    await app.close();
  });

  function call(who: Member, method: 'POST' | 'PATCH', url: string, payload: object) {
    return app.http!.inject({ method, url, headers: asSession(who.session), payload });
  }

  async function declare(severity: 'SEV1' | 'SEV2' | 'SEV3'): Promise<string> {
    const res = await call(ada, 'POST', '/api/incidents', {
      title: 'Checkout errors',
      severity,
      serviceIds: [serviceId],
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  }

  /**
   * Postgres: runs `write` in a transaction on the other handle (after locking the incident, as
   * Tocsin's own writes do) and keeps it open while `during` starts, then commits. SQLite: runs
   * both at once, each as its own request.
   */
  async function together(
    incidentId: string,
    write: {
      postgres: (trx: Transaction<Database>) => Promise<unknown>;
      sqlite: () => Promise<unknown>;
    },
    during: () => Promise<{ statusCode: number; body: string }>,
  ): Promise<void> {
    if (!other) {
      const [, res] = await Promise.all([write.sqlite(), during()]);
      expect(res.statusCode, res.body).toBeLessThan(300);
      return;
    }
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = (other.db as Kysely<Database>).transaction().execute(async (trx) => {
      await trx
        .selectFrom('incidents')
        .select('id')
        .where('id', '=', incidentId)
        .forUpdate()
        .execute();
      await write.postgres(trx);
      started();
      await held;
    });
    await ready;
    const acting = during();
    await new Promise((r) => setTimeout(r, 300));
    release();
    await tx;
    const res = await acting;
    expect(res.statusCode, res.body).toBeLessThan(300);
  }

  /** Bo resolving the incident: written by the other node on Postgres, a request on SQLite. */
  const resolvedByBo = (id: string) => ({
    postgres: (trx: Transaction<Database>) =>
      trx
        .updateTable('incidents')
        .set({
          status: 'resolved',
          resolved_at: app.clock.now(),
          resolved_by: 'Bo',
          reminder_at: null,
        })
        .where('id', '=', id)
        .execute(),
    sqlite: () => call(bo, 'POST', `/api/incidents/${id}/status`, { status: 'resolved' }),
  });

  const incident = (id: string) =>
    app.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('two people making different commanders at once leave one commander', async () => {
    const id = await declare('SEV2');
    await together(
      id,
      {
        // Bo is made commander on the other node: the old holder out, Bo in.
        postgres: async (trx) => {
          await trx
            .deleteFrom('incident_roles')
            .where('incident_id', '=', id)
            .where('role', '=', 'commander')
            .execute();
          await trx
            .insertInto('incident_roles')
            .values({
              id: newId(),
              incident_id: id,
              role: 'commander',
              user_id: bo.id,
              assigned_by: 'Bo',
              assigned_at: app.clock.now(),
            })
            .execute();
        },
        sqlite: () =>
          call(ada, 'POST', `/api/incidents/${id}/roles`, { role: 'commander', userId: bo.id }),
      },
      () => call(ada, 'POST', `/api/incidents/${id}/roles`, { role: 'commander', userId: chen.id }),
    );
    const commanders = await app.db
      .selectFrom('incident_roles')
      .select('user_id')
      .where('incident_id', '=', id)
      .where('role', '=', 'commander')
      .execute();
    expect(commanders).toHaveLength(1);
    if (other) expect(commanders[0]!.user_id).toBe(chen.id);
  });

  it('the communications lead too: one holder, whoever asked last', async () => {
    const id = await declare('SEV2');
    const assign = (userId: string) =>
      call(ada, 'POST', `/api/incidents/${id}/roles`, { role: 'communications', userId });
    await together(
      id,
      {
        postgres: (trx) =>
          trx
            .insertInto('incident_roles')
            .values({
              id: newId(),
              incident_id: id,
              role: 'communications',
              user_id: bo.id,
              assigned_by: 'Bo',
              assigned_at: app.clock.now(),
            })
            .execute(),
        sqlite: () => assign(bo.id),
      },
      () => assign(chen.id),
    );
    const leads = await app.db
      .selectFrom('incident_roles')
      .select('user_id')
      .where('incident_id', '=', id)
      .where('role', '=', 'communications')
      .execute();
    expect(leads).toHaveLength(1);
  });

  it('two severity changes at once: the second says what the first left', async () => {
    const id = await declare('SEV3');
    await together(
      id,
      {
        postgres: async (trx) => {
          await trx
            .updateTable('incidents')
            .set({ severity: 'SEV1', urgency: 'high' })
            .where('id', '=', id)
            .execute();
          await trx
            .insertInto('incident_timeline')
            .values({
              id: newId(),
              incident_id: id,
              at: app.clock.now(),
              kind: 'incident.severity',
              actor_name: 'Bo',
              message: 'Severity SEV3 → SEV1 (Critical)',
              data_json: null,
            })
            .execute();
        },
        sqlite: () => call(bo, 'PATCH', `/api/incidents/${id}`, { severity: 'SEV1' }),
      },
      () => call(ada, 'PATCH', `/api/incidents/${id}`, { severity: 'SEV2' }),
    );
    const lines = (
      await app.db
        .selectFrom('incident_timeline')
        .select('message')
        .where('incident_id', '=', id)
        .where('kind', '=', 'incident.severity')
        .orderBy('id')
        .execute()
    ).map((t) => t.message);
    expect(lines).toHaveLength(2);
    // Each change starts from where the one before it left the incident.
    const [, firstTo] = /→ (SEV\d)/.exec(lines[0]!)!;
    const [, finalTo] = /→ (SEV\d)/.exec(lines[1]!)!;
    expect(lines[1]).toMatch(new RegExp(`^Severity ${firstTo} → ${finalTo}`));
    expect((await incident(id)).severity).toBe(finalTo);
    if (other) expect(lines[1]).toMatch(/^Severity SEV1 → SEV2/);
  });

  it('a severity change racing a resolve sets no reminder and starts no escalation', async () => {
    const id = await declare('SEV3');
    await together(id, resolvedByBo(id), () =>
      call(ada, 'PATCH', `/api/incidents/${id}`, { severity: 'SEV2' }),
    );
    const row = await incident(id);
    expect(row.status).toBe('resolved');
    expect(row.reminder_at).toBeNull();
    if (other) {
      // Raised after the resolve: recorded, but nobody is paged for a resolved incident.
      expect(row.severity).toBe('SEV2');
      const escalations = await app.db
        .selectFrom('escalations')
        .select('id')
        .where('incident_id', '=', id)
        .execute();
      expect(escalations).toEqual([]);
    }
  });

  it('a stakeholder update racing a resolve restarts no reminder', async () => {
    const id = await declare('SEV2');
    await together(id, resolvedByBo(id), () =>
      call(ada, 'POST', `/api/incidents/${id}/updates`, { message: 'Rolling back' }),
    );
    const row = await incident(id);
    expect(row.status).toBe('resolved');
    expect(row.reminder_at).toBeNull();
  });
});
