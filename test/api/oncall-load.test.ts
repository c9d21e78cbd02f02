import { afterEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { createPagedService, createTeam, requestAs, testPassword } from '../fixtures.js';
import { createTestApp, describeEachStore, login, type Session, type TestApp } from '../harness.js';

// The on-call load report's time to acknowledge counts a person's own acknowledgements: matched
// by who they are, not by a display name two people may share.

const system = systemActor('test');
const minute = 60_000;

describeEachStore('on-call load report', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  async function setup() {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T12:00:00Z') });
    const team = await createTeam(app, 'Web');
    // Two people called Bo: the one paged, and another.
    const person = async (email: string) => {
      const u = await app.services.users.create(system, {
        email,
        name: 'Bo',
        password: testPassword,
        isOrgAdmin: false,
      });
      await app.services.teams.setMember(system, team.id, u.id, 'responder');
      return { id: u.id, session: await login(app, email, testPassword) };
    };
    const paged = await person('bo.paged@x.test');
    const other = await person('bo.other@x.test');
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Default',
      repeatCount: 0,
      levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: paged.id }] }],
    });
    const { key } = await createPagedService(app, team.id, 'Checkout', policy.id);
    const res = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        payload: { summary: 'Checkout down', source: 'lb', severity: 'critical' },
      },
    });
    expect(res.statusCode).toBe(202);
    await app.engine!.runUntilIdle();
    const incident = await app.db.selectFrom('incidents').select('id').executeTakeFirstOrThrow();
    return { paged, other, incidentId: incident.id };
  }

  async function loadReport(s: Session) {
    const from = Date.parse('2026-03-10T00:00:00Z');
    const res = await requestAs(
      app,
      s,
      'GET',
      `/api/reports/oncall-load?from=${from}&to=${from + 86_400_000}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.people as {
      userId: string;
      acknowledged: number;
      medianAckMs: number | null;
    }[];
  }

  it("does not count another person's acknowledgement who has the same name", async () => {
    const { paged, other, incidentId } = await setup();
    app.clock.fastForward(4 * minute);
    const ack = await requestAs(
      app,
      other.session,
      'POST',
      `/api/incidents/${incidentId}/acknowledge`,
    );
    expect(ack.statusCode, ack.body).toBe(200);
    const people = await loadReport(paged.session);
    expect(people).toEqual([
      expect.objectContaining({ userId: paged.id, acknowledged: 0, medianAckMs: null }),
    ]);
  });

  it('counts the paged person acknowledging', async () => {
    const { paged, incidentId } = await setup();
    app.clock.fastForward(4 * minute);
    const ack = await requestAs(
      app,
      paged.session,
      'POST',
      `/api/incidents/${incidentId}/acknowledge`,
    );
    expect(ack.statusCode, ack.body).toBe(200);
    const people = await loadReport(paged.session);
    expect(people).toEqual([
      expect.objectContaining({ userId: paged.id, acknowledged: 1, medianAckMs: 4 * minute }),
    ]);
  });
});
