import { describe, expect, it } from 'vitest';
import type {
  Notifier,
  NotifierContext,
  OutboundMessage,
} from '../../src/integrations/notifiers/notifier.js';
import { sampleIncident } from './sample.js';

/** The failure modes every notifier must handle the same way. */
export type FailureCase = 'rate-limited' | 'server-error' | 'client-error' | 'hang';

/** A started double for one notifier, with config pointing at it. */
export interface ConformanceRig<C> {
  config: C;
  /** The address to send to (an email address, a phone number, a Slack id, a URL). */
  to: string;
  /** Secret values in `config` that must never appear in an outcome's reason. */
  secrets: string[];
  /**
   * Makes the next request fail this way. `rate-limited` answers the vendor's rate limit with
   * Retry-After `retryAfterSeconds`; `client-error` answers a permanent error whose body echoes
   * the request (headers included), so a notifier that copies vendor bodies into reasons would
   * leak its secret and fail the secret case.
   */
  failNext(kind: FailureCase, retryAfterSeconds?: number): void;
  /** How many messages the double has accepted so far. */
  accepted(): number;
  stop(): Promise<void>;
}

/** What a notifier folder contributes to the suite. */
export interface ConformanceFixture<C> {
  notifier: Notifier<C>;
  start(): Promise<ConformanceRig<C>>;
  /** Cases that do not apply, each with the reason (e.g. SMTP has no Retry-After). */
  skip?: Partial<Record<FailureCase, string>>;
}

const message = (to: string): OutboundMessage => ({
  id: 'msg_conformance_1',
  to,
  content: {
    kind: 'page',
    text: '#42 [critical] Checkout API error rate above 5%',
    incident: sampleIncident(),
    links: {
      acknowledge: 'http://tocsin.test/a/ack-token',
      resolve: 'http://tocsin.test/a/resolve-token',
    },
  },
});

/**
 * The conformance suite (DESIGN.md convention 7): success; the vendor's rate limit with
 * Retry-After; 5xx retried; 4xx not retried; a timeout; and no secret in any failure's reason.
 */
export function describeNotifierConformance<C>(fixture: ConformanceFixture<C>): void {
  const { notifier } = fixture;
  describe(`notifier conformance: ${notifier.id}`, () => {
    // A short timeout only where the test is about the timeout: elsewhere a busy machine (two
    // test files at a time on two cores) must not turn a slow answer into a failed delivery.
    async function withRig(
      fn: (rig: ConformanceRig<C>, ctx: NotifierContext<C>) => Promise<void>,
      timeoutMs = 10_000,
    ) {
      const rig = await fixture.start();
      const ctx: NotifierContext<C> = {
        config: rig.config,
        fetch,
        timeoutMs,
        publicUrl: 'http://tocsin.test',
      };
      try {
        await fn(rig, ctx);
      } finally {
        await rig.stop();
      }
    }
    const skip = fixture.skip ?? {};

    it('delivers a page', async () => {
      await withRig(async (rig, ctx) => {
        const out = await notifier.send(message(rig.to), ctx);
        expect(out).toMatchObject({ ok: true });
        expect(rig.accepted()).toBe(1);
      });
    });

    it.skipIf(Boolean(skip['rate-limited']))(
      'reports a rate limit as retryable with its Retry-After',
      async () => {
        await withRig(async (rig, ctx) => {
          rig.failNext('rate-limited', 7);
          const out = await notifier.send(message(rig.to), ctx);
          expect(out).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7000 });
        });
      },
    );

    it.skipIf(Boolean(skip['server-error']))('reports a server error as retryable', async () => {
      await withRig(async (rig, ctx) => {
        rig.failNext('server-error');
        const out = await notifier.send(message(rig.to), ctx);
        expect(out).toMatchObject({ ok: false, retryable: true });
      });
    });

    it.skipIf(Boolean(skip['client-error']))('reports a client error as permanent', async () => {
      await withRig(async (rig, ctx) => {
        rig.failNext('client-error');
        const out = await notifier.send(message(rig.to), ctx);
        expect(out).toMatchObject({ ok: false, retryable: false });
      });
    });

    it.skipIf(Boolean(skip.hang))('gives up after the timeout, retryably', async () => {
      await withRig(async (rig, ctx) => {
        rig.failNext('hang');
        const started = Date.now();
        const out = await notifier.send(message(rig.to), ctx);
        expect(out).toMatchObject({ ok: false, retryable: true });
        expect(Date.now() - started).toBeLessThan(ctx.timeoutMs * 10);
      }, 400);
    });

    it('never puts a secret into a failure reason', async () => {
      await withRig(async (rig, ctx) => {
        expect(rig.secrets.length).toBeGreaterThan(0);
        const reasons: string[] = [];
        for (const kind of ['client-error', 'server-error', 'rate-limited'] as const) {
          if (skip[kind]) continue;
          rig.failNext(kind, 1);
          const out = await notifier.send(message(rig.to), ctx);
          if (!out.ok) reasons.push(out.reason);
        }
        expect(reasons.length).toBeGreaterThan(0);
        for (const r of reasons) for (const s of rig.secrets) expect(r).not.toContain(s);
      });
    });
  });
}
