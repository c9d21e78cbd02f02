import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { loadUserActor } from '../../src/domains/identity/index.js';
import type { Actor } from '../../src/core/actor.js';
import { addSignedInMember, createTeam, type Member } from '../fixtures.js';
import { asSession, createTestApp, describeEachStore, type TestApp } from '../harness.js';

// The live streams' version: it must move whenever an entry is added, even one whose id sorts
// below the newest (made before another node's write committed, or on a node whose clock is
// behind): ids are UUIDv7, made by each node's clock before its transaction commits.

describeEachStore('live version of incident timelines', (kind) => {
  let app: TestApp;
  let ada: Member;
  let actor: Actor;
  let incidentId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    const teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    actor = (await loadUserActor(app.db, ada.id))!;
    const cache = await app.services.services.create(
      { type: 'system', name: 'test' },
      { teamId, name: 'Cache', description: '' },
    );
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: asSession(ada.session),
      payload: { title: 'Cache evictions', severity: 'SEV3', serviceIds: [cache.id] },
    });
    expect(res.statusCode, res.body).toBe(201);
    incidentId = (res.json() as { id: string }).id;
    // Another entry, so the newest id is not the first.
    await app.services.response.addNote(actor, incidentId, {
      markdown: 'Evictions up',
      attachments: [],
    });
  });
  afterEach(async () => {
    await app.close();
  });

  /** An id below the incident's newest one by `ms` of creation time, as another node makes. */
  async function idBelowNewest(ms: number): Promise<string> {
    const newest = await app.db
      .selectFrom('incident_timeline')
      .select('id')
      .where('incident_id', '=', incidentId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const time = parseInt(newest.id.slice(0, 8) + newest.id.slice(9, 13), 16) - ms;
    const hex = time.toString(16).padStart(12, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8)}-7abc-8def-0123456789ab`;
  }

  async function addEntryWithId(id: string) {
    await app.db
      .insertInto('incident_timeline')
      .values({
        id,
        incident_id: incidentId,
        at: app.clock.now(),
        kind: 'note',
        actor_name: 'Bo',
        message: 'Written on a node whose clock is behind',
        data_json: null,
      })
      .execute();
  }

  it('moves for an entry whose id sorts below the newest', async () => {
    const before = {
      incident: await app.services.response.version(actor, incidentId),
      teams: await app.services.response.version(actor),
      all: await app.services.response.version({ type: 'system', name: 'test' }),
    };
    await addEntryWithId(await idBelowNewest(5_000));
    expect(await app.services.response.version(actor, incidentId)).not.toBe(before.incident);
    expect(await app.services.response.version(actor)).not.toBe(before.teams);
    expect(await app.services.response.version({ type: 'system', name: 'test' })).not.toBe(
      before.all,
    );
  });

  it('stays put while nothing is added, and moves for a new entry', async () => {
    const v = await app.services.response.version(actor, incidentId);
    expect(await app.services.response.version(actor, incidentId)).toBe(v);
    await app.services.response.addNote(actor, incidentId, {
      markdown: 'Stopped',
      attachments: [],
    });
    expect(await app.services.response.version(actor, incidentId)).not.toBe(v);
  });
});
