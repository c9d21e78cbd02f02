import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { JiraDouble } from '../doubles/jira.js';
import {
  addSignedInMember,
  createPagedService,
  createTeam,
  loginAdmin,
  testPassword,
  type Member,
} from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  type Session,
  type TestApp,
} from '../harness.js';

// After the incident. During the week before, Checkout's disk-space warnings trickle in: low
// priority, recorded, nobody paged. At 02:00 on the 10th the disk fills and checkout fails; Bo is
// paged and acknowledges, Ada takes command and classifies it SEV1, mitigates and resolves it.
// Tocsin drafts the postmortem with the timeline filled in. Ada writes the reason, and the
// checker flags the sentence that blames Chen; she rewrites it. Bo and Chen approve, Ada
// publishes, and exports the high-priority action item to Jira. When the Jira issue is done,
// the action item is done in Tocsin. The reports show the incident's MTTR, and the noise report
// counts the warnings from the week before.

const system = systemActor('scenario');
const minute = 60_000;

describeEachStore(
  'scenario: from a resolved SEV1 to a published postmortem and a closed Jira issue',
  (kind) => {
    let app: TestApp;
    let jira: JiraDouble;

    beforeEach(async () => {
      app = await createTestApp(kind, { clock: new FakeClock('2026-03-03T09:00:00Z') });
      jira = await new JiraDouble({ email: 'tocsin@acme.test', token: 'jira-api-token' }).start();
    });
    afterEach(async () => {
      await app.close();
      await jira.stop();
    });

    const at = (iso: string) => app.clock.set(`2026-03-${iso}Z`);

    async function call(
      who: Session,
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
      url: string,
      payload?: unknown,
    ) {
      const res = await app.http!.inject({
        method,
        url,
        headers: asSession(who),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res;
    }
    const json = async (
      who: Session,
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
      url: string,
      payload?: unknown,
    ) => (await call(who, method, url, payload)).json();

    async function event(key: string, body: Record<string, unknown>) {
      const res = await app.http!.inject({
        method: 'POST',
        url: '/v2/enqueue',
        payload: { routing_key: key, ...body },
      });
      expect(res.statusCode, res.body).toBe(202);
    }

    it('tells the story', async () => {
      const team = await createTeam(app);
      const people: Record<string, Member> = {};
      for (const name of ['Ada', 'Bo', 'Chen'])
        people[name] = await addSignedInMember(app, team.id, name, 'responder');
      const { Ada: ada, Bo: bo, Chen: chen } = people as Record<'Ada' | 'Bo' | 'Chen', Member>;
      const policy = await app.services.escalation.createPolicy(system, {
        teamId: team.id,
        name: 'Platform on call',
        repeatCount: 0,
        levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: bo.id }] }],
      });
      const checkout = await createPagedService(app, team.id, 'Checkout', policy.id);

      // The week before: four disk-space warnings and one info, recorded without paging anyone.
      for (const [day, sev] of [
        ['04T10:00:00', 'warning'],
        ['05T11:00:00', 'warning'],
        ['07T09:30:00', 'info'],
        ['08T15:00:00', 'warning'],
        ['09T16:00:00', 'warning'],
      ] as const) {
        at(day);
        await event(checkout.key, {
          event_action: 'trigger',
          dedup_key: `disk-${day}`,
          payload: {
            summary: 'Disk space low on checkout-db',
            source: 'checkout-db',
            severity: sev,
          },
        });
      }
      await app.engine!.runUntilIdle();
      expect(await app.db.selectFrom('incidents').selectAll().execute()).toEqual([]);

      // 02:00 the disk is full: Bo is paged, acknowledges at 02:04.
      at('10T02:00:00');
      await event(checkout.key, {
        event_action: 'trigger',
        dedup_key: 'checkout-5xx',
        payload: { summary: 'Checkout 5xx above 20%', source: 'lb-1', severity: 'critical' },
      });
      await app.engine!.runUntilIdle();
      // A week on, everyone signs in again.
      const [sAda, sBo, sChen] = (await Promise.all(
        [ada, bo, chen].map((p) => login(app, `${p.name.toLowerCase()}@x.test`, testPassword)),
      )) as [Session, Session, Session];
      const [incident] = (await json(sAda, 'GET', '/api/incidents')).items;
      at('10T02:04:00');
      await call(sBo, 'POST', `/api/incidents/${incident.id}/status`, { status: 'acknowledged' });
      at('10T02:06:00');
      await call(sAda, 'PATCH', `/api/incidents/${incident.id}`, { severity: 'SEV1' });
      await call(sAda, 'POST', `/api/incidents/${incident.id}/roles`, {
        role: 'commander',
        userId: ada.id,
      });
      at('10T02:30:00');
      await call(sAda, 'POST', `/api/incidents/${incident.id}/status`, { status: 'mitigated' });
      at('10T02:45:00');
      await call(sAda, 'POST', `/api/incidents/${incident.id}/status`, { status: 'resolved' });
      await app.engine!.runUntilIdle();

      // The draft is there, with the timeline filled in.
      const draft = await json(sAda, 'GET', `/api/incidents/${incident.id}/postmortem`);
      const pmUrl = `/api/postmortems/${draft.postmortem.id}`;
      expect(draft.postmortem).toMatchObject({
        status: 'draft',
        title: '#1 Checkout 5xx above 20%',
      });
      const timeline = draft.postmortem.sections.timeline as string;
      for (const line of [
        '2026-03-10 02:00:00Z — Opened by a paging alert',
        '2026-03-10 02:00:00Z — Escalation level 1: paged Bo',
        '2026-03-10 02:04:00Z',
        '2026-03-10 02:45:00Z',
      ])
        expect(timeline).toContain(line);
      expect(timeline).toMatch(/02:04:00Z — .*acknowledged/i);
      expect(draft.postmortem.sections.businessImpact).toContain('(45 min)');
      expect(draft.postmortem.sections.summary).toContain('Ada (commander)');
      expect(draft.postmortem.sections.contributingFactors).toContain(
        '[critical] Checkout 5xx above 20%',
      );

      // Ada writes the reason; the checker flags the sentence that blames Chen (non-blocking).
      const written = await json(sAda, 'PATCH', pmUrl, {
        sections: {
          reason:
            'The database disk filled up with logs. Chen forgot to rotate the logs after the upgrade.',
          fiveWhys: '1. Why did checkout fail? The database disk was full.',
          prevention: 'Rotate logs automatically; alert at 80% disk.',
        },
      });
      expect(written.postmortem.sections.reason).toContain('Chen forgot');
      expect(written.findings).toEqual([
        expect.objectContaining({
          section: 'reason',
          rule: 'person-subject',
          match: 'Chen forgot to',
          suggestion:
            '"rotate the logs after the upgrade" did not happen. What would have prompted or enforced it?',
        }),
      ]);
      const rewritten = await json(sAda, 'PATCH', pmUrl, {
        version: written.postmortem.version,
        sections: {
          reason:
            'The database disk filled up with logs. Log rotation was not re-enabled after the upgrade, and nothing checked it.',
        },
      });
      expect(rewritten.findings).toEqual([]);

      // Action items with the seeds' priorities.
      const high = await json(sAda, 'POST', `${pmUrl}/action-items`, {
        title: 'Alert when the checkout database disk passes 80%',
        priority: 'high',
        ownerId: chen.id,
        dueAt: Date.parse('2026-03-17T00:00:00Z'),
      });
      expect(high.plannedFor).toBe('current sprint');
      await call(sAda, 'POST', `${pmUrl}/action-items`, {
        title: 'Move logs off the database host',
        priority: 'low',
      });

      // Two reviewers approve; Ada publishes.
      await call(sAda, 'POST', `${pmUrl}/submit`, { reviewerIds: [bo.id, chen.id] });
      at('10T03:30:00');
      const reviewers = [sBo, sChen];
      for (const s of reviewers) await call(s, 'POST', `${pmUrl}/reviews`, { decision: 'approve' });
      const published = await json(sAda, 'POST', `${pmUrl}/publish`);
      expect(published.postmortem).toMatchObject({ status: 'published', publishedBy: 'Ada' });
      expect(
        published.reviewers.map((r: { name: string; state: string }) => [r.name, r.state]),
      ).toEqual([
        ['Bo', 'approved'],
        ['Chen', 'approved'],
      ]);
      expect(
        (await json(sAda, 'GET', '/api/postmortems?q=log%20rotation&status=published')).items,
      ).toHaveLength(1);

      // The high-priority action item goes to Jira.
      const admin = await loginAdmin(app);
      await call(admin, 'PUT', '/api/settings/postmortems', {
        jira: {
          baseUrl: jira.url,
          projectKey: 'OPS',
          email: 'tocsin@acme.test',
          token: 'jira-api-token',
        },
      });
      const exported = await json(sAda, 'POST', `/api/action-items/${high.id}/export`, {
        tracker: 'jira',
      });
      expect(exported.external).toMatchObject({
        tracker: 'jira',
        key: 'OPS-1',
        url: `${jira.url}/browse/OPS-1`,
      });
      expect(jira.issues.get('OPS-1')!.fields).toMatchObject({
        project: { key: 'OPS' },
        summary: 'Alert when the checkout database disk passes 80%',
        duedate: '2026-03-17',
      });

      // Chen closes it in Jira; at the next poll Tocsin has it done.
      at('10T03:45:00');
      jira.transition('OPS-1', 'Done', 'done');
      await app.engine!.runUntilIdle();
      expect((await json(sAda, 'GET', `/api/action-items/${high.id}`)).status).toBe('done');
      const incidentTimeline = (
        await json(sAda, 'GET', `/api/incidents/${incident.id}/timeline`)
      ).items.map((t: { kind: string }) => t.kind);
      expect(incidentTimeline).toEqual(
        expect.arrayContaining([
          'postmortem.drafted',
          'postmortem.published',
          'action_item.exported',
          'action_item.synced',
        ]),
      );

      // The reports: MTTR and MTTA of the incident, and the week's low-priority noise.
      const range = `from=${Date.parse('2026-03-01T00:00:00Z')}&to=${Date.parse('2026-03-11T00:00:00Z')}`;
      const times = await json(
        sAda,
        'GET',
        `/api/reports/response-times?${range}&groupBy=severity&bucket=week`,
      );
      expect(times.data.groups).toEqual([
        expect.objectContaining({
          name: 'SEV1',
          incidents: 1,
          resolved: 1,
          mttaMs: 4 * minute,
          mttrMs: 45 * minute,
        }),
      ]);
      const csv = await call(
        sAda,
        'GET',
        `/api/reports/response-times?${range}&groupBy=service&format=csv`,
      );
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toBe(
        'bucket,service,incidents,resolved,mtta_minutes,mttr_minutes\r\n2026-03-09,Checkout,1,1,4,45\r\n',
      );
      const noise = await json(sAda, 'GET', `/api/reports/noise?${range}`);
      expect(noise.data.totals).toEqual({
        alerts: 6,
        becameIncidents: 1,
        incidentShare: 0.167,
        lowPriority: 5,
      });
      expect(noise.data.lowPriority.top).toEqual([
        {
          service: 'Checkout',
          alert: 'Disk space low on checkout-db',
          severity: 'warning',
          count: 4,
        },
        { service: 'Checkout', alert: 'Disk space low on checkout-db', severity: 'info', count: 1 },
      ]);
      expect(noise.data.topAlerts[0]).toMatchObject({
        alert: 'Disk space low on checkout-db',
        alerts: 5,
        incidents: 0,
      });
      const availability = await json(sAda, 'GET', `/api/reports/availability?${range}`);
      expect(availability.data.services).toEqual([
        expect.objectContaining({ service: 'Checkout', outages: 1, downtimeMinutes: 30 }),
      ]);
      // A window reaching past now is measured up to now, not counted up (or down) ahead.
      const since = Date.parse('2026-03-01T00:00:00Z');
      const now = app.clock.now();
      const [toNow, ahead] = await Promise.all(
        [now, now + 30 * 24 * 60 * minute].map(
          async (to) =>
            (await json(sAda, 'GET', `/api/reports/availability?from=${since}&to=${to}`)).data
              .services[0],
        ),
      );
      expect(ahead.availabilityPct).toBe(toNow.availabilityPct);
      expect(ahead.downtimeMinutes).toBe(30);
      const load = await json(sAda, 'GET', `/api/reports/oncall-load?${range}`);
      expect(load.data.people).toEqual([
        expect.objectContaining({
          name: 'Bo',
          pages: 1,
          sleepHours: 1,
          offHours: 1,
          medianAckMs: 4 * minute,
        }),
      ]);
    });
  },
);
