import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import type { NotifierPort } from '../../src/domains/notifications/notifier-port.js';
import { signedInteraction, type SlackButton, type SlackDouble } from '../doubles/slack-double.js';
import {
  signedTwilioRequest,
  type TwilioDouble,
  twilioSmsReplyParams,
} from '../doubles/twilio-double.js';
import {
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

const system = systemActor('qa');
const publicUrl = 'http://tocsin.test';
const signingSecret = doubleSlack.signingSecret;
const priyaPhone = '+15550100';

describeEachStore('acting from where the page landed', (kind) => {
  let app: TestApp;
  let slack: SlackDouble;
  let twilio: TwilioDouble;
  let doubles: NotifierDoubles;
  let admin: Session;

  /*
   * Tocsin's acting-from-a-page paths (Slack buttons, SMS replies) and the in-place refresh of
   * sent Slack messages: one failing refresh does not block the others, a digest stays a
   * digest, a refused action leaves no timeline line, concurrent acks and repeated Escalate
   * presses act once, a bare SMS "4" acknowledges the incident that is still paging.
   */
  beforeEach(async () => {
    doubles = await startNotifierDoubles();
    ({ slack, twilio } = doubles);
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

  async function setup(levels = 2) {
    const team = await createTeam(app);
    const priya = await addSignedInMember(app, team.id, 'Priya', 'responder');
    const morgan = await addSignedInMember(app, team.id, 'Morgan', 'admin');
    await addNotificationRule(
      app,
      priya.session,
      await contact(priya.session, 'slack', 'U0PRIYA01'),
      0,
    );
    await addNotificationRule(
      app,
      priya.session,
      await contact(priya.session, 'sms', priyaPhone),
      0,
    );
    await addNotificationRule(
      app,
      morgan.session,
      await contact(morgan.session, 'slack', 'U0MORGAN1'),
      0,
    );
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Default',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: priya.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: morgan.id }] },
        ...(levels > 2
          ? [{ delayMinutes: 5, targets: [{ type: 'user' as const, id: priya.id }] }]
          : []),
      ],
    });
    const { key } = await createPagedService(app, team.id, 'Checkout', policy.id);
    slack.messages.length = 0;
    twilio.messages.length = 0;
    return { team, priya, morgan, key };
  }

  async function trigger(key: string, dedup: string) {
    const res = await app.http!.inject({
      method: 'POST',
      url: '/v2/enqueue',
      payload: {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: dedup,
        payload: { summary: `Alert ${dedup}`, source: 'lb', severity: 'critical' },
      },
    });
    expect(res.statusCode).toBe(202);
    await app.engine!.runUntilIdle();
    return app.db
      .selectFrom('incidents')
      .select(['id', 'number', 'status'])
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow();
  }

  const press = (slackUserId: string, action: SlackButton, incidentId: string) => {
    const p = signedInteraction({
      signingSecret,
      slackUserId,
      action,
      incidentId,
      now: app.clock.now(),
    });
    return {
      method: 'POST' as const,
      url: '/api/notify/slack/interactions',
      headers: p.headers,
      payload: p.body,
    };
  };
  const sms = (body: string) => {
    const r = signedTwilioRequest({
      url: `${publicUrl}/api/notify/twilio/sms`,
      params: twilioSmsReplyParams({
        from: priyaPhone,
        to: twilioNumber,
        body,
        accountSid: twilio.accountSid,
      }),
      authToken: twilio.authToken,
    });
    return {
      method: 'POST' as const,
      url: '/api/notify/twilio/sms',
      headers: r.headers,
      payload: r.body,
    };
  };
  const timeline = async (id: string) =>
    (
      await app.db
        .selectFrom('incident_timeline')
        .select(['kind', 'message'])
        .where('incident_id', '=', id)
        .orderBy('at')
        .orderBy('id')
        .execute()
    ).map((t) => `${t.kind}: ${t.message}`);
  const statusOf = async (id: string) =>
    (
      await app.db
        .selectFrom('incidents')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  const port = () =>
    (app.services.delivery as unknown as { deps: { port: NotifierPort } }).deps.port;
  const setStatus = (who: Session, id: string, status: string) =>
    app.http!.inject({
      method: 'POST',
      url: `/api/incidents/${id}/status`,
      headers: asSession(who),
      payload: { status },
    });

  it('a sent message whose update throws is logged and marked rendered; the others are still updated', async () => {
    const { priya, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const one = await trigger(key, 'r1');
    app.clock.set('2026-03-10T02:01:00Z');
    const two = await trigger(key, 'r2');
    expect(slack.messages).toHaveLength(2);
    const [first] = slack.messages;
    const real = port().update.bind(port());
    const update = vi.spyOn(port(), 'update').mockImplementation(async (channel, ref, message) => {
      if (message.content.incident?.id === one.id) throw new Error('boom');
      return real(channel, ref, message);
    });
    expect((await setStatus(priya.session, one.id, 'acknowledged')).statusCode).toBe(200);
    expect((await setStatus(priya.session, two.id, 'acknowledged')).statusCode).toBe(200);
    // The throwing row is first in line on every pass; the other one is updated anyway.
    const reports = await app.engine!.runUntilIdle();
    const errors = reports.flatMap((r) => r.modules.filter((m) => m.error).map((m) => m.name));
    expect(errors).toEqual([]);
    expect(slack.updates.map((u) => u.ts)).not.toContain(first!.ts);
    expect(slack.updates).toHaveLength(1);
    const rows = await app.db
      .selectFrom('outbox_messages')
      .select(['rendered_status'])
      .where('channel', '=', 'slack')
      .execute();
    expect(rows.map((r) => r.rendered_status)).toEqual(['acknowledged', 'acknowledged']);
    // Not retried forever: the next pass has nothing stale.
    const calls = update.mock.calls.length;
    app.clock.set('2026-03-10T02:05:00Z');
    await app.engine!.runUntilIdle();
    expect(update.mock.calls.length).toBe(calls);
    update.mockRestore();
  });

  it('mitigating an incident whose Slack page was sent updates the page without errors', async () => {
    const { priya, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const inc = await trigger(key, 'a');
    expect(slack.messages.length).toBe(1);
    expect((await setStatus(priya.session, inc.id, 'mitigated')).statusCode).toBe(200);
    const reports = await app.engine!.runUntilIdle();
    const errors = reports.flatMap((r) =>
      r.modules.filter((m) => m.error).map((m) => `${m.name}: ${String(m.error)}`),
    );
    expect(errors).toEqual([]);
    expect(slack.updates.length).toBe(1);
  });

  it('a Slack digest is re-rendered as the digest, with each incident as it is now', async () => {
    const { priya, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    for (const d of ['f1', 'f2', 'f3']) {
      const res = await app.http!.inject({
        method: 'POST',
        url: '/v2/enqueue',
        payload: {
          routing_key: key,
          event_action: 'trigger',
          dedup_key: d,
          payload: { summary: `Alert ${d}`, source: `lb-${d}`, severity: 'critical' },
        },
      });
      expect(res.statusCode).toBe(202);
    }
    await app.engine!.runUntilIdle();
    const digest = slack.messages.find((m) => /incidents need you/.test(m.text ?? ''));
    expect(digest).toBeDefined();
    const row = await app.db
      .selectFrom('outbox_messages')
      .innerJoin('notification_intents', 'notification_intents.id', 'outbox_messages.intent_id')
      .innerJoin('incidents', 'incidents.id', 'notification_intents.incident_id')
      .select(['incidents.id as id', 'incidents.number as number'])
      .where('outbox_messages.kind', '=', 'digest')
      .where('outbox_messages.channel', '=', 'slack')
      .executeTakeFirstOrThrow();
    await setStatus(priya.session, row.id, 'acknowledged');
    await app.engine!.runUntilIdle();
    expect(slack.updates).toHaveLength(1);
    const u = slack.updates[0]!;
    expect(u.ts).toBe(digest!.ts);
    expect(u.text).toMatch(/^Tocsin: 3 incidents need you: #\d+, #\d+, #\d+$/);
    expect(JSON.stringify(u.blocks)).toContain(`#${row.number} Alert f1 (acknowledged)`);
  });

  it('Escalate from Slack on a mitigated incident is refused and leaves no "chose escalate" entry', async () => {
    const { priya, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const inc = await trigger(key, 'b');
    await setStatus(priya.session, inc.id, 'mitigated');
    const r = await app.http!.inject(press('U0PRIYA01', 'escalate', inc.id));
    expect(r.statusCode).toBe(200);
    expect(r.json().text).toMatch(/mitigated/);
    const tl = await timeline(inc.id);
    expect(tl.filter((t) => t.includes('chose escalate'))).toEqual([]);
  });

  it('a disabled person pressing a button is told their account is disabled, and nothing changes', async () => {
    const { priya, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const inc = await trigger(key, 'd');
    await app.services.users.update(system, priya.id, { disabled: true });
    const r = await app.http!.inject(press('U0PRIYA01', 'acknowledge', inc.id));
    expect(r.statusCode).toBe(200);
    expect(r.json().text).toMatch(/account is disabled/);
    const row = await app.db
      .selectFrom('incidents')
      .select('status')
      .where('id', '=', inc.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('triggered');
  });

  it('the same Escalate press replayed escalates once; a press a minute later escalates again', async () => {
    const { key } = await setup(3);
    app.clock.set('2026-03-10T02:00:00Z');
    const inc = await trigger(key, 'c');
    app.clock.set('2026-03-10T02:01:00Z');
    const p = press('U0MORGAN1', 'escalate', inc.id);
    const r1 = await app.http!.inject(p);
    const r2 = await app.http!.inject(p);
    expect(r1.json().text).toMatch(/^Escalated incident #/);
    expect(r2.json().text).toMatch(/escalated incident #\d+ moments ago/);
    await app.engine!.runUntilIdle();
    let tl = await timeline(inc.id);
    expect(tl.filter((t) => t.startsWith('escalation.manual'))).toHaveLength(1);
    expect(tl.filter((t) => t.includes('chose escalate'))).toHaveLength(1);
    app.clock.set('2026-03-10T02:02:01Z');
    const r3 = await app.http!.inject(press('U0MORGAN1', 'escalate', inc.id));
    expect(r3.json().text).toMatch(/^Escalated incident #/);
    tl = await timeline(inc.id);
    expect(tl.filter((t) => t.startsWith('escalation.manual'))).toHaveLength(2);
  });

  it('two people pressing Acknowledge at once: one acknowledgement, the other told', async () => {
    const { key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const inc = await trigger(key, 'd');
    const [a, b] = await Promise.all([
      app.http!.inject(press('U0PRIYA01', 'acknowledge', inc.id)),
      app.http!.inject(press('U0MORGAN1', 'acknowledge', inc.id)),
    ]);
    const texts = [a.json().text as string, b.json().text as string];
    const tl = await timeline(inc.id);
    expect(tl.filter((t) => t.startsWith('incident.acknowledged'))).toHaveLength(1);
    expect(tl.filter((t) => t.includes('chose acknowledge'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Acknowledged'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('was already acknowledged'))).toHaveLength(1);
  });

  it('a bare "4" acknowledges the triggered page, not a newer incident somebody else already acknowledged', async () => {
    const { priya, morgan, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const first = await trigger(key, 'e1');
    app.clock.set('2026-03-10T02:01:00Z');
    const second = await trigger(key, 'e2');
    expect(second.number).toBeGreaterThan(first.number);
    await setStatus(morgan.session, second.id, 'acknowledged');
    const r = await app.http!.inject(sms('4'));
    expect(r.body).toContain(`Acknowledged incident #${first.number}`);
    expect(await statusOf(first.id)).toBe('acknowledged');
    // Resolving still means the newest unresolved one; with nothing triggered, a bare ack
    // names the newest open incident (already acknowledged).
    expect(await app.services.notifyActions.incidentFor(priya.id, undefined, 'resolve')).toBe(
      second.id,
    );
    const again = await app.http!.inject(sms('4'));
    expect(again.body).toContain(`Incident #${second.number} was already acknowledged.`);
  });

  it('re-triggered (escalate now) incident acknowledged from the old Slack message', async () => {
    const { key } = await setup(3);
    app.clock.set('2026-03-10T02:00:00Z');
    const inc = await trigger(key, 'j');
    app.clock.set('2026-03-10T02:01:00Z');
    await app.http!.inject(press('U0PRIYA01', 'acknowledge', inc.id));
    await app.engine!.runUntilIdle();
    await app.http!.inject(press('U0MORGAN1', 'escalate', inc.id));
    await app.engine!.runUntilIdle();
    app.clock.set('2026-03-10T02:02:00Z');
    const a2 = await app.http!.inject(press('U0PRIYA01', 'acknowledge', inc.id));
    expect(a2.json().text).toMatch(/^Acknowledged incident #/);
    await app.engine!.runUntilIdle();
    expect(await statusOf(inc.id)).toBe('acknowledged');
    const row = await app.db
      .selectFrom('incidents')
      .select(['acknowledged_by'])
      .where('id', '=', inc.id)
      .executeTakeFirstOrThrow();
    expect(row.acknowledged_by).toBe('Priya');
  });

  it("a mitigated page does not stop a later resolved incident's Slack page from being re-rendered", async () => {
    const { priya, key } = await setup();
    app.clock.set('2026-03-10T02:00:00Z');
    const one = await trigger(key, 'a1');
    await setStatus(priya.session, one.id, 'mitigated');
    await app.engine!.runUntilIdle();
    app.clock.set('2026-03-10T02:10:00Z');
    const two = await trigger(key, 'a2');
    const before = slack.updates.length;
    await setStatus(priya.session, two.id, 'resolved');
    await app.engine!.runUntilIdle();
    expect(slack.updates.length).toBeGreaterThan(before);
  });
});
