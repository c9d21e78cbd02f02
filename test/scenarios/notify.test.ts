import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { signedInteraction, type SlackDouble } from '../doubles/slack-double.js';
import type { SmtpSink } from '../doubles/smtp-sink.js';
import {
  signedTwilioRequest,
  type TwilioDouble,
  twilioSmsReplyParams,
} from '../doubles/twilio-double.js';
import {
  addIntegrationKey,
  addNotificationRule,
  addSignedInMember,
  createPagedService,
  createTeam,
  loginAdmin,
} from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  type Session,
  type TestApp,
} from '../harness.js';
import {
  doubleSlack,
  startNotifierDoubles,
  twilioNumber,
  type NotifierDoubles,
} from '../notifier-doubles.js';

// The seed teams' night, with real deliveries: a critical event at 02:00 reaches the primary by
// Slack, SMS and email at once and by phone at 02:02; nobody answers; at 02:05 the manager is
// paged on Slack and presses Acknowledge there; nothing more goes out. Then the same night
// answered by an SMS reply, and by the email's one-click link. Slack and Twilio are local
// doubles speaking their wire formats; the SMTP server is a real one (smtp-server).

const system = systemActor('scenario');
const publicUrl = 'http://tocsin.test';
const signingSecret = doubleSlack.signingSecret;
const priyaPhone = '+15550100';

