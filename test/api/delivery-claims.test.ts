import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { newId } from '../../src/core/ids.js';
import type { Store } from '../../src/db/index.js';
import { IncidentsService } from '../../src/domains/incidents/index.js';
import {
  defaultDeliveryPolicy,
  DeliveryService,
  type DeliveryPolicy,
  type NotifierPort,
  type OutboundMessage,
} from '../../src/domains/notifications/index.js';
import { createIngestTarget } from '../fixtures.js';
import { createTestApp, openSecondHandle, storeKinds, type TestApp } from '../harness.js';

// Two Tocsin nodes delivering one outbox on one Postgres (QA's double page): a node whose pass
// claimed more rows than it sends at once keeps the rows waiting in its queue past the claim
// timeout; the other node must not send them again, nor may a node that lost a claim record over
// the node that took the row over.

const second = 1000;
const claimTimeoutMs = defaultDeliveryPolicy.claimTimeoutMs;

/** One node: a delivery service on its own store handle, whose vendor answers when told to. */
class Node {
  readonly started: string[] = [];
  readonly service: DeliveryService;
  private readonly waiting: Array<() => void> = [];
  private readonly answered: string[] = [];

  constructor(
    readonly name: string,
    app: TestApp,
    store: Store,
    options: { concurrency?: number; hold?: boolean; policy?: Partial<DeliveryPolicy> } = {},
  ) {
    const hold = options.hold ?? false;
    const port: NotifierPort = {
      send: async (_channel: string, m: OutboundMessage) => {
        this.started.push(m.id);
        if (hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.answered.push(m.id);
        return { ok: true, providerRef: `${name}:${m.id}` };
      },
      update: () => Promise.resolve({ ok: true }),
      updatableChannels: () => [],
    };
    this.service = new DeliveryService({
      db: store.db,
      clock: app.clock,
      logger: createLogger({ level: 'silent' }),
      port,
      incidents: new IncidentsService({ db: store.db, clock: app.clock }),
      baseUrl: 'http://tocsin.test',
      concurrency: options.concurrency ?? 16,
      ...(options.policy ? { policy: options.policy } : {}),
    });
  }

  /** One pass that waits for its sends at most 50 ms (the engine's cycle wait). */
  pass(now: number): Promise<number> {
    return this.service.deliverDue(now, 200, 50);
  }

  /** Waits until `n` sends have reached the vendor. */
  async startedAtLeast(n: number): Promise<void> {
    for (let i = 0; i < 200 && this.started.length < n; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(this.started.length).toBeGreaterThanOrEqual(n);
  }

  /** The vendor answers the oldest send it holds. */
  answerNext(): void {
    const next = this.waiting.shift();
    if (!next) throw new Error(`${this.name} holds no send`);
    next();
  }
}

describe.runIf(storeKinds().includes('postgres'))('delivery claims across nodes [postgres]', () => {
  let app: TestApp;
  let other: Store;
  let rows: string[];

  beforeEach(async () => {
    app = await createTestApp('postgres');
    other = openSecondHandle(app.store);
    const { ref } = await createIngestTarget(app, 600);
    const [outcome] = await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: 'db',
        summary: 'Database down',
        severity: 'critical',
        labels: {},
        raw: {},
      },
    ]);
    const incidentId = outcome!.incidentId!;
    const user = await app.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const now = app.clock.now();
    // Two pages due now to one person, each to its own webhook (nothing to fold).
    rows = [];
    for (const n of [1, 2]) {
      const intentId = newId();
      await app.db
        .insertInto('notification_intents')
        .values({
          id: intentId,
          idempotency_key: `claims-${n}`,
          incident_id: incidentId,
          user_id: user.id,
          urgency: 'high',
          reason: 'escalation',
          level: 1,
          round: 0,
          message: 'Database down',
          created_at: now,
          read_at: null,
        })
        .execute();
      const id = newId();
      await app.db
        .insertInto('outbox_messages')
        .values({
          id,
          intent_id: intentId,
          contact_method_id: null,
          address: `https://hooks.example/${n}`,
          channel: 'webhook',
          send_at: now - 3 + n, // due, row 1 first
          status: 'pending',
          attempts: 0,
          last_error: null,
          sent_at: null,
          created_at: now,
        })
        .execute();
      rows.push(id);
    }
  });
  afterEach(async () => {
    await other.close();
    await app.close();
  });

