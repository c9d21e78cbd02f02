import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  addNotificationRule,
  addSignedInMember,
  addVerifiedContact,
  createPagedService,
  createTeam,
} from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  type Session,
  type TestApp,
} from '../harness.js';

// The seeds' cache story. At 10:00 the web tier's error rate crosses 5% and Bo, on call for
// Platform, is paged. He classifies it SEV2 and adds the Cache service as impacted, then hands
// command to Ada, whose phone rings. Ada forms the teams: Bo restores service, Chen looks for the
// cause, Dana keeps the stakeholders informed. Chen logs a graph and the eviction log, Ada posts
// an update that reaches Dana, nobody posts the next one and Tocsin reminds Ada after an hour,
// Bo marks it mitigated, Ada resolves it, and the Markdown export tells it all, step by step.

const system = systemActor('scenario');
const minute = 60_000;

/** A 1×1 transparent PNG: the "graph" Chen attaches. */
const pngBase64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

interface Sent {
  channel: string;
  address: string | null;
  userId: string;
  text: string;
  at: string;
}

interface Person {
  id: string;
  session: Session;
}

describeEachStore('scenario: the cache story, from the first alert to the export', (kind) => {
  let app: TestApp;
  const sent: Sent[] = [];

  beforeEach(async () => {
    sent.length = 0;
    const clock = new FakeClock('2026-03-10T09:30:00Z');
    app = await createTestApp(kind, {
      clock,
      deliver: async (m) => void sent.push({ ...m, at: new Date(clock.now()).toISOString() }),
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const at = (hhmmss: string) => app.clock.set(`2026-03-10T${hhmmss}Z`);

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

  /** Adds and verifies an email address, reading the code where it was delivered. */
  const verifiedEmail = (who: Session, address: string): Promise<string> =>
    addVerifiedContact(
      app,
      who,
      { type: 'email', label: 'Work', address },
      () => sent.at(-1)!.text,
    );

  /**
   * Platform with Ada, Bo, Chen and Dana; the services "Web frontend" and "Cache", both paging
   * Bo (on call); Alertmanager integrations on both; Ada's email for pages and reminders, Dana's
   * email for updates, and Dana following the Cache service.
   */
  async function seeds() {
    const team = await createTeam(app);
    const person = (name: string): Promise<Person> =>
      addSignedInMember(app, team.id, name, 'responder');
    const ada = await person('Ada');
    const bo = await person('Bo');
    const chen = await person('Chen');
    const dana = await person('Dana');

    const adaEmail = await verifiedEmail(ada.session, 'ada@x.test');
    for (const urgency of ['high', 'low'] as const)
      await addNotificationRule(app, ada.session, adaEmail, 0, urgency);
    await verifiedEmail(dana.session, 'dana@x.test');

    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Platform on call',
      repeatCount: 0,
      levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: bo.id }] }],
    });
    const service = (name: string) =>
      createPagedService(app, team.id, name, policy.id, {
        type: 'alertmanager',
        name: 'Alertmanager',
      });
    const web = await service('Web frontend');
    const cache = await service('Cache');
    await call(dana.session, 'PUT', `/api/services/${cache.id}/subscription`, { subscribed: true });
    sent.length = 0;
    return { team, ada, bo, chen, dana, web, cache };
  }

  /** Alertmanager's webhook notification of one firing alert, as its `webhook_configs` sends it. */
  async function fire(key: string, labels: Record<string, string>, summary: string) {
    const startsAt = new Date(app.clock.now()).toISOString();
    const res = await app.http!.inject({
      method: 'POST',
      url: `/api/integrations/alertmanager/${key}`,
      payload: {
        version: '4',
        status: 'firing',
        receiver: 'tocsin',
        groupKey: `{}:{alertname="${labels.alertname}"}`,
        groupLabels: { alertname: labels.alertname },
        commonLabels: labels,
        commonAnnotations: { summary },
        externalURL: 'http://alertmanager.test',
        alerts: [
          {
            status: 'firing',
            labels,
            annotations: { summary },
            startsAt,
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.test/graph',
            fingerprint: `${labels.alertname}-${labels.instance}`,
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    await app.engine!.runUntilIdle();
  }

  async function incidents(who: Session) {
    const res = await call(who, 'GET', '/api/incidents');
    return (
      res.json().items as Array<{
        id: string;
        number: number;
        serviceId: string;
        alertCount: number;
      }>
    ).sort((a, b) => a.number - b.number);
  }

  it('alerts to SEV2, commander paged, teams formed, notes and an update, a reminder, mitigated, resolved, exported', async () => {
    const { ada, bo, chen, dana, web, cache } = await seeds();

    // 10:00 — the web tier's error rate alert opens an incident and pages Bo.
    at('10:00:00');
    await fire(
      web.key,
      { alertname: 'WebErrorRate', instance: 'web-1', severity: 'critical' },
      'Web frontend 5xx above 5%',
    );
    const [opened] = await incidents(bo.session);
    expect(opened).toMatchObject({ number: 1, serviceId: web.id, alertCount: 1 });
    const id = opened!.id;
    const url = `/api/incidents/${id}`;
    const intents = async () =>
      (
        await app.db
          .selectFrom('notification_intents')
          .select(['user_id', 'reason', 'message', 'created_at'])
          .where('incident_id', '=', id)
          .orderBy('id')
          .execute()
      ).map((i) => [i.user_id, i.reason, new Date(i.created_at).toISOString().slice(11, 19)]);
    expect(await intents()).toEqual([[bo.id, 'escalation', '10:00:00']]);

    // 10:02 — Bo classifies it SEV2 and adds Cache to the impacted services.
    at('10:02:00');
    const classified = await call(bo.session, 'PATCH', url, {
      severity: 'SEV2',
      serviceIds: [cache.id],
    });
    expect(classified.json()).toMatchObject({ severity: 'SEV2', urgency: 'high' });

    // 10:03 — a second web server alerts: same group, the same incident. Web-1 firing again
    // is a repeat, not a new alert.
    at('10:03:00');
    await fire(
      web.key,
      { alertname: 'WebErrorRate', instance: 'web-2', severity: 'critical' },
      'Web frontend 5xx above 5%',
    );
    await fire(
      web.key,
      { alertname: 'WebErrorRate', instance: 'web-1', severity: 'critical' },
      'Web frontend 5xx above 5%',
    );
    expect((await call(bo.session, 'GET', url)).json()).toMatchObject({
      alertCount: 2,
      services: [
        { id: cache.id, name: 'Cache' },
        { id: web.id, name: 'Web frontend' },
      ],
    });

    // 10:04 — the cache's own alert. The SEV2 already lists Cache as impacted, so the alert joins
    // it instead of opening (and paging) an incident of its own: one SEV2 for both tiers.
    at('10:04:00');
    await fire(
      cache.key,
      { alertname: 'CacheEvictionStorm', instance: 'cache-1', severity: 'critical' },
      'Cache evictions above 10k/s',
    );
    const afterCache = await incidents(bo.session);
    expect(afterCache.map((i) => [i.number, i.serviceId, i.alertCount])).toEqual([[1, web.id, 3]]);
    expect((await call(bo.session, 'GET', url)).json().related).toEqual([]);

    // 10:05 — Bo makes Ada the incident commander: she is paged, and her email rings.
    at('10:05:00');
    await call(bo.session, 'POST', `${url}/roles`, { role: 'commander', userId: ada.id });
    await app.engine!.runUntilIdle();
    const commanderPage = await app.db
      .selectFrom('notification_intents')
      .selectAll()
      .where('incident_id', '=', id)
      .where('reason', '=', 'commander')
      .execute();
    expect(commanderPage.map((p) => [p.user_id, p.urgency, p.message])).toEqual([
      [ada.id, 'high', '[#1] You are the incident commander: Web frontend 5xx above 5%'],
    ]);
    expect(sent.map((m) => [m.channel, m.address, m.at])).toEqual([
      ['email', 'ada@x.test', '2026-03-10T10:05:00.000Z'],
    ]);
    expect(sent[0]!.text).toContain('#1 HIGH Web frontend: Web frontend 5xx above 5%');

    // 10:06 — Ada acknowledges: Bo's escalation stops.
    at('10:06:00');
    const acked = await call(ada.session, 'POST', `${url}/status`, { status: 'acknowledged' });
    expect(acked.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'Ada' });

    // 10:07 — she forms the teams.
    at('10:07:00');
    await call(ada.session, 'POST', `${url}/roles`, { role: 'recovery', userId: bo.id });
    await call(ada.session, 'POST', `${url}/roles`, { role: 'root_cause', userId: chen.id });
    const formed = await call(ada.session, 'POST', `${url}/roles`, {
      role: 'communications',
      userId: dana.id,
    });
    expect(
      (formed.json().roles as Array<{ role: string; name: string }>)
        .map((r) => `${r.role}: ${r.name}`)
        .sort(),
    ).toEqual(['commander: Ada', 'communications: Dana', 'recovery: Bo', 'root_cause: Chen']);

    // 10:12 — Chen logs the hit-rate graph and the eviction log.
    at('10:12:00');
    const noteMarkdown =
      'Hit rate fell from 97% to 41% at 09:58\n\n```\ncache-1 evicted 12034 keys/s (maxmemory reached)\n```';
    const note = await call(chen.session, 'POST', `${url}/notes`, {
      markdown: noteMarkdown,
      attachments: [{ name: 'hit-rate.png', contentType: 'image/png', dataBase64: pngBase64 }],
    });
    const attachment = (note.json().data as { attachments: Array<{ id: string; size: number }> })
      .attachments[0]!;
    expect(attachment.size).toBe(Buffer.from(pngBase64, 'base64').length);
    const image = await call(chen.session, 'GET', `${url}/attachments/${attachment.id}`);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(Buffer.from(pngBase64, 'base64'))).toBe(true);

    // 10:15 — Ada posts a stakeholder update; it reaches Dana, who follows Cache.
    at('10:15:00');
    sent.length = 0;
    const update = await call(ada.session, 'POST', `${url}/updates`, {
      message: 'Web errors caused by cache evictions; failing over to the standby cache.',
    });
    expect(update.json().recipients).toBe(1);
    await app.engine!.runUntilIdle();
    expect(sent.map((m) => [m.channel, m.address, m.userId, m.text])).toEqual([
      [
        'email',
        'dana@x.test',
        dana.id,
        '#1 update: Web errors caused by cache evictions; failing over to the standby cache.',
      ],
    ]);

    // Nobody posts the next update. At 11:14:59 Tocsin is still quiet; at 11:15 it reminds Ada.
    const reminders = async () =>
      (await call(ada.session, 'GET', `${url}/timeline?kind=update.reminder`)).json()
        .items as Array<{
        at: number;
        message: string;
      }>;
    app.clock.fastForward(59 * minute + 59_000);
    await app.engine!.runUntilIdle();
    expect(await reminders()).toEqual([]);
    app.clock.fastForward(1000);
    await app.engine!.runUntilIdle();
    expect((await reminders()).map((r) => [new Date(r.at).toISOString(), r.message])).toEqual([
      ['2026-03-10T11:15:00.000Z', 'No update for 60 min: reminded Ada'],
    ]);
    const inbox = (await call(ada.session, 'GET', '/api/me/notifications')).json().items as Array<{
      incidentId: string;
      reason: string;
      message: string;
      createdAt: number;
    }>;
    expect(inbox.filter((n) => n.reason === 'update-reminder')).toEqual([
      expect.objectContaining({
        incidentId: id,
        message: '[#1] No stakeholder update for 60 min: post one',
        createdAt: Date.parse('2026-03-10T11:15:00Z'),
      }),
    ]);

    // 11:20:00.250 — the standby cache took over: Bo marks it mitigated. 11:45:30.125 — Ada
    // resolves it. The response times are exact to the millisecond.
    at('11:20:00.250');
    await call(bo.session, 'POST', `${url}/status`, { status: 'mitigated' });
    at('11:45:30.125');
    await call(ada.session, 'POST', `${url}/status`, { status: 'resolved' });
    const done = (await call(ada.session, 'GET', url)).json();
    expect(done).toMatchObject({
      status: 'resolved',
      mitigatedBy: 'Bo',
      resolvedBy: 'Ada',
      times: {
        toAcknowledgeMs: 6 * minute,
        toMitigateMs: 80 * minute + 250,
        toResolveMs: 105 * minute + 30_125,
      },
    });
    // The web tier's two alerts and the cache's one, resolved with the incident.
    expect((done.alerts as Array<{ status: string }>).map((a) => a.status)).toEqual([
      'resolved',
      'resolved',
      'resolved',
    ]);
    // The export: the facts, the roles, and every step in order with its time and actor.
    const exported = await call(ada.session, 'GET', `${url}/export.md`);
    expect(exported.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const md = exported.body.split('\n');
    expect(md.slice(0, 8)).toEqual([
      '# Incident #1: Web frontend 5xx above 5%',
      '',
      '- Severity: SEV2 (Production System Impaired)',
      '- Status: resolved',
      '- Services: Cache, Web frontend',
      '- Customer impacting: no',
      '- Opened: 2026-03-10T10:00:00Z',
      '- Time to acknowledge: 6 min; to mitigate: 1 h 20 min; to resolve: 1 h 46 min',
    ]);
    expect(md).toEqual(
      expect.arrayContaining([
        '- incident commander: Ada',
        '- communications lead: Dana',
        '- the recovery team: Bo',
        '- the root-cause team: Chen',
      ]),
    );
    expect(md.filter((l) => l.startsWith('| 2026-'))).toEqual([
      '| 2026-03-10T10:00:00Z | integration Alertmanager | incident.opened: Opened by a paging alert |',
      '| 2026-03-10T10:00:00Z | integration Alertmanager | alert.attached: Alert: Web frontend 5xx above 5% |',
      '| 2026-03-10T10:00:00Z | tocsin | escalation.level: Escalation level 1: paged Bo |',
      '| 2026-03-10T10:00:00Z | tocsin | notification.app_only: Bo has no high-urgency notification rules: reached in the app only |',
      '| 2026-03-10T10:02:00Z | Bo | incident.severity: Severity unclassified → SEV2 (Production System Impaired) |',
      '| 2026-03-10T10:02:00Z | Bo | incident.services: Impacted services: Cache, Web frontend |',
      '| 2026-03-10T10:03:00Z | integration Alertmanager | alert.attached: Alert joined: Web frontend 5xx above 5% |',
      '| 2026-03-10T10:04:00Z | integration Alertmanager | alert.attached: Alert joined: Cache evictions above 10k/s |',
      '| 2026-03-10T10:05:00Z | Bo | role.assigned: Bo made Ada incident commander |',
      '| 2026-03-10T10:05:00Z | tocsin | notification.sent: Notified Ada by email |',
      '| 2026-03-10T10:06:00Z | Ada | incident.acknowledged: Acknowledged by Ada |',
      '| 2026-03-10T10:07:00Z | Ada | role.assigned: Ada added Bo to the recovery team |',
      '| 2026-03-10T10:07:00Z | Ada | role.assigned: Ada added Chen to the root-cause team |',
      '| 2026-03-10T10:07:00Z | Ada | role.assigned: Ada made Dana communications lead |',
      '| 2026-03-10T10:12:00Z | Chen | note: Hit rate fell from 97% to 41% at 09:58 (in full below, 1) |',
      '| 2026-03-10T10:15:00Z | Ada | update.posted: Update to 1 subscriber: Web errors caused by cache evictions; failing over to the standby cache. |',
      '| 2026-03-10T10:15:00Z | tocsin | notification.sent: Notified Dana by email |',
      '| 2026-03-10T11:15:00Z | tocsin | update.reminder: No update for 60 min: reminded Ada |',
      '| 2026-03-10T11:15:00Z | tocsin | notification.sent: Notified Ada by email |',
      '| 2026-03-10T11:20:00.250Z | Bo | incident.mitigated: Mitigated by Bo: service restored |',
      '| 2026-03-10T11:45:30.125Z | Ada | incident.resolved: Resolved by Ada |',
    ]);
    // Chen's note in full below the table: its code block stays a code block.
    expect(exported.body).toContain(
      [
        '## Entries in full',
        '',
        '### 1. 2026-03-10T10:12:00Z, Chen: note',
        '',
        'Hit rate fell from 97% to 41% at 09:58',
        '',
        '```',
        'cache-1 evicted 12034 keys/s (maxmemory reached)',
        '```',
        '',
        'Attachments: hit-rate.png',
        '',
      ].join('\n'),
    );
  });

  /** 10:00 the web alert pages Bo; 10:02 Bo classifies it SEV2. Returns the incident's URL. */
  async function sev2(s: Awaited<ReturnType<typeof seeds>>): Promise<string> {
    at('10:00:00');
    await fire(
      s.web.key,
      { alertname: 'WebErrorRate', instance: 'web-1', severity: 'critical' },
      'Web frontend 5xx above 5%',
    );
    const [incident] = await incidents(s.bo.session);
    at('10:02:00');
    await call(s.bo.session, 'PATCH', `/api/incidents/${incident!.id}`, { severity: 'SEV2' });
    return `/api/incidents/${incident!.id}`;
  }

  const outcomes = async (who: Session, url: string) =>
    (
      (await call(who, 'GET', `${url}/deliveries`)).json().items as Array<{
        userId: string;
        channel: string;
        outcome: string;
      }>
    ).map((d) => `${d.channel} ${d.outcome}`);

  it('a commander named after the on-call acknowledged is still paged', async () => {
    const s = await seeds();
    const url = await sev2(s);
    at('10:03:00');
    await call(s.bo.session, 'POST', `${url}/status`, { status: 'acknowledged' });
    at('10:05:00');
    await call(s.bo.session, 'POST', `${url}/roles`, { role: 'commander', userId: s.ada.id });
    await app.engine!.runUntilIdle();
    expect(await outcomes(s.ada.session, url)).not.toContain('email dropped');
    expect(sent.map((m) => [m.address, m.at])).toEqual([
      ['ada@x.test', '2026-03-10T10:05:00.000Z'],
    ]);
  });

  it("the reminder reaches the commander's low-urgency email", async () => {
    const s = await seeds();
    const url = await sev2(s);
    at('10:05:00');
    await call(s.bo.session, 'POST', `${url}/roles`, { role: 'commander', userId: s.ada.id });
    await app.engine!.runUntilIdle();
    at('10:06:00');
    await call(s.ada.session, 'POST', `${url}/status`, { status: 'acknowledged' });
    sent.length = 0;
    // Classified at 10:02 with no update since: the SEV2 interval ends at 11:02.
    at('11:02:00');
    await app.engine!.runUntilIdle();
    expect(
      (await call(s.ada.session, 'GET', '/api/me/notifications')).json().items[0],
    ).toMatchObject({ reason: 'update-reminder' });
    expect(await outcomes(s.ada.session, url)).not.toContain('email dropped');
    expect(sent.map((m) => [m.address, m.at])).toEqual([
      ['ada@x.test', '2026-03-10T11:02:00.000Z'],
    ]);
  });
});
