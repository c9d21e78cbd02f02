import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { newId } from '../../src/core/ids.js';
import { addIntegrationKey, addSignedInMember, createTeam, requestAs } from '../fixtures.js';
import { createTestApp, describeEachStore, type Session, type TestApp } from '../harness.js';

// What keeps on-call data whole: dates that are real dates, references (policies, schedules,
// people) that exist and belong to the team, and an engine that survives a row that is not.

const system = systemActor('test');
const minute = 60_000;

describeEachStore('on-call integrity', (kind) => {
  let app: TestApp;
  let teamId: string;
  let lead: { id: string; session: Session };
  let ada: { id: string; session: Session };

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T12:00:00Z') });
    teamId = (await createTeam(app)).id;
    lead = await addSignedInMember(app, teamId, 'Lead', 'admin');
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
  });
  afterEach(async () => {
    await app.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    s: Session = lead.session,
  ) => requestAs(app, s, method, url, payload);

  const layer = (startDate: string, participants = [ada.id]) => ({
    name: 'Daily',
    participants,
    rotation: { kind: 'daily' as const, handoffTime: '09:00' },
    startDate,
  });

  /** A service escalating through `policyId`, and a function that opens a critical incident on it. */
  async function pagedService(name: string, policyId: string) {
    const s = await app.services.services.create(system, { teamId, name, description: '' });
    await app.services.services.update(system, s.id, { escalationPolicyId: policyId });
    const ref = await app.services.ingest.authenticate(
      await addIntegrationKey(app, s.id),
      'pagerduty-v2',
    );
    return async (): Promise<string> => {
      const [o] = await app.services.ingest.ingest(ref, [
        {
          action: 'trigger' as const,
          dedupKey: `${name}-1`,
          summary: `${name} is down`,
          severity: 'critical' as const,
          labels: {},
          raw: {},
        },
      ]);
      return o!.incidentId!;
    };
  }

  const pagedUsers = async (incidentId: string) =>
    (
      await app.db
        .selectFrom('notification_intents')
        .select('user_id')
        .where('incident_id', '=', incidentId)
        .execute()
    ).map((r) => r.user_id);

  const timeline = async (incidentId: string) =>
    (
      await app.db
        .selectFrom('incident_timeline')
        .select(['kind', 'message'])
        .where('incident_id', '=', incidentId)
        .execute()
    ).map((r) => `${r.kind}: ${r.message}`);

  it('refuses a layer start date that is no calendar date, naming the field', async () => {
    for (const startDate of ['2026-02-31', '0000-13-45', '2025-02-29']) {
      const res = await call('POST', '/api/schedules', {
        teamId,
        name: 'Primary',
        timeZone: 'UTC',
        layers: [layer('2026-03-09'), layer(startDate)],
      });
      expect(res.statusCode, startDate).toBe(400);
      expect(res.json().error.field).toBe('layers.1.startDate');
    }
    expect(
      (
        await call('POST', '/api/schedules', {
          teamId,
          name: 'Primary',
          timeZone: 'UTC',
          layers: [layer('2024-02-29')],
        })
      ).statusCode,
    ).toBe(201);
  });

  it('keeps the on-call views up when a stored layer has an impossible start date', async () => {
    // A row written before start dates were validated.
    const id = newId();
    await app.db
      .insertInto('schedules')
      .values({
        id,
        team_id: teamId,
        name: 'Broken',
        time_zone: 'UTC',
        layers_json: JSON.stringify([
          { id: 'l1', position: 0, restrictions: [], ...layer('2026-03-01') },
          { id: 'l2', position: 1, restrictions: [], ...layer('2026-02-31', [lead.id]) },
        ]),
        created_at: app.clock.now(),
      })
      .execute();
    const oncall = await call('GET', '/api/oncall');
    expect(oncall.statusCode, oncall.body).toBe(200);
    // The broken (higher) layer is skipped; the one below shows through.
    expect(oncall.json().items).toEqual([expect.objectContaining({ userId: ada.id })]);
    const mine = await call('GET', '/api/me/shifts?days=7', undefined, ada.session);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.length).toBeGreaterThan(0);
    const now = app.clock.now();
    const shifts = await call(
      'GET',
      `/api/schedules/${id}/shifts?from=${now}&to=${now + 86_400_000}`,
    );
    expect(shifts.statusCode, shifts.body).toBe(200);
    expect(shifts.json().layers[1]).toMatchObject({
      id: 'l2',
      shifts: [],
      problem: expect.stringContaining('2026-02-31'),
    });
  });

  it('a step that fails is noted on its incident and retried later; other escalations still page', async () => {
    const policy = (levels: object) =>
      app.services.escalation.createPolicy(system, {
        teamId,
        name: `P ${newId()}`,
        repeatCount: 0,
        levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] }],
        ...levels,
      });
    const broken = await policy({});
    const good = await policy({});
    // A stored policy the step cannot read.
    await app.db
      .updateTable('escalation_policies')
      .set({ levels_json: '[{"delayMinutes": 5, "targets": ' })
      .where('id', '=', broken.id)
      .execute();
    const first = await (await pagedService('Broken', broken.id))();
    app.clock.fastForward(1000);
    const second = await (await pagedService('Good', good.id))();
    await app.engine!.runUntilIdle();

    expect(await pagedUsers(second)).toEqual([ada.id]);
    expect(await pagedUsers(first)).toEqual([]);
    expect(await timeline(first)).toContainEqual(
      expect.stringMatching(/^escalation\.failed: Escalation step failed: /),
    );
    const esc = await app.db
      .selectFrom('escalations')
      .selectAll()
      .where('incident_id', '=', first)
      .executeTakeFirstOrThrow();
    expect(esc).toMatchObject({ status: 'active', next_at: app.clock.now() + minute });

    // Still broken at its retries: noted once, not once a minute.
    for (let i = 0; i < 3; i++) {
      app.clock.fastForward(minute);
      await app.engine!.runUntilIdle();
    }
    expect((await timeline(first)).filter((t) => t.startsWith('escalation.failed'))).toHaveLength(
      1,
    );

    // Repaired, it runs at its retry.
    await app.db
      .updateTable('escalation_policies')
      .set({ levels_json: JSON.stringify(broken.levels) })
      .where('id', '=', broken.id)
      .execute();
    app.clock.fastForward(minute);
    await app.engine!.runUntilIdle();
    expect(await pagedUsers(first)).toEqual([ada.id]);
  });

  it('a service escalates through an existing policy of its own team; a policy in use is not deleted', async () => {
    const levels = [{ targets: [{ type: 'user', id: ada.id }] }];
    const mine = (
      await call('POST', '/api/escalation-policies', { teamId, name: 'Default', levels })
    ).json().id as string;
    const otherTeam = (await createTeam(app, 'Payments')).id;
    const theirs = (
      await app.services.escalation.createPolicy(system, {
        teamId: otherTeam,
        name: 'Theirs',
        repeatCount: 0,
        levels: [{ delayMinutes: 5, targets: [{ type: 'team', id: otherTeam }] }],
      })
    ).id;

    for (const policyId of ['does-not-exist', theirs]) {
      const created = await call('POST', '/api/services', {
        teamId,
        name: `Checkout ${policyId}`,
        escalationPolicyId: policyId,
      });
      expect(created.statusCode, policyId).toBe(400);
      expect(created.json().error).toMatchObject({
        code: 'POLICY_NOT_FOUND',
        field: 'escalationPolicyId',
      });
    }
    const created = await call('POST', '/api/services', {
      teamId,
      name: 'Checkout',
      escalationPolicyId: mine,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().escalationPolicyId).toBe(mine);
    const serviceId = created.json().id as string;

    for (const policyId of ['does-not-exist', theirs]) {
      const patched = await call('PATCH', `/api/services/${serviceId}`, {
        escalationPolicyId: policyId,
      });
      expect(patched.statusCode, policyId).toBe(400);
      expect(patched.json().error.field).toBe('escalationPolicyId');
    }
    const search = await call('POST', '/api/services', { teamId, name: 'Search' });
    await call('PATCH', `/api/services/${search.json().id}`, { escalationPolicyId: mine });

    const refused = await call('DELETE', `/api/escalation-policies/${mine}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'POLICY_IN_USE' });
    expect(refused.json().error.message).toContain('Checkout, Search');
    expect((await call('GET', `/api/escalation-policies/${mine}`)).statusCode).toBe(200);

    for (const id of [serviceId, search.json().id as string])
      expect(
        (await call('PATCH', `/api/services/${id}`, { escalationPolicyId: null })).statusCode,
      ).toBe(200);
    expect((await call('DELETE', `/api/escalation-policies/${mine}`)).statusCode).toBe(204);
  });

  it("an escalation policy targets only its own team's schedules, team and members", async () => {
    const otherTeam = (await createTeam(app, 'Payments')).id;
    const outsider = await addSignedInMember(app, otherTeam, 'Olu', 'responder');
    const theirSchedule = (
      await app.services.schedules.create(system, {
        teamId: otherTeam,
        name: 'Payments primary',
        timeZone: 'UTC',
        layers: [{ ...layer('2026-03-01', [outsider.id]), position: 0, restrictions: [] }],
      })
    ).id;
    const ourSchedule = (
      await call('POST', '/api/schedules', {
        teamId,
        name: 'Primary',
        timeZone: 'UTC',
        layers: [layer('2026-03-01')],
      })
    ).json().id as string;
    const targets = (bad: { type: string; id: string }) => [
      { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
      { delayMinutes: 5, targets: [{ type: 'schedule', id: ourSchedule }, bad] },
    ];
    const bads = [
      { type: 'schedule', id: theirSchedule },
      { type: 'schedule', id: 'does-not-exist' },
      { type: 'team', id: otherTeam },
      { type: 'user', id: outsider.id },
      { type: 'user', id: 'does-not-exist' },
    ];
    for (const bad of bads) {
      const created = await call('POST', '/api/escalation-policies', {
        teamId,
        name: 'Default',
        levels: targets(bad),
      });
      expect(created.statusCode, JSON.stringify(bad)).toBe(400);
      expect(created.json().error.field).toBe('levels.1.targets.1.id');
    }
    const ok = await call('POST', '/api/escalation-policies', {
      teamId,
      name: 'Default',
      levels: targets({ type: 'team', id: teamId }),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    for (const bad of bads) {
      const updated = await call('PUT', `/api/escalation-policies/${ok.json().id}`, {
        name: 'Default',
        levels: targets(bad),
      });
      expect(updated.statusCode, JSON.stringify(bad)).toBe(400);
      expect(updated.json().error.field).toBe('levels.1.targets.1.id');
    }
  });

  it('schedules and overrides put only members of the team on call', async () => {
    const otherTeam = (await createTeam(app, 'Payments')).id;
    const outsider = await addSignedInMember(app, otherTeam, 'Olu', 'responder');
    for (const userId of [outsider.id, 'does-not-exist']) {
      const created = await call('POST', '/api/schedules', {
        teamId,
        name: 'Primary',
        timeZone: 'UTC',
        layers: [layer('2026-03-01'), layer('2026-03-01', [ada.id, userId])],
      });
      expect(created.statusCode, userId).toBe(400);
      expect(created.json().error).toMatchObject({
        code: 'PARTICIPANT_NOT_FOUND',
        field: 'layers.1.participants.1',
      });
    }
    const id = (
      await call('POST', '/api/schedules', {
        teamId,
        name: 'Primary',
        timeZone: 'UTC',
        layers: [layer('2026-03-01')],
      })
    ).json().id as string;
    const updated = await call('PUT', `/api/schedules/${id}`, {
      layers: [layer('2026-03-01', [outsider.id])],
    });
    expect(updated.statusCode).toBe(400);
    expect(updated.json().error.field).toBe('layers.0.participants.0');

    const now = app.clock.now();
    for (const userId of [outsider.id, 'does-not-exist']) {
      const override = await call(
        'POST',
        `/api/schedules/${id}/overrides`,
        { userId, start: now, end: now + 3_600_000 },
        ada.session,
      );
      expect(override.statusCode, userId).toBe(400);
      expect(override.json().error).toMatchObject({
        code: 'OVERRIDE_USER_NOT_FOUND',
        field: 'userId',
      });
    }
    expect(
      (
        await call(
          'POST',
          `/api/schedules/${id}/overrides`,
          { userId: lead.id, start: now, end: now + 3_600_000 },
          ada.session,
        )
      ).statusCode,
    ).toBe(201);
  });

  it('skips a disabled user, says so, and the level after pages the next person at once', async () => {
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Ada then Lead',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: lead.id }] },
      ],
    });
    await app.services.users.update(system, ada.id, { disabled: true });
    const trigger = await pagedService('Search', policy.id);
    const incidentId = await trigger();
    await app.engine!.runUntilIdle();
    expect(await timeline(incidentId)).toContainEqual(
      'escalation.level: Escalation level 1: nobody on call to page; skipped disabled user Ada',
    );
    // An empty level does not wait its delay for nobody: level 2 is paged at once.
    expect(await pagedUsers(incidentId)).toEqual([lead.id]);
  });

  it('escalating an acknowledged incident re-triggers it and pages the next level', async () => {
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Two levels',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: ada.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: lead.id }] },
      ],
    });
    const trigger = await pagedService('Checkout', policy.id);
    const incidentId = await trigger();
    await app.engine!.runUntilIdle();
    expect(await pagedUsers(incidentId)).toEqual([ada.id]);
    const createdAt = (await app.services.incidents.get(system, incidentId))!.createdAt;
    app.clock.fastForward(2 * minute);
    await app.services.incidents.acknowledge(system, incidentId);
    // The next step sees the acknowledgement and stops the escalation.
    app.clock.fastForward(5 * minute);
    await app.engine!.runUntilIdle();

    const res = await call('POST', `/api/incidents/${incidentId}/escalate`, undefined, ada.session);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', level: 2 });
    expect(await pagedUsers(incidentId)).toEqual([ada.id, lead.id]);
    const incident = await call('GET', `/api/incidents/${incidentId}`);
    expect(incident.json().status).toBe('triggered');
    expect(await timeline(incidentId)).toContainEqual(
      'incident.retriggered: Ada re-triggered the incident to escalate it (it was acknowledged by test)',
    );

    // Acknowledged again 10 minutes later: MTTA still counts to the first acknowledgement.
    app.clock.fastForward(10 * minute);
    await app.services.incidents.acknowledge(systemActor('Lead'), incidentId);
    const again = (await call('GET', `/api/incidents/${incidentId}`)).json();
    expect(again).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: createdAt + 2 * minute,
      acknowledgedBy: 'test',
      times: { toAcknowledgeMs: 2 * minute },
    });
    expect(await timeline(incidentId)).toContainEqual(expect.stringMatching(/Lead/));

    await app.services.alerts.resolveIncident(
      system,
      (await app.services.incidents.get(system, incidentId))!,
    );
    const resolved = await call('POST', `/api/incidents/${incidentId}/escalate`);
    expect(resolved.statusCode).toBe(409);
    expect(resolved.json().error.code).toBe('INCIDENT_NOT_OPEN');
  });

  it('calendar feeds stop with their owner, and keep event UIDs from fetch to fetch', async () => {
    const bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    // Daily handoffs at 09:00 since February: a week back from now falls inside a shift.
    const id = (
      await call('POST', '/api/schedules', {
        teamId,
        name: 'Primary',
        timeZone: 'UTC',
        layers: [layer('2026-02-01', [ada.id, bo.id])],
      })
    ).json().id as string;
    const feed = async (s: Session, payload: object) => {
      const res = await call('POST', '/api/me/calendar-feeds', payload, s);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().path as string;
    };
    const fetchFeed = (path: string) => app.http!.inject({ method: 'GET', url: path });
    const uids = async (path: string) => {
      const res = await fetchFeed(path);
      expect(res.statusCode, res.body).toBe(200);
      return [...res.body.matchAll(/^UID:(.+)$/gm)].map((m) => m[1]!.trim());
    };

    const adaSchedule = await feed(ada.session, { kind: 'schedule', scheduleId: id });
    const adaOwn = await feed(ada.session, { kind: 'user' });
    const boSchedule = await feed(bo.session, { kind: 'schedule', scheduleId: id });
    const boOwn = await feed(bo.session, { kind: 'user' });

    // The shift running a week ago began at 09:00 that day: its UID says so, on every fetch.
    const firstStart = Date.parse('2026-03-03T09:00:00Z');
    const before = await uids(adaSchedule);
    expect(before[0]).toMatch(new RegExp(`^${id}-${firstStart}-`));
    app.clock.fastForward(3_600_000);
    expect(await uids(adaSchedule)).toEqual(before);
    const own = await uids(adaOwn);
    app.clock.fastForward(3_600_000);
    expect(await uids(adaOwn)).toEqual(own);
    expect(own[0]).toMatch(/-\d+-/);

    // Bo leaves the team: his schedule feed is gone, his own feed no longer shows it.
    await app.services.teams.removeMember(system, teamId, bo.id);
    expect((await fetchFeed(boSchedule)).statusCode).toBe(404);
    const boFeed = await fetchFeed(boOwn);
    expect(boFeed.statusCode).toBe(200);
    expect(boFeed.body).not.toContain('BEGIN:VEVENT');

    // Ada is disabled: both her feeds are gone.
    await app.services.users.update(system, ada.id, { disabled: true });
    expect((await fetchFeed(adaSchedule)).statusCode).toBe(404);
    expect((await fetchFeed(adaOwn)).statusCode).toBe(404);
  });
});
