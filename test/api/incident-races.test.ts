import type { Kysely, Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { newId } from '../../src/core/ids.js';
import type { IntegrationRef, NormalizedEvent } from '../../src/domains/alerts/index.js';
import type { Database, Store } from '../../src/db/index.js';
import { createIngestTarget } from '../fixtures.js';
import { createTestApp, openSecondHandle, storeKinds, type TestApp } from '../harness.js';

// Two writers changing one incident at once, on Postgres (SQLite runs one write transaction at a
// time). The other writer is a second handle on the same database (another node), holding its
// transaction open while this app acts, then committing: the app must act on what it committed.

const system = systemActor('test');
const ev = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  action: 'trigger',
  dedupKey: 'f1',
  summary: 'Disk full on db-1',
  severity: 'critical',
  source: 'db-1',
  labels: { alertname: 'DiskFull' },
  raw: { from: 'test' },
  ...over,
});

describe.runIf(storeKinds().includes('postgres'))('one incident, two writers [postgres]', () => {
  let app: TestApp;
  let other: Store;
  let ref: IntegrationRef;
  let incidentId: string;
  const ingest = (...events: NormalizedEvent[]) => app.services.ingest.ingest(ref, events);
  const incident = () =>
    app.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', incidentId)
      .executeTakeFirstOrThrow();

  beforeEach(async () => {
    app = await createTestApp('postgres');
    other = openSecondHandle(app.store);
    ({ ref } = await createIngestTarget(app, 600));
    const [first] = await ingest(ev());
    incidentId = first!.incidentId!;
  });
  afterEach(async () => {
    await other.close();
    await app.close();
  });

  /**
   * Runs `write` in a transaction on the other handle and keeps it open until `during` has run
   * for a while (long enough to reach the row the transaction locked), then commits.
   */
  async function whileOtherWrites(
    write: (trx: Transaction<Database>) => Promise<void>,
    during: () => Promise<unknown>,
  ): Promise<unknown> {
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = (other.db as Kysely<Database>).transaction().execute(async (trx) => {
      await write(trx);
      started();
      await held;
    });
    await ready;
    const acting = during();
    await new Promise((r) => setTimeout(r, 300));
    release();
    await tx;
    return acting;
  }

  const resolveInOther = (trx: Transaction<Database>) =>
    trx
      .updateTable('incidents')
      .set({ status: 'resolved', resolved_at: app.clock.now(), resolved_by: 'other node' })
      .where('id', '=', incidentId)
      .execute()
      .then(() => undefined);

  it('an acknowledgement waiting on a resolve does not reopen the incident', async () => {
    await whileOtherWrites(resolveInOther, () =>
      app.services.incidents.acknowledge(system, incidentId),
    );
    expect((await incident()).status).toBe('resolved');
  });

  it('an alert joining an incident being resolved opens a new incident', async () => {
    const joined = (await whileOtherWrites(resolveInOther, () =>
      ingest(ev({ dedupKey: 'f2' })),
    )) as Promise<Array<{ incidentId: string | null }>>;
    const [outcome] = await joined;
    expect(outcome!.incidentId).not.toBe(incidentId);
    const opened = await app.db
      .selectFrom('incidents')
      .select(['status', 'alert_count'])
      .where('id', '=', outcome!.incidentId!)
      .executeTakeFirstOrThrow();
    expect(opened).toEqual({ status: 'triggered', alert_count: 1 });
    expect((await incident()).alert_count).toBe(1);
  });

  it('a resolve waiting on an alert that joined counts it, and leaves the incident open', async () => {
    // The other node joins a second alert to the incident and has not committed yet.
    await whileOtherWrites(
      async (trx) => {
        const f1 = await trx
          .selectFrom('alerts')
          .selectAll()
          .where('incident_id', '=', incidentId)
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('incidents')
          .set((eb) => ({ alert_count: eb('alert_count', '+', 1) }))
          .where('id', '=', incidentId)
          .execute();
        await trx
          .insertInto('alerts')
          .values({ ...f1, id: newId(), dedup_key: 'f2' })
          .execute();
      },
      () => ingest(ev({ action: 'resolve' })),
    );
    expect((await incident()).status).toBe('triggered');
    const open = await app.db
      .selectFrom('alerts')
      .select('dedup_key')
      .where('incident_id', '=', incidentId)
      .where('status', '<>', 'resolved')
      .execute();
    expect(open.map((a) => a.dedup_key)).toEqual(['f2']);
  });
});
