import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  addIntegrationKey,
  addSignedInMember,
  createTeam,
  requestAs,
  type Member,
} from '../fixtures.js';
import { createTestApp, describeEachStore, type Session, type TestApp } from '../harness.js';

// "Mine" (PagerDuty's tab): `GET /api/incidents?mine=true` lists the open incidents the signed-in
// user was paged about (any reason), acknowledged, or holds a role in; never another team's.

const system = systemActor('test');

describeEachStore('incidents: mine', (kind) => {
  let app: TestApp;
  let teamId: string;
  let lead: Member;
  let ada: Member;
  let bo: Member;
  let cy: Member;
  let key: string;

  const call = (method: 'GET' | 'POST', url: string, s: Session, payload?: object) =>
    requestAs(app, s, method, url, payload);
  const mine = async (s: Session, query = '') => {
    const res = await call('GET', `/api/incidents?mine=true${query}`, s);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Array<{ title: string }>).map((i) => i.title).sort();
  };
  const trigger = async (title: string) => {
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const [o] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: title,
        summary: title,
        severity: 'critical',
        labels: {},
        raw: {},
      },
    ]);
    return o!.incidentId!;
  };

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T12:00:00Z') });
    teamId = (await createTeam(app)).id;
    lead = await addSignedInMember(app, teamId, 'Lead', 'admin');
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    cy = await addSignedInMember(app, teamId, 'Cy', 'responder');
    const policy = await call('POST', '/api/escalation-policies', lead.session, {
      teamId,
      name: 'Default',
      levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: ada.id }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const serviceId = (
      await app.services.services.create(system, { teamId, name: 'API', description: '' })
    ).id;
    await app.services.services.update(system, serviceId, {
      escalationPolicyId: policy.json().id as string,
    });
    key = await addIntegrationKey(app, serviceId);
  });
  afterEach(async () => {
    await app.close();
  });

  it('lists the open incidents I was paged about, reassigned to me or acknowledged; not others', async () => {
    const paged = await trigger('DB down');
    const reassigned = await trigger('Cache slow');
    const ackedByBo = await trigger('Queue stuck');
    const resolved = await trigger('Disk full');
    await app.engine!.runUntilIdle(); // Ada is paged (escalation) for all four
    expect(await mine(ada.session)).toEqual(['Cache slow', 'DB down', 'Disk full', 'Queue stuck']);
    // Nobody paged Bo or Cy yet.
    expect(await mine(bo.session)).toEqual([]);
    expect(await mine(cy.session)).toEqual([]);

    const r = await call('POST', `/api/incidents/${reassigned}/reassign`, lead.session, {
      userIds: [bo.id],
    });
    expect(r.statusCode, r.body).toBe(200);
    await app.engine!.runUntilIdle();
    const a = await call('POST', `/api/incidents/${ackedByBo}/acknowledge`, bo.session);
    expect(a.statusCode, a.body).toBe(200);
    const done = await call('POST', `/api/incidents/${resolved}/resolve`, ada.session);
    expect(done.statusCode, done.body).toBe(200);

    // Bo: reassigned to him, and acknowledged by him. Not DB down (Ada's only).
    expect(await mine(bo.session)).toEqual(['Cache slow', 'Queue stuck']);
    // Ada: paged for all; the resolved one is gone from the open list.
    expect(await mine(ada.session)).toEqual(['Cache slow', 'DB down', 'Queue stuck']);
    // ... and shown when resolved ones are asked for.
    expect(await mine(ada.session, '&status=resolved')).toEqual(['Disk full']);
    // Cy holds a role (commander is paged; a recovery-team member is not).
    const role = await call('POST', `/api/incidents/${paged}/roles`, lead.session, {
      role: 'recovery',
      userId: cy.id,
    });
    expect(role.statusCode, role.body).toBe(200);
    expect(await mine(cy.session)).toEqual(['DB down']);
    // mine=false and no mine: every incident of the team.
    const all = await call('GET', '/api/incidents?mine=false', cy.session);
    expect(all.json().items).toHaveLength(4);
  });

  it("never shows another team's incident, even one I was paged about", async () => {
    const id = await trigger('DB down');
    await app.engine!.runUntilIdle();
    const other = await createTeam(app, 'Elsewhere');
    const zed = await addSignedInMember(app, other.id, 'Zed', 'admin');
    // A page of Zed's on Platform's incident (as if he had left Platform since).
    await app.db
      .insertInto('notification_intents')
      .values({
        id: 'zed-page',
        idempotency_key: 'zed-page',
        incident_id: id,
        user_id: zed.id,
        urgency: 'high',
        reason: 'escalation',
        level: 0,
        round: 0,
        message: 'DB down',
        created_at: app.clock.now(),
        read_at: null,
      })
      .execute();
    expect(await mine(zed.session)).toEqual([]);
    expect(await mine(ada.session)).toEqual(['DB down']);
  });

  it('answers an API key asking for mine with 400 naming mine', async () => {
    const created = await app.services.teams.createApiKey(system, teamId, {
      name: 'script',
      role: 'responder',
    });
    const auth = { authorization: `Bearer ${created.secret}` };
    const bad = await app.http!.inject({
      method: 'GET',
      url: '/api/incidents?mine=true',
      headers: auth,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'MINE_NEEDS_USER', field: 'mine' });
    const ok = await app.http!.inject({ method: 'GET', url: '/api/incidents', headers: auth });
    expect(ok.statusCode).toBe(200);
    const wrong = await call('GET', '/api/incidents?mine=yes', lead.session);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('mine');
  });
});
