import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import type { Database, Store } from '../../src/db/index.js';
import { ResponseService } from '../../src/domains/response/index.js';
import { createSlackWarRoom } from '../../src/integrations/index.js';
import { SlackDouble, slackDoubleBotUserId } from '../doubles/slack-double.js';
import {
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
  openSecondHandle,
  type Session,
  type TestApp,
} from '../harness.js';

// War rooms against a Slack that is slow or failing: the engine cycle does not wait for it,
// no room is made twice (by the next pass or another node), a failure Slack may get over is
// retried with backoff and said once on the timeline, and a timeout that made the channel in
// Slack all the same ends with that channel adopted, not orphaned.

const system = systemActor('test');
const botToken = 'xoxb-1111-2222-war-room-retry-token';
const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';
const minute = 60_000;

describeEachStore('war rooms against a slow or failing Slack', (kind) => {
  let app: TestApp;
  let slack: SlackDouble;
  let admin: Session;
  let priya: Member;
  let serviceId: string;

  async function start(config: { notifyCycleWaitMs?: number; notifyTimeoutMs?: number } = {}) {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T01:50:00Z'), config });
    admin = await loginAdmin(app);
    await configureNotifier(app, admin, 'slack', {
      botToken,
      signingSecret,
      apiUrl: `${slack.url}/api`,
    });
    const team = await createTeam(app);
    priya = await addSignedInMember(app, team.id, 'Priya', 'responder');
    await addVerifiedContact(
      app,
      priya.session,
      { type: 'slack', label: 'Slack', address: 'U0PRIYA01' },
      () => slack.messages.at(-1)!.text ?? '',
    );
    const policy = await app.services.escalation.createPolicy(system, {
      teamId: team.id,
      name: 'Default',
      repeatCount: 0,
      levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: priya.id }] }],
    });
    serviceId = (await createService(app, team.id, 'Checkout', policy.id)).id;
    slack.clear();
    app.clock.set('2026-03-10T02:00:00Z');
  }

  beforeEach(async () => {
    slack = await new SlackDouble({ botToken }).start();
  });
  afterEach(async () => {
    await app.close();
    await slack.stop();
  });

  async function declare(title: string, severity = 'SEV1') {
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: asSession(priya.session),
      payload: { title, severity, serviceIds: [serviceId], commanderId: priya.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: number };
  }

  async function incident(id: string) {
    const res = await app.http!.inject({
      method: 'GET',
      url: `/api/incidents/${id}`,
      headers: asSession(admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      warRoom: { channelId: string; channelName: string } | { error: string } | null;
      timeline: Array<{ kind: string; message: string; at: number }>;
    };
  }

  const warRoomLines = async (id: string) =>
    (await incident(id)).timeline
      .filter((t) => t.kind.startsWith('warroom.'))
      .map((t) => `${t.kind}: ${t.message}`);
  const creates = () => slack.requests.filter((r) => r.path.endsWith('/conversations.create'));

  it('does not hold up the engine cycle for a slow Slack, and opens each room once', async () => {
    await start({ notifyCycleWaitMs: 100 });
    const first = await declare('Checkout 5xx');
    const second = await declare('Payments down');
    // Every Slack call takes 700 ms: a room (create, topic, invite, post, pin) 3.5 s.
    slack.latencyMs = 700;
    const cycle = await app.engine!.runCycle();
    // Before the fix the cycle waited for both rooms, one after the other: 7 s.
    expect(cycle.durationMs).toBeLessThan(3000);
    expect(cycle.modules.find((m) => m.name === 'war-rooms')).toMatchObject({ processed: 2 });
    // Both pages went out in that cycle, not after the rooms.
    const escalations = await app.db
      .selectFrom('notification_intents')
      .select('incident_id')
      .where('reason', '=', 'escalation')
      .execute();
    expect(new Set(escalations.map((e) => e.incident_id))).toEqual(new Set([first.id, second.id]));

    // While the rooms are still being made: the next pass, and another node, start no second.
    expect(
      (await app.engine!.runCycle()).modules.find((m) => m.name === 'war-rooms'),
    ).toMatchObject({ processed: 0 });
    let other: Store | undefined;
    try {
      other = kind === 'postgres' ? openSecondHandle(app.store) : undefined;
      const node2 = new ResponseService({
        db: (other?.db ?? app.db) as Kysely<Database>,
        clock: app.clock,
        audit: app.services.audit,
        incidents: app.services.incidents,
        alerts: app.services.alerts,
      });
      const port = createSlackWarRoom(
        {
          configOf: () =>
            Promise.resolve({
              enabled: true,
              config: { botToken, signingSecret, apiUrl: `${slack.url}/api` },
            }),
        },
        { fetch: globalThis.fetch, timeoutMs: 10_000, publicUrl: undefined },
      );
      await node2.openDueWarRooms(port, app.clock.now(), { waitMs: 0 });
      await node2.drainWarRooms();
    } finally {
      await other?.close();
    }
    await app.services.response.drainWarRooms();
    expect(creates()).toHaveLength(2);
    for (const { id, number } of [first, second]) {
      const view = await incident(id);
      expect(view.warRoom).toMatchObject({ channelName: expect.stringMatching(`^inc-${number}-`) });
      expect(await warRoomLines(id)).toEqual([
        expect.stringMatching(/^warroom\.opened: War room #inc-\d+-.* opened in Slack$/),
      ]);
    }
    expect(slack.channels.map((c) => c.pins.length)).toEqual([1, 1]);
  });

  it('stamps the war room with when it was opened, not when the pass began', async () => {
    await start();
    const { id } = await declare('Checkout 5xx');
    const began = app.clock.now();
    slack.latencyMs = 200;
    const cycle = app.engine!.runCycle();
    await slack.waitFor(1, (r) => r.path.endsWith('/conversations.create'));
    // Slack takes its time; meanwhile the clock moves on.
    app.clock.fastForward(45_000);
    await cycle;
    await app.services.response.drainWarRooms();
    const opened = (await incident(id)).timeline.find((t) => t.kind === 'warroom.opened')!;
    expect(opened.at).toBe(began + 45_000);
  });

  it('retries a room Slack failed to make (5xx), saying once that it failed and once that it opened', async () => {
    await start();
    const { id, number } = await declare('Checkout 5xx');
    slack.respondNextTo('conversations.create', { status: 500, body: 'oops' });
    await app.engine!.runUntilIdle();
    expect((await incident(id)).warRoom).toBeNull();
    expect(await warRoomLines(id)).toEqual([
      'warroom.failed: Could not open the Slack war room: slack: http_500; trying again',
    ]);
    // Not before the backoff (a minute) is over.
    app.clock.fastForward(30_000);
    await app.engine!.runUntilIdle();
    expect(creates()).toHaveLength(1);
    app.clock.fastForward(31_000);
    await app.engine!.runUntilIdle();
    const channel = slack.channelNamed(`inc-${number}-checkout-5xx`)!;
    expect(channel.members).toEqual([slackDoubleBotUserId, 'U0PRIYA01']);
    expect((await incident(id)).warRoom).toEqual({
      channelId: channel.id,
      channelName: channel.name,
    });
    expect(await warRoomLines(id)).toEqual([
      'warroom.failed: Could not open the Slack war room: slack: http_500; trying again',
      `warroom.opened: War room #${channel.name} opened in Slack`,
    ]);
    app.clock.fastForward(60 * minute);
    await app.engine!.runUntilIdle();
    expect(creates()).toHaveLength(2);
  });

  it('adopts the channel a timed-out try made in Slack, and captures its messages', async () => {
    await start({ notifyTimeoutMs: 500 });
    const { id, number } = await declare('Checkout 5xx');
    const name = `inc-${number}-checkout-5xx`;
    // Slack makes the channel but answers after the timeout.
    slack.respondNextWith(() => {
      slack.addChannel(name, { members: [slackDoubleBotUserId] });
      return 'hang';
    });
    await app.engine!.runUntilIdle();
    expect(await warRoomLines(id)).toEqual([
      'warroom.failed: Could not open the Slack war room: slack: timeout; trying again',
    ]);
    // Retitled meanwhile: the retry still asks for the name the first try chose.
    const retitled = await app.http!.inject({
      method: 'PATCH',
      url: `/api/incidents/${id}`,
      headers: asSession(priya.session),
      payload: { title: 'Checkout 5xx in every region' },
    });
    expect(retitled.statusCode, retitled.body).toBe(200);
    app.clock.fastForward(minute);
    await app.engine!.runUntilIdle();
    // One channel: the one the timed-out try made, now set up.
    expect(slack.channels.map((c) => c.name)).toEqual([name]);
    const channel = slack.channels[0]!;
    expect(channel.members).toEqual([slackDoubleBotUserId, 'U0PRIYA01']);
    expect(channel.pins).toHaveLength(1);
    expect(channel.topic).toBe(`SEV1 #${number}: Checkout 5xx in every region`);
    expect((await incident(id)).warRoom).toEqual({ channelId: channel.id, channelName: name });
    expect(await warRoomLines(id)).toEqual([
      'warroom.failed: Could not open the Slack war room: slack: timeout; trying again',
      `warroom.opened: War room #${name} opened in Slack`,
    ]);
    // Its talk reaches the timeline (the incident is found by the channel).
    expect(
      await app.services.response.recordChatMessage({
        channelId: channel.id,
        slackUserId: 'U0PRIYA01',
        text: 'Rolling back 4.2.1',
        ts: (app.clock.now() / 1000).toFixed(6),
      }),
    ).toBe(true);
  });

  it('gives up after five tries, saying so once; then tries no more', async () => {
    await start();
    const { id } = await declare('Checkout 5xx');
    slack.respondNextTo(
      'conversations.create',
      ...Array.from({ length: 6 }, () => ({ status: 503, body: 'unavailable' })),
    );
    for (let i = 0; i < 7; i++) {
      await app.engine!.runUntilIdle();
      app.clock.fastForward(11 * minute);
    }
    expect(creates()).toHaveLength(5);
    expect((await incident(id)).warRoom).toEqual({ error: 'slack: http_503' });
    expect(await warRoomLines(id)).toEqual([
      'warroom.failed: Could not open the Slack war room: slack: http_503; trying again',
      'warroom.failed: Gave up on the Slack war room after 5 tries: slack: http_503',
    ]);
  });
});