describeEachStore('scenario: a critical page delivered by Slack, SMS, email and phone', (kind) => {
  let app: TestApp;
  let slack: SlackDouble;
  let twilio: TwilioDouble;
  let smtp: SmtpSink;
  let doubles: NotifierDoubles;
  let admin: Session;

  beforeEach(async () => {
    doubles = await startNotifierDoubles();
    ({ slack, twilio, smtp } = doubles);
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T01:50:00Z'),
      config: { publicUrl },
    });
    admin = await loginAdmin(app);
    await doubles.configure(app, admin);
  });
  afterEach(async () => {
    await app.close();
    await doubles.stop();
  });

  /** Adds and verifies a contact method, reading the code from where it was delivered. */
  const contact = (who: Session, type: 'slack' | 'sms' | 'email' | 'voice', address: string) =>
    doubles.contact(app, who, type, address);

  const rule = (who: Session, contactMethodId: string, delayMinutes: number) =>
    addNotificationRule(app, who, contactMethodId, delayMinutes);

  /** Platform: Priya is primary (Slack + SMS + email at 0, call at 2), Morgan the manager. */
  async function night() {
    const team = await createTeam(app);
    const person = (name: string, role: 'admin' | 'responder') =>
      addSignedInMember(app, team.id, name, role);
    const priya = await person('Priya', 'responder');
    const morgan = await person('Morgan', 'admin');
    await rule(priya.session, await contact(priya.session, 'slack', 'U0PRIYA01'), 0);
    await rule(priya.session, await contact(priya.session, 'sms', priyaPhone), 0);
    await rule(priya.session, await contact(priya.session, 'email', 'priya@x.test'), 0);
    await rule(priya.session, await contact(priya.session, 'voice', priyaPhone), 2);
    await rule(morgan.session, await contact(morgan.session, 'slack', 'U0MORGAN1'), 0);
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Default',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: priya.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: morgan.id }] },
      ],
    });
    const { key } = await createPagedService(app, team.id, 'Checkout', policy.id);
    slack.messages.length = 0;
    twilio.messages.length = 0;
    twilio.calls.length = 0;
    smtp.mails.length = 0;

    app.clock.set('2026-03-10T02:00:00Z');
    const res = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'checkout-5xx',
        payload: { summary: 'Checkout 5xx above 20%', source: 'lb-1', severity: 'critical' },
      },
    });
    expect(res.statusCode).toBe(202);
    await app.engine!.runUntilIdle();
    const incident = await app.db
      .selectFrom('incidents')
      .select(['id', 'number'])
      .executeTakeFirstOrThrow();
    return { priya, morgan, incident };
  }

  const counts = () => ({
    slack: slack.messages.length,
    sms: twilio.messages.length,
    email: smtp.mails.length,
    calls: twilio.calls.length,
  });

  async function timelineKinds(incidentId: string): Promise<string[]> {
    const res = await app.http!.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}`,
      headers: asSession(admin),
    });
    return (res.json().timeline as Array<{ kind: string; message: string }>).map(
      (t) => `${t.kind}: ${t.message}`,
    );
  }

  it('Slack, SMS and email at 02:00, the call at 02:02, the manager at 02:05 acknowledges in Slack', async () => {
    const { incident } = await night();
    // All three at once; the call waits for its rule.
    expect(counts()).toEqual({ slack: 1, sms: 1, email: 1, calls: 0 });
    expect(slack.messages[0]!.channel).toBe(slack.dmChannelFor('U0PRIYA01'));
    expect(JSON.stringify(slack.messages[0]!.blocks)).toContain('tocsin_acknowledge');
    expect(twilio.messages[0]!.params).toMatchObject({ To: priyaPhone, From: twilioNumber });
    expect(twilio.messages[0]!.params.Body).toContain('Checkout 5xx above 20%');
    expect(smtp.mails[0]!.to).toContain('priya@x.test');
    expect(smtp.mails[0]!.html).toContain('/api/notify/links/');

    app.clock.set('2026-03-10T02:01:59Z');
    await app.engine!.runUntilIdle();
    expect(counts().calls).toBe(0);
    app.clock.set('2026-03-10T02:02:00Z');
    await app.engine!.runUntilIdle();
    expect(counts()).toEqual({ slack: 1, sms: 1, email: 1, calls: 1 });
    expect(twilio.calls[0]!.params.Twiml).toContain(
      `${publicUrl}/api/notify/twilio/voice?incident=${incident.id}`,
    );

    // Nobody answers: at 02:05 the manager's Slack.
    app.clock.set('2026-03-10T02:05:00Z');
    await app.engine!.runUntilIdle();
    expect(counts()).toEqual({ slack: 2, sms: 1, email: 1, calls: 1 });
    expect(slack.messages[1]!.channel).toBe(slack.dmChannelFor('U0MORGAN1'));

    // Morgan presses Acknowledge in Slack.
    app.clock.set('2026-03-10T02:06:00Z');
    const press = signedInteraction({
      signingSecret,
      slackUserId: 'U0MORGAN1',
      action: 'acknowledge',
      incidentId: incident.id,
      now: app.clock.now(),
    });
    const answer = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/slack/interactions',
      headers: press.headers,
      payload: press.body,
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().text).toContain(`Acknowledged incident #${incident.number}`);
    await app.engine!.runUntilIdle();
    // Both Slack messages now show it, without buttons.
    expect(slack.updates.length).toBe(2);
    for (const m of slack.messages) {
      expect(JSON.stringify(m.blocks)).not.toContain('tocsin_acknowledge');
    }

    // Escalation stopped: nobody receives anything more.
    app.clock.set('2026-03-10T03:00:00Z');
    await app.engine!.runUntilIdle();
    expect(counts()).toEqual({ slack: 2, sms: 1, email: 1, calls: 1 });

    const timeline = await timelineKinds(incident.id);
    const sent = timeline.filter((t) => t.startsWith('notification.sent'));
    expect(sent).toEqual([
      expect.stringMatching(/Priya by (Slack|SMS|email)$/),
      expect.stringMatching(/Priya by (Slack|SMS|email)$/),
      expect.stringMatching(/Priya by (Slack|SMS|email)$/),
      'notification.sent: Notified Priya by a phone call',
      'notification.sent: Notified Morgan by Slack',
    ]);
    expect(timeline).toContain('notification.action: Morgan chose acknowledge from Slack');
    expect(timeline).toContain('incident.acknowledged: Acknowledged by Morgan');

    // A signature from the wrong secret is refused, and acts on nothing.
    const forged = signedInteraction({
      signingSecret: 'not-the-secret-at-all-0000000000',
      slackUserId: 'U0MORGAN1',
      action: 'resolve',
      incidentId: incident.id,
      now: app.clock.now(),
    });
    const refused = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/slack/interactions',
      headers: forged.headers,
      payload: forged.body,
    });
    expect(refused.statusCode).toBe(401);
  });

  it('the primary acknowledges by replying 4 to the SMS; the 02:02 call is never made', async () => {
    const { incident } = await night();
    app.clock.set('2026-03-10T02:01:00Z');
    const url = `${publicUrl}/api/notify/twilio/sms`;
    const reply = signedTwilioRequest({
      url,
      params: twilioSmsReplyParams({
        from: priyaPhone,
        to: twilioNumber,
        body: '4',
        accountSid: twilio.accountSid,
      }),
      authToken: twilio.authToken,
    });
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/twilio/sms',
      headers: reply.headers,
      payload: reply.body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('xml');
    expect(res.body).toContain(`Acknowledged incident #${incident.number}`);

    app.clock.set('2026-03-10T02:30:00Z');
    await app.engine!.runUntilIdle();
    expect(counts()).toEqual({ slack: 1, sms: 1, email: 1, calls: 0 });
    const log = await app.http!.inject({
      method: 'GET',
      url: `/api/incidents/${incident.id}/deliveries`,
      headers: asSession(admin),
    });
    const outcomes = (log.json().items as Array<{ channel: string; outcome: string }>).map(
      (d) => `${d.channel} ${d.outcome}`,
    );
    expect(outcomes).toContain('voice dropped');
    expect(await timelineKinds(incident.id)).toContain(
      'notification.action: Priya chose acknowledge from SMS',
    );

    // An unsigned reply is refused.
    const unsigned = await app.http!.inject({
      method: 'POST',
      url: '/api/notify/twilio/sms',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: reply.body.replace('Body=4', 'Body=6'),
    });
    expect(unsigned.statusCode).toBe(403);
  });

  it("the primary acknowledges with the email's one-click link, which works once", async () => {
    const { incident } = await night();
    const text = smtp.mails[0]!.text;
    const link = /Acknowledge[^\n]*?\s*(http:\/\/tocsin\.test\/api\/notify\/links\/[\w-]+)/.exec(
      text,
    )![1]!;
    const path = link.slice(publicUrl.length);
    app.clock.set('2026-03-10T02:01:00Z');
    // Opening the link (a mail scanner does this too) does nothing yet.
    const page = await app.http!.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Acknowledge incident #${incident.number}`);
    expect(
      (await app.db.selectFrom('incidents').select('status').executeTakeFirstOrThrow()).status,
    ).toBe('triggered');
    // One press acknowledges.
    const done = await app.http!.inject({ method: 'POST', url: path });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(`Acknowledged incident #${incident.number}`);
    expect(
      (await app.db.selectFrom('incidents').select('status').executeTakeFirstOrThrow()).status,
    ).toBe('acknowledged');
    const again = await app.http!.inject({ method: 'POST', url: path });
    expect(again.statusCode).toBe(410);

    app.clock.set('2026-03-10T02:30:00Z');
    await app.engine!.runUntilIdle();
    expect(counts()).toEqual({ slack: 1, sms: 1, email: 1, calls: 0 });
    expect(await timelineKinds(incident.id)).toContain(
      'notification.action: Priya chose acknowledge from an email link',
    );
  });

  it('an error-severity event mails the distribution list and posts in the team channel, waking nobody', async () => {
    const team = await createTeam(app);
    const service = await app.services.services.create(system, {
      teamId: team.id,
      name: 'Reports',
      description: '',
    });
    await app.services.services.update(system, service.id, {
      settings: { notifyEmails: ['platform-list@x.test'], notifySlackChannel: 'C0PLATFORM' },
    });
    const key = await addIntegrationKey(app, service.id);
    app.clock.set('2026-03-10T02:00:00Z');
    const res = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'nightly-report-late',
        payload: { summary: 'Nightly report is late', source: 'cron-1', severity: 'error' },
      },
    });
    expect(res.statusCode).toBe(202);
    await app.engine!.runUntilIdle();
    expect(smtp.mails.map((m) => m.to)).toEqual([['platform-list@x.test']]);
    expect(smtp.mails[0]!.subject).toContain('Nightly report is late');
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0PLATFORM']);
    expect(twilio.messages.length + twilio.calls.length).toBe(0);
    // The same alert again joins the incident: the list is told once.
    await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'nightly-report-late',
        payload: { summary: 'Nightly report is late', source: 'cron-1', severity: 'error' },
      },
    });
    await app.engine!.runUntilIdle();
    expect(smtp.mails).toHaveLength(1);
    const incident = await app.db.selectFrom('incidents').select('id').executeTakeFirstOrThrow();
    expect(await timelineKinds(incident.id)).toContain(
      'notification.sent: Notified platform-list@x.test by email',
    );
  });
});
