import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  SlackDouble,
  signedEvent,
  signedSlashCommand,
  signedUrlVerification,
  slackDoubleBotUserId,
  slackMessageEvent,
} from '../doubles/slack-double.js';
import {
  addNotificationRule,
  addSignedInMember,
  addVerifiedContact,
  configureNotifier,
  createService,
  createTeam,
  loginAdmin,
  type Member,
} from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  type Session,
  type TestApp,
} from '../harness.js';

// A SEV2 declared at 02:00: Tocsin opens #inc-<n>-checkout-5xx-above-20 in Slack, invites the
// commander and the paged on-call, and pins the summary. The team talks there, and the talk is
// on the timeline; they run the incident with /tocsin (severity, roles, a note, an update, then
// ack → mitigated → resolved) and each answer only they see. A stranger's Slack account, a
// viewer and a forged request change nothing; a SEV3 gets no room; `/tocsin declare` from
// another channel declares one. Slack is a local double speaking its wire format.

const system = systemActor('scenario');
const botToken = 'xoxb-1111-2222-war-room-token';
const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';

describeEachStore('scenario: a Slack war room for a SEV2', (kind) => {
  let app: TestApp;
  let slack: SlackDouble;
  let admin: Session;

  beforeEach(async () => {
    slack = await new SlackDouble({ botToken }).start();
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T01:50:00Z') });
    admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'slack', {
      botToken,
      signingSecret,
      apiUrl: `${slack.url}/api`,
    });
  });
  afterEach(async () => {
    await app.close();
    await slack.stop();
  });

  /** Adds and verifies a Slack contact method: the code arrives as a DM at the double. */
  function linkSlack(who: Session, slackUserId: string): Promise<string> {
    return addVerifiedContact(
      app,
      who,
      { type: 'slack', label: 'Slack', address: slackUserId },
      () => {
        const dm = slack.messages.at(-1)!;
        expect(dm.requestedChannel).toBe(slackUserId);
        return dm.text ?? '';
      },
    );
  }

  /** Platform: Priya on call (Slack at once), Morgan the team admin, Vic a viewer. */
  async function platform() {
    const team = await createTeam(app);
    const person = (name: string, role: 'admin' | 'responder' | 'viewer') =>
      addSignedInMember(app, team.id, name, role);
    const priya = await person('Priya', 'responder');
    const morgan = await person('Morgan', 'admin');
    const vic = await person('Vic', 'viewer');
    await addNotificationRule(app, priya.session, await linkSlack(priya.session, 'U0PRIYA01'), 0);
    await linkSlack(morgan.session, 'U0MORGAN1');
    await linkSlack(vic.session, 'U0VIC0001');
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Default',
      repeatCount: 0,
      levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: priya.id }] }],
    });
    const service = await createService(app, team.id, 'Checkout', policy.id);
    slack.messages.length = 0;
    app.clock.set('2026-03-10T02:00:00Z');
    return { priya, morgan, vic, service, team, policy };
  }

  async function declare(by: Member, body: Record<string, unknown>) {
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: asSession(by.session),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: number };
  }

  interface IncidentView {
    status: string;
    severity: string;
    warRoom: { channelId: string; channelName: string } | { error: string } | null;
    roles: Array<{ role: string; name: string }>;
    timeline: Array<{ kind: string; actorName: string; message: string }>;
  }

  async function incident(id: string): Promise<IncidentView> {
    const res = await app.http!.inject({
      method: 'GET',
      url: `/api/incidents/${id}`,
      headers: asSession(admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as IncidentView;
  }

  /** How many incidents the store holds. */
  async function incidentCount(): Promise<number> {
    const r = await app.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function slash(slackUserId: string, channelId: string, text: string) {
    const req = signedSlashCommand({
      signingSecret,
      slackUserId,
      channelId,
      text,
      now: app.clock.now(),
    });
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/slack/commands',
      headers: req.headers,
      payload: req.body,
    });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    return answer.text;
  }

  async function event(ev: Record<string, unknown>, retryNum?: number) {
    const req = signedEvent({
      signingSecret,
      event: ev,
      now: app.clock.now(),
      eventId: `Ev${String(ev.ts).replace('.', '')}`,
      ...(retryNum ? { retryNum } : {}),
    });
    return app.http!.inject({
      method: 'POST',
      url: '/api/notify/slack/events',
      headers: req.headers,
      payload: req.body,
    });
  }

  const nowTs = () => (app.clock.now() / 1000).toFixed(6);

  it('opens the room, captures the talk, and runs the incident from /tocsin', async () => {
    const { morgan, service } = await platform();
    const declared = await declare(morgan, {
      title: 'Checkout 5xx above 20%',
      severity: 'SEV2',
      serviceIds: [service.id],
      commanderId: morgan.id,
    });
    await app.engine!.runUntilIdle();

    // The room: named for the incident, the commander and the paged on-call in it, summary pinned.
    const name = `inc-${declared.number}-checkout-5xx-above-20`;
    const channel = slack.channelNamed(name)!;
    expect(channel, `channels: ${slack.channels.map((c) => c.name).join(', ')}`).toBeDefined();
    expect(channel.topic).toBe(`SEV2 #${declared.number}: Checkout 5xx above 20%`);
    expect([...channel.members].sort()).toEqual(
      [slackDoubleBotUserId, 'U0MORGAN1', 'U0PRIYA01'].sort(),
    );
    const pinned = slack.messages.filter((m) => m.channel === channel.id);
    expect(pinned).toHaveLength(1);
    expect(channel.pins).toEqual([pinned[0]!.ts]);
    expect(pinned[0]!.text).toContain(`#${declared.number} Checkout 5xx above 20%`);
    expect(pinned[0]!.text).toContain('Severity: SEV2 (Production System Impaired)');
    let view = await incident(declared.id);
    expect(view.warRoom).toEqual({ channelId: channel.id, channelName: name });
    expect(view.timeline.map((t) => `${t.kind}: ${t.message}`)).toContain(
      `warroom.opened: War room #${name} opened in Slack`,
    );
    // The engine does not open a second room on later passes.
    app.clock.set('2026-03-10T02:01:00Z');
    await app.engine!.runUntilIdle();
    expect(slack.channels).toHaveLength(1);

    // Saving the Events URL in Slack: the handshake is answered.
    const handshake = signedUrlVerification({
      signingSecret,
      challenge: 'c3eZbrw1aBm2rZgRNFdx',
      now: app.clock.now(),
    });
    const shook = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/slack/events',
      headers: handshake.headers,
      payload: handshake.body,
    });
    expect(shook.statusCode).toBe(200);
    expect(shook.json()).toEqual({ challenge: 'c3eZbrw1aBm2rZgRNFdx' });

    // Priya talks in the room; Slack retries the event once; Tocsin's own post echoes back.
    app.clock.set('2026-03-10T02:02:00Z');
    const said = slackMessageEvent({
      channel: channel.id,
      user: 'U0PRIYA01',
      text: 'Error rate tracks the 4.2.1 deploy, rolling back',
      ts: nowTs(),
    });
    expect((await event(said)).statusCode).toBe(200);
    expect((await event(said, 1)).statusCode).toBe(200);
    expect(
      (
        await event(
          slackMessageEvent({
            channel: channel.id,
            user: slackDoubleBotUserId,
            botId: 'B0TOCSIN',
            text: 'Tocsin summary',
            ts: '1773108121.000100',
          }),
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await event(
          slackMessageEvent({
            channel: channel.id,
            user: 'U0PRIYA01',
            subtype: 'channel_join',
            text: '<@U0PRIYA01> has joined the channel',
            ts: '1773108122.000100',
          }),
        )
      ).statusCode,
    ).toBe(200);
    // Talk in a channel that is no war room is not Tocsin's business.
    expect(
      (
        await event(
          slackMessageEvent({
            channel: 'C0RANDOM01',
            user: 'U0PRIYA01',
            text: 'lunch?',
            ts: nowTs(),
          }),
        )
      ).statusCode,
    ).toBe(200);
    view = await incident(declared.id);
    const chat = view.timeline.filter((t) => t.kind === 'chat.message');
    expect(chat).toEqual([
      expect.objectContaining({
        actorName: 'Priya',
        message: 'Error rate tracks the 4.2.1 deploy, rolling back',
        at: Date.parse('2026-03-10T02:02:00Z'),
      }),
    ]);

    // The commander runs the incident from the channel.
    app.clock.set('2026-03-10T02:05:00Z');
    expect(await slash('U0MORGAN1', channel.id, 'sev 1')).toBe(
      `Severity of #${declared.number} is now SEV1`,
    );
    expect(await slash('U0MORGAN1', channel.id, 'role recovery <@U0PRIYA01|priya>')).toBe(
      `Role recovery on #${declared.number}: Priya`,
    );
    expect(await slash('U0MORGAN1', channel.id, 'note Rolled back to 4.2.0 at 02:04')).toBe(
      'Noted on the timeline.',
    );
    expect(await slash('U0MORGAN1', channel.id, 'update Checkout errors are falling')).toMatch(
      /^Update sent to \d+ subscribers?\.$/,
    );
    view = await incident(declared.id);
    expect(view.severity).toBe('SEV1');
    expect(view.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'commander', name: 'Morgan' }),
        expect.objectContaining({ role: 'recovery', name: 'Priya' }),
      ]),
    );
    const lines = view.timeline.map((t) => `${t.kind}: ${t.actorName}: ${t.message}`);
    expect(lines).toContain('note: Morgan: Rolled back to 4.2.0 at 02:04');
    expect(lines).toContain(
      'update.posted: Morgan: Update to 0 subscribers: Checkout errors are falling',
    );

    expect(await slash('U0PRIYA01', channel.id, 'ack')).toBe(`Acknowledged #${declared.number}`);
    expect(await slash('U0PRIYA01', channel.id, 'ack')).toBe(
      'The incident is already acknowledged',
    );
    expect((await incident(declared.id)).status).toBe('acknowledged');
    app.clock.set('2026-03-10T02:20:00Z');
    expect(await slash('U0PRIYA01', channel.id, 'mitigated')).toBe(`Mitigated #${declared.number}`);
    expect((await incident(declared.id)).status).toBe('mitigated');
    app.clock.set('2026-03-10T02:40:00Z');
    expect(await slash('U0MORGAN1', channel.id, 'resolve')).toBe(`Resolved #${declared.number}`);
    view = await incident(declared.id);
    expect(view.status).toBe('resolved');
    expect(view.timeline.map((t) => t.kind)).toEqual(
      expect.arrayContaining(['incident.acknowledged', 'incident.mitigated', 'incident.resolved']),
    );
    expect(await slash('U0MORGAN1', channel.id, 'help')).toContain('*/tocsin* commands');
    expect(await slash('U0MORGAN1', channel.id, 'dance')).toBe(
      'Unknown command "dance". Try /tocsin help',
    );
  });

  it('a stranger, a viewer and a forged request change nothing', async () => {
    const { morgan, service } = await platform();
    const declared = await declare(morgan, {
      title: 'Payments slow',
      severity: 'SEV1',
      serviceIds: [service.id],
      commanderId: morgan.id,
    });
    await app.engine!.runUntilIdle();
    const channel = slack.channelNamed(`inc-${declared.number}-payments-slow`)!;
    expect(channel).toBeDefined();
    const before = await incident(declared.id);

    expect(await slash('U0STRANGER', channel.id, 'resolve')).toBe(
      'Your Slack account is not linked to a Tocsin user: add it as a Slack contact method in Tocsin and verify it.',
    );
    expect(await slash('U0VIC0001', channel.id, 'resolve')).toBe(
      'Responders of the team manage the incident',
    );
    expect(await slash('U0VIC0001', channel.id, 'sev 3')).toBe(
      'Responders of the team manage the incident',
    );

    // Signed with another secret, or too old: 401, nothing done.
    const forged = signedSlashCommand({
      signingSecret: 'not-the-secret-at-all-0000000000',
      slackUserId: 'U0MORGAN1',
      channelId: channel.id,
      text: 'resolve',
      now: app.clock.now(),
    });
    const stale = signedSlashCommand({
      signingSecret,
      slackUserId: 'U0MORGAN1',
      channelId: channel.id,
      text: 'resolve',
      now: app.clock.now() - 6 * 60_000,
    });
    const forgedEvent = signedEvent({
      signingSecret: 'not-the-secret-at-all-0000000000',
      event: slackMessageEvent({
        channel: channel.id,
        user: 'U0MORGAN1',
        text: 'all good, closing',
        ts: nowTs(),
      }),
      now: app.clock.now(),
    });
    for (const [url, req] of [
      ['/api/notify/slack/commands', forged],
      ['/api/notify/slack/commands', stale],
      ['/api/notify/slack/events', forgedEvent],
    ] as const) {
      const res = await app.http!.inject({
        method: 'POST',
        url,
        headers: req.headers,
        payload: req.body,
      });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('SLACK_SIGNATURE_INVALID');
    }
    const unsigned = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/slack/commands',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: forged.body,
    });
    expect(unsigned.statusCode).toBe(401);

    const after = await incident(declared.id);
    expect(after.status).toBe(before.status);
    expect(after.severity).toBe('SEV1');
    expect(after.timeline).toHaveLength(before.timeline.length);
  });

  it('a SEV3 gets no war room, until it is raised to SEV2', async () => {
    const { morgan, service } = await platform();
    const declared = await declare(morgan, {
      title: 'Internal wiki slow',
      severity: 'SEV3',
      serviceIds: [service.id],
    });
    await app.engine!.runUntilIdle();
    expect(slack.channels).toEqual([]);
    expect(slack.requests.filter((r) => r.path.includes('conversations.'))).toEqual([]);
    const view = await incident(declared.id);
    expect(view.warRoom).toBeNull();
    expect(view.timeline.filter((t) => t.kind.startsWith('warroom.'))).toEqual([]);

    // From anywhere, with the number: raised to SEV2, and the room follows.
    expect(await slash('U0MORGAN1', 'C0GENERAL1', `sev 2 #${declared.number}`)).toBe(
      `Severity of #${declared.number} is now SEV2`,
    );
    await app.engine!.runUntilIdle();
    expect(slack.channelNamed(`inc-${declared.number}-internal-wiki-slow`)).toBeDefined();
  });

  it('/tocsin declare asks which service when a person has several, and takes service:<name>', async () => {
    const { team, policy } = await platform();
    const web = await createService(app, team.id, 'Web frontend', policy.id);
    expect(await slash('U0PRIYA01', 'C0GENERAL1', 'declare sev2 Pages are blank')).toBe(
      // Escaped for Slack's mrkdwn, which shows it as `service:<name>`.
      'Which service? /tocsin declare sev2 service:&lt;name&gt; Pages are blank — Yours: Checkout, "Web frontend".',
    );
    expect(
      await slash('U0PRIYA01', 'C0GENERAL1', 'declare sev2 service:Search Pages are blank'),
    ).toBe('No service "Search" on your teams. Yours: Checkout, "Web frontend".');
    expect(await incidentCount()).toBe(0);
    const answer = await slash(
      'U0PRIYA01',
      'C0GENERAL1',
      'declare sev2 service:"web FRONTEND" Pages are blank',
    );
    expect(answer).toMatch(/^Declared #\d+ \(SEV2\): Pages are blank\. You are the commander\.$/);
    const row = await app.db
      .selectFrom('incidents')
      .select(['service_id', 'title'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ service_id: web.id, title: 'Pages are blank' });
  });

  it('/tocsin declare from another channel declares an incident, its room follows', async () => {
    const { service } = await platform();
    expect(await slash('U0PRIYA01', 'C0GENERAL1', 'ack')).toBe(
      'Which incident? Use this in its war room, or add #number.',
    );
    const answer = await slash('U0PRIYA01', 'C0GENERAL1', 'declare sev2 Checkout down');
    const number = Number(
      /^Declared #(\d+) \(SEV2\): Checkout down\. You are the commander\.$/.exec(answer)?.[1],
    );
    expect(number, answer).toBeGreaterThan(0);
    const row = await app.db
      .selectFrom('incidents')
      .select(['id', 'service_id', 'source'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ service_id: service.id, source: 'slack' });
    let view = await incident(row.id);
    expect(view).toMatchObject({ status: 'triggered', severity: 'SEV2' });
    expect(view.roles).toEqual([expect.objectContaining({ role: 'commander', name: 'Priya' })]);
    await app.engine!.runUntilIdle();
    const channel = slack.channelNamed(`inc-${number}-checkout-down`)!;
    expect(channel.members).toContain('U0PRIYA01');
    view = await incident(row.id);
    expect(view.timeline.map((t) => t.kind)).toContain('warroom.opened');
    // A stranger cannot declare.
    expect(await slash('U0STRANGER', 'C0GENERAL1', 'declare sev1 Everything is down')).toMatch(
      /not linked/,
    );
    expect(await incidentCount()).toBe(1);
  });

  it('a room that cannot be made is on the timeline once, not retried every pass', async () => {
    const { morgan, service } = await platform();
    slack.respondNextTo('conversations.create', {
      status: 200,
      body: { ok: false, error: 'missing_scope', needed: 'channels:manage' },
    });
    const declared = await declare(morgan, {
      title: 'Search down',
      severity: 'SEV1',
      serviceIds: [service.id],
    });
    await app.engine!.runUntilIdle();
    app.clock.set('2026-03-10T02:10:00Z');
    await app.engine!.runUntilIdle();
    const view = await incident(declared.id);
    expect(view.warRoom).toEqual({ error: 'slack: missing_scope' });
    expect(
      view.timeline.filter((t) => t.kind.startsWith('warroom.')).map((t) => t.message),
    ).toEqual(['Could not open the Slack war room: slack: missing_scope']);
    expect(JSON.stringify(view)).not.toContain(botToken);
    expect(slack.requests.filter((r) => r.path.endsWith('conversations.create'))).toHaveLength(1);
  });
});