  const outbox = () =>
    app.db
      .selectFrom('outbox_messages')
      .select(['id', 'status', 'attempts', 'provider_ref'])
      .where('id', 'in', rows)
      .orderBy('send_at')
      .execute();
  const log = () =>
    app.db
      .selectFrom('delivery_attempts')
      .select(['message_id', 'outcome'])
      .where('message_id', 'in', rows)
      .orderBy('at')
      .execute();

  it('a page queued behind a slow send is not sent again by the other node: its claim is renewed when its send starts', async () => {
    // Node A sends one page at a time; its vendor takes 100 s to answer each.
    const a = new Node('A', app, app.store, { concurrency: 1, hold: true });
    const b = new Node('B', app, other);
    await a.pass(app.clock.now());
    await a.startedAtLeast(1);
    app.clock.fastForward(100 * second);
    a.answerNext();
    await a.startedAtLeast(2); // the queued page starts 100 s after the pass claimed it

    // 130 s after A's pass (past the claim timeout counted from it), B looks for due pages.
    app.clock.fastForward(30 * second);
    await b.pass(app.clock.now());
    await new Promise((r) => setTimeout(r, 100));
    expect(b.started).toEqual([]);

    a.answerNext();
    await a.service.drain();
    await b.service.drain();
    expect(a.started).toEqual(rows);
    expect(await outbox()).toEqual([
      { id: rows[0], status: 'sent', attempts: 1, provider_ref: `A:${rows[0]}` },
      { id: rows[1], status: 'sent', attempts: 1, provider_ref: `A:${rows[1]}` },
    ]);
    expect(await log()).toEqual([
      { message_id: rows[0], outcome: 'sent' },
      { message_id: rows[1], outcome: 'sent' },
    ]);
  });

  it('a page the other node took over while it waited in the queue is not sent, and a send that outlived its claim does not record over the new owner', async () => {
    const a = new Node('A', app, app.store, { concurrency: 1, hold: true });
    const b = new Node('B', app, other);
    await a.pass(app.clock.now());
    await a.startedAtLeast(1);

    // A hangs past the claim timeout (a paused node: its claim is not kept): B takes both
    // pages over and sends them — the first one again, with the same message id (at-least-once).
    app.clock.fastForward(claimTimeoutMs + 10 * second);
    expect(await b.pass(app.clock.now())).toBe(2);
    await b.service.drain();
    expect(b.started).toEqual(rows);

    // A wakes up: its vendor answers the first send; the queued page is not sent again.
    a.answerNext();
    await new Promise((r) => setTimeout(r, 200));
    expect(a.started).toEqual([rows[0]]);
    await a.service.drain();
    expect(await outbox()).toEqual([
      { id: rows[0], status: 'sent', attempts: 2, provider_ref: `B:${rows[0]}` },
      { id: rows[1], status: 'sent', attempts: 2, provider_ref: `B:${rows[1]}` },
    ]);
    expect(await log()).toEqual([
      { message_id: rows[0], outcome: 'sent' },
      { message_id: rows[1], outcome: 'sent' },
    ]);
  });

  it('a send that lasts longer than the claim timeout keeps its claim while it runs', async () => {
    // A short claim timeout, so the claim is renewed (every quarter of it) within the test.
    const policy = { claimTimeoutMs: 600 };
    const a = new Node('A', app, app.store, { hold: true, policy });
    const b = new Node('B', app, other, { policy });
    await a.pass(app.clock.now());
    await a.startedAtLeast(2);
    for (let i = 0; i < 6; i++) {
      app.clock.fastForward(200);
      await new Promise((r) => setTimeout(r, 200));
    }
    await b.pass(app.clock.now());
    await new Promise((r) => setTimeout(r, 100));
    expect(b.started).toEqual([]);

    a.answerNext();
    a.answerNext();
    await a.service.drain();
    expect((await outbox()).map((r) => [r.status, r.attempts, r.provider_ref])).toEqual([
      ['sent', 1, `A:${rows[0]}`],
      ['sent', 1, `A:${rows[1]}`],
    ]);
  });
});
