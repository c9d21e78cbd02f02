import type { Kysely } from 'kysely';
import { isOrgAdmin, type Actor } from '../../core/actor.js';
import { pool, settledOrAfter } from '../../core/async.js';
import type { Clock } from '../../core/clock.js';
import { forbidden, notFound } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor } from '../../db/index.js';
import {
  addTimelineEntry,
  incidentStatuses,
  type IncidentStatus,
  type IncidentsService,
} from '../incidents/index.js';
import { channelLabels, mintActionLinks } from './actions.service.js';
import {
  decideAfterFailure,
  defaultDeliveryPolicy,
  isMootPage,
  liveDigestEntries,
  nextFallbackMethod,
  pageText,
  parseDigest,
  planBatch,
  rateLimitDecision,
  type DeliveryPolicy,
  type DigestEntry,
  type NotificationContent,
  type OutboundMessage,
  type SendOutcome,
} from './notification.js';
import type { NotifierPort } from './notifier-port.js';
import {
  insertAttempt,
  insertOutboxRow,
  selectAttempts,
  selectDeadLetters,
  selectDigestIncidents,
  selectDueOutbox,
  selectHealth,
  selectMethodsOfUser,
  selectNextDue,
  selectOutboxRow,
  selectRecentSends,
  selectStaleRendered,
  selectTriedMethods,
  updateByProviderRef,
  updateClaimedOutbox,
  updateOutbox,
  updateUnchangedOutbox,
  upsertHealth,
  type DueRow,
  type OutboxClaim,
} from './notifications.store.js';

/** One line of the delivery log. */
export interface DeliveryAttempt {
  id: string;
  messageId: string;
  incidentId: string | null;
  incidentNumber: number | null;
  userId: string;
  userName: string | null;
  channel: string;
  at: number;
  outcome: string;
  statusCode: number | null;
  detail: string | null;
}

/** A message that failed for good. */
export interface DeadLetter {
  id: string;
  incidentId: string;
  incidentNumber: number;
  userId: string;
  userName: string | null;
  channel: string;
  address: string | null;
  lastError: string | null;
  createdAt: number;
}

/** A notifier's health: an outage shows a banner and raises Tocsin's own alert. */
export interface NotifierHealth {
  notifierId: string;
  outage: boolean;
  consecutiveFailures: number;
  failingSince: number | null;
  lastError: string | null;
  lastSuccessAt: number | null;
}

/** A notifier starting or stopping to fail. */
interface OutageChange {
  notifierId: string;
  down: boolean;
  reason: string;
}

/** An incident a digest covers, with its status as of this pass. */
interface DigestItem {
  incidentId: string;
  number: number;
  title: string;
  status: string;
  urgency: string;
  serviceName: string;
  createdAt: number;
  reason: string;
}

const isIncidentStatus = (s: string): s is IncidentStatus =>
  (incidentStatuses as readonly string[]).includes(s);

/** An incident status as read from the database (a plain string column). */
function incidentStatus(s: string): IncidentStatus {
  return isIncidentStatus(s) ? s : 'triggered';
}

function itemOfRow(r: DueRow): DigestItem {
  return {
    incidentId: r.incident_id,
    number: r.incident_number,
    title: r.incident_title,
    status: r.incident_status,
    urgency: r.urgency,
    serviceName: r.service_name,
    createdAt: r.incident_created_at,
    reason: r.reason,
  };
}

/** What delivery needs. `random` and `policy` are injectable so tests are exact. */
export interface DeliveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  port: NotifierPort;
  incidents: IncidentsService;
  /** Absolute base for links and incident URLs (TOCSIN_PUBLIC_URL, else the listen address). */
  baseUrl: string;
  policy?: Partial<DeliveryPolicy>;
  random?: () => number;
  /** Concurrent sends per pass: one slow vendor must not hold up every page. */
  concurrency?: number;
  /** Told when a notifier starts or stops failing (the app raises / resolves its own alert). */
  onOutage?: (notifierId: string, down: boolean, reason: string) => Promise<void>;
}

/**
 * Delivery of the outbox (the send-messages engine module calls `deliverDue`):
 *
 * 1. due rows are read; pages whose incident was acknowledged or resolved meanwhile are dropped;
 * 2. rate limits (per contact method type, per person) delay a message, never lose it;
 * 3. a storm — several pages due at once for one contact method — folds into one digest;
 * 4. rows are claimed (`sending`, attempts + 1, `claimed_at`) in one write — each only if it is
 *    still as read, so two passes never both claim a row — then sent outside any transaction
 *    (a vendor's latency must not hold the store), `concurrency` at a time;
 * 5. each outcome is recorded: sent (timeline), retry with backoff and jitter honouring
 *    Retry-After, or dead (permanent 4xx or attempts exhausted) → dead letter, timeline, and the
 *    person's next verified contact method is queued at once.
 *
 * Claims across nodes: a claim is this node's while the row is `sending` under the `claimed_at`
 * and attempt it wrote ({@link OutboxClaim}). A row waits in this node's queue behind slow sends,
 * possibly past `claimTimeoutMs`, when another node may take it over; so when its send starts
 * the claim is renewed with a conditional write, and a row taken over meanwhile is not sent
 * here. While the vendor call runs the claim is renewed every quarter of `claimTimeoutMs`, so
 * no notifier timeout outlasts it; and an outcome is recorded only under the claim it was sent
 * under (a node whose claim was taken over leaves the row to the new owner).
 *
 * A pass waits for its sends at most `waitMs`; sends still in flight then finish in the
 * background (their rows are `sending`, and this node skips them until they end), so a vendor
 * that hangs until its timeout does not hold up the engine's next cycle: escalations and other
 * channels go on. `drain()` waits for them (the app calls it on stop).
 *
 * Crash window: a sender that dies between the vendor's accept and step 5's write leaves the
 * row `sending`, and stops renewing its claim; `claimTimeoutMs` after its last renewal it is sent
 * again (with the same message id, which webhook receivers can dedupe). So does a node that
 * cannot renew its claims for that long (paused, cut off from the store) — its own late outcome
 * is then not recorded. At-least-once is the documented choice: a page that may arrive twice
 * beats a page that never arrives.
 */
export class DeliveryService {
  readonly policy: DeliveryPolicy;
  /** Outbox rows this node is sending now (claimed, not yet recorded). */
  private readonly inFlight = new Set<string>();
  /** The passes whose sends are still running. */
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly deps: DeliveryDeps) {
    this.policy = { ...defaultDeliveryPolicy, ...deps.policy };
  }

  private random(): number {
    return (this.deps.random ?? Math.random)();
  }

  /** When the next pending message falls due. */
  nextDueAt(db: Executor = this.deps.db): Promise<number | undefined> {
    return selectNextDue(db);
  }

  /**
   * Sends what is due; returns how many rows were handled. Resolves when the sends are recorded,
   * or after `waitMs` with the rest still running (see the class comment).
   */
  async deliverDue(now: number, batch = 200, waitMs = Infinity): Promise<number> {
    const { db } = this.deps;
    // A row whose claim timed out while this node is still sending it (queued behind a slow
    // vendor) is not sent twice from here, nor does it take a place in the batch.
    const due = await selectDueOutbox(db, now, now - this.policy.claimTimeoutMs, batch, [
      ...this.inFlight,
    ]);
    if (due.length === 0) return 0;

    const live: DueRow[] = [];
    const deferred: Array<{ row: DueRow; at: number; why: string }> = [];
    const recent = await selectRecentSends(
      db,
      [...new Set(due.map((d) => d.user_id))],
      now - this.policy.rateWindowMs,
    );
    const methodSends = new Map<string, number[]>();
    const userSends = new Map<string, number[]>();
    const push = (m: Map<string, number[]>, k: string, t: number) =>
      m.set(k, [...(m.get(k) ?? []), t]);
    for (const r of recent) {
      if (r.contact_method_id) push(methodSends, r.contact_method_id, r.at);
      push(userSends, r.user_id, r.at);
    }
    const dropped: Array<{ row: DueRow; why: string }> = [];
    // A digest due again (a retry, a fallback, a resend) covers the incidents it still names
    // that are not moot now: none left, and it is dropped.
    const digests = await this.liveDigests(
      db,
      due.filter((r) => r.kind === 'digest'),
    );
    for (const row of due) {
      // An escalation page is moot once someone acknowledged; a page that asks a person for
      // something (commander, help, an update reminder, the distribution list) still stands
      // until the incident is resolved.
      if (row.kind === 'page' && isMootPage(row.reason, row.incident_status)) {
        dropped.push({ row, why: `incident ${row.incident_status} before sending` });
        continue;
      }
      if (row.kind === 'digest' && !digests.get(row.id)?.length) {
        dropped.push({ row, why: 'every incident of the digest acknowledged or resolved' });
        continue;
      }
      const limit = this.policy.perMethodLimit[row.channel] ?? 30;
      const d = rateLimitDecision(
        row.contact_method_id ? (methodSends.get(row.contact_method_id) ?? []) : [],
        userSends.get(row.user_id) ?? [],
        limit,
        this.policy.perUserLimit,
        this.policy.rateWindowMs,
        now,
      );
      if (!d.ok) {
        deferred.push({ row, at: d.at, why: d.why });
        continue;
      }
      live.push(row);
      if (row.contact_method_id) push(methodSends, row.contact_method_id, now);
      push(userSends, row.user_id, now);
    }
    const plan = planBatch(
      live.map((r) => ({ ...r, contactMethodId: r.contact_method_id })),
      this.policy.stormThreshold,
    );

    // Each write below applies only if the row is still as read: a row another sender claimed
    // or recorded meanwhile is left to it.
    const claims = new Map<string, OutboxClaim>();
    await inTransaction(db, async (trx) => {
      claims.clear();
      for (const { row, why } of dropped) {
        if (!(await updateUnchangedOutbox(trx, row, { status: 'dropped', last_error: why })))
          continue;
        await this.attempt(
          trx,
          row,
          now,
          'dropped',
          row.kind === 'digest' ? why : `incident already ${row.incident_status}`,
        );
      }
      for (const { row, at, why } of deferred) {
        if (!(await updateUnchangedOutbox(trx, row, { send_at: at, status: 'pending' }))) continue;
        await this.attempt(trx, row, now, 'deferred', `rate limit: ${why}`);
      }
      for (const { lead, folded } of plan) {
        const claimed = await updateUnchangedOutbox(trx, lead, {
          status: 'sending',
          claimed_at: now,
          attempts: lead.attempts + 1,
          ...(folded.length
            ? {
                kind: 'digest',
                digest_json: JSON.stringify(
                  [lead, ...folded].map((f): DigestEntry => ({
                    incidentId: f.incident_id,
                    number: f.incident_number,
                    title: f.incident_title,
                    reason: f.reason,
                  })),
                ),
              }
            : {}),
        });
        if (!claimed) continue;
        claims.set(lead.id, { claimedAt: now, attempts: lead.attempts + 1 });
        for (const f of folded) {
          const digested = await updateUnchangedOutbox(trx, f, {
            status: 'digested',
            last_error: `folded into ${lead.id}`,
          });
          if (digested)
            await this.attempt(trx, f, now, 'digested', `folded into one ${lead.channel} digest`);
        }
      }
    });

    const mine = plan.filter((item) => claims.has(item.lead.id));
    for (const { lead } of mine) this.inFlight.add(lead.id);
    const sends = pool(mine, this.deps.concurrency ?? 16, async (item) => {
      try {
        const items =
          digests.get(item.lead.id) ??
          (item.folded.length ? [item.lead, ...item.folded].map(itemOfRow) : undefined);
        await this.sendOne(item.lead, items, now, claims.get(item.lead.id)!);
      } catch (err) {
        // The row stays `sending` and is picked up again after the claim timeout.
        this.deps.logger.error({ err, messageId: item.lead.id }, 'delivery failed unexpectedly');
      } finally {
        this.inFlight.delete(item.lead.id);
      }
    });
    const tracked: Promise<void> = sends.finally(() => this.sending.delete(tracked));
    this.sending.add(tracked);
    await settledOrAfter(tracked, waitMs);
    return due.length;
  }

  /** Waits until every send started by a pass has been recorded. */
  async drain(): Promise<void> {
    while (this.sending.size > 0) await Promise.all(this.sending);
  }

  /**
   * The incidents each digest row covers that are still worth a message, as of now (a row
   * whose `digest_json` is missing covers its own incident only).
   */
  private liveDigests(db: Executor, rows: DueRow[]): Promise<Map<string, DigestItem[]>> {
    return this.digestItems(db, rows, true);
  }

  /**
   * The incidents each digest row covers, with their status as of now: only those still worth
   * a message (`liveOnly`), or every one it names (re-rendering a sent digest in place).
   */
  private async digestItems(
    db: Executor,
    rows: DueRow[],
    liveOnly: boolean,
  ): Promise<Map<string, DigestItem[]>> {
    const out = new Map<string, DigestItem[]>();
    if (rows.length === 0) return out;
    const entriesOf = new Map(rows.map((r) => [r.id, parseDigest(r.digest_json)]));
    const all = [...entriesOf.values()].flat();
    const incidents = await selectDigestIncidents(
      db,
      [...new Set(all.flatMap((e) => (e.incidentId ? [e.incidentId] : [])))],
      [...new Set(all.filter((e) => !e.incidentId).map((e) => e.number))],
    );
    const byId = new Map(incidents.map((i) => [i.id, i]));
    const byNumber = new Map(incidents.map((i) => [i.number, i]));
    const find = (e: DigestEntry) =>
      e.incidentId ? byId.get(e.incidentId) : byNumber.get(e.number);
    for (const row of rows) {
      const entries = entriesOf.get(row.id)!;
      if (entries.length === 0) {
        out.set(
          row.id,
          liveOnly && isMootPage(row.reason, row.incident_status) ? [] : [itemOfRow(row)],
        );
        continue;
      }
      const kept = liveOnly
        ? liveDigestEntries(entries, (e) => find(e)?.status)
        : entries.filter((e) => find(e) !== undefined);
      out.set(
        row.id,
        kept.map((e) => {
          const i = find(e)!;
          return {
            incidentId: i.id,
            number: i.number,
            title: i.title,
            status: i.status,
            urgency: i.urgency,
            serviceName: i.service_name,
            createdAt: i.created_at,
            reason: e.reason ?? 'escalation',
          };
        }),
      );
    }
    return out;
  }

  /**
   * Renders, sends and records one planned message: a page, an update, or a digest of `items`
   * (a fresh fold, or what a digest due again still covers).
   */
  private async sendOne(
    lead: DueRow,
    items: DigestItem[] | undefined,
    now: number,
    claim: OutboxClaim,
  ): Promise<void> {
    // The row may have waited in this node's queue past the claim timeout, and another node
    // may have taken it over: it is sent only if the claim is still this node's (renewed now).
    if (!(await this.renewClaim(lead.id, claim))) {
      this.deps.logger.warn(
        { messageId: lead.id, channel: lead.channel },
        'not sending: another node took the message over while it waited here',
      );
      return;
    }
    const stopRenewing = this.keepClaim(lead.id, claim);
    let outcome: SendOutcome;
    try {
      const message = await this.render(lead, items, now);
      try {
        outcome = message
          ? await this.deps.port.send(lead.channel, message)
          : { ok: false, retryable: false, reason: 'the contact method has no address' };
      } catch (err) {
        // A notifier that throws is a bug; treat it as retryable so the page is not lost.
        this.deps.logger.error({ err, channel: lead.channel }, 'notifier threw');
        outcome = { ok: false, retryable: true, reason: 'notifier error' };
      }
    } finally {
      await stopRenewing();
    }
    await this.record(lead, items, outcome, this.deps.clock.now(), claim);
  }

  /** Renews this node's claim on a row (`claimed_at` = now); false when the claim is gone. */
  private async renewClaim(id: string, claim: OutboxClaim): Promise<boolean> {
    const at = this.deps.clock.now();
    if (!(await updateClaimedOutbox(this.deps.db, id, claim, { claimed_at: at }))) return false;
    claim.claimedAt = at;
    return true;
  }

  /**
   * Renews the claim every quarter of the claim timeout while a send runs, so a vendor call as
   * long as the notifier timeout (up to 2 minutes) does not let another node take the row over.
   * Returns a stop function that resolves once no renewal is running (the outcome is recorded
   * under the claim's last value).
   */
  private keepClaim(id: string, claim: OutboxClaim): () => Promise<void> {
    let renewing = Promise.resolve();
    let lost = false;
    const timer = setInterval(
      () => {
        renewing = renewing.then(async () => {
          if (lost) return;
          try {
            lost = !(await this.renewClaim(id, claim));
            if (lost)
              this.deps.logger.warn(
                { messageId: id },
                'another node took the message over while it was being sent',
              );
          } catch (err) {
            this.deps.logger.warn({ err, messageId: id }, 'could not renew a delivery claim');
          }
        });
      },
      Math.max(1, Math.floor(this.policy.claimTimeoutMs / 4)),
    );
    timer.unref();
    return async () => {
      clearInterval(timer);
      await renewing;
    };
  }

  private async attempt(
    db: Executor,
    row: DueRow,
    at: number,
    outcome: string,
    detail: string | null,
    statusCode: number | null = null,
  ): Promise<void> {
    await insertAttempt(db, {
      id: newId(),
      message_id: row.id,
      incident_id: row.incident_id,
      user_id: row.user_id,
      channel: row.channel,
      at,
      outcome,
      status_code: statusCode,
      detail: detail?.slice(0, 500) ?? null,
    });
  }

  private incidentUrl(id: string): string {
    return `${this.deps.baseUrl}/incidents/${id}`;
  }

  private async render(
    lead: DueRow,
    items: DigestItem[] | undefined,
    now: number,
  ): Promise<OutboundMessage | undefined> {
    if (!lead.address) return undefined;
    // A digest shows the lead's incident where it still covers it, else its first one; a digest
    // down to one incident is a plain page about that incident.
    const main =
      items?.find((i) => i.incidentId === lead.incident_id) ?? items?.[0] ?? itemOfRow(lead);
    const incident = {
      id: main.incidentId,
      number: main.number,
      title: main.title,
      status: incidentStatus(main.status),
      urgency: main.urgency === 'high' ? ('high' as const) : ('low' as const),
      serviceName: main.serviceName,
      url: this.incidentUrl(main.incidentId),
      createdAt: main.createdAt,
    };
    let content: NotificationContent;
    if (items && items.length > 1) {
      content = {
        kind: 'digest',
        text: `Tocsin: ${items.length} incidents need you: ${items.map((f) => `#${f.number}`).join(', ')}`,
        digest: {
          count: items.length,
          incidents: items.map((f) => ({ number: f.number, title: f.title })),
        },
        incident,
      };
    } else if (lead.kind === 'update') {
      content = {
        kind: 'update',
        text: `#${lead.incident_number} update: ${lead.intent_message}`,
        incident,
      };
    } else {
      content = { kind: 'page', text: pageText(incident), incident };
    }
    if ((lead.channel === 'email' || lead.channel === 'teams') && lead.user_id) {
      content.links = await mintActionLinks(this.deps.db, {
        incidentId: incident.id,
        userId: lead.user_id,
        now,
        ttlMs: this.policy.linkTtlMs,
        baseUrl: this.deps.baseUrl,
      });
    }
    return { id: lead.id, to: lead.address, content, recipientUserId: lead.user_id };
  }

  private async record(
    lead: DueRow,
    items: DigestItem[] | undefined,
    outcome: SendOutcome,
    now: number,
    claim: OutboxClaim,
  ): Promise<void> {
    const covered = items ? items.map((i) => i.incidentId) : [lead.incident_id];
    const label = channelLabels[lead.channel] ?? lead.channel;
    const who = lead.user_name ?? lead.address ?? 'someone';
    let change: OutageChange | undefined;
    // The outcome is written only under the claim it was sent under: a node that took the row
    // over (this one's claim had timed out) owns it now, and records its own send.
    const recorded = await inTransaction(this.deps.db, async (trx) => {
      if (outcome.ok) {
        const mine = await updateClaimedOutbox(trx, lead.id, claim, {
          status: 'sent',
          sent_at: now,
          provider_ref: outcome.providerRef ?? null,
          rendered_status: lead.incident_status,
          last_error: null,
          ...(outcome.delivered ? { delivered_at: now } : {}),
        });
        if (!mine) return false;
        await this.attempt(trx, lead, now, 'sent', outcome.providerRef ?? null);
        this.deps.logger.debug({ messageId: lead.id, channel: lead.channel }, 'delivered');
        for (const incidentId of covered) {
          await addTimelineEntry(trx, {
            incidentId,
            at: now,
            kind: 'notification.sent',
            actorName: 'tocsin',
            message: `Notified ${who} by ${label}${covered.length > 1 ? ` (one digest of ${covered.length} incidents)` : ''}`,
            data: { messageId: lead.id, channel: lead.channel, userId: lead.user_id },
          });
        }
        change = await this.health(trx, lead.channel, now, undefined);
        return true;
      }
      this.deps.logger.warn(
        {
          messageId: lead.id,
          channel: lead.channel,
          status: outcome.status,
          retryable: outcome.retryable,
        },
        'delivery failed: %s',
        outcome.reason,
      );
      const attemptsMade = lead.attempts + 1;
      const decision = decideAfterFailure(outcome, attemptsMade, now, this.policy, this.random());
      const mine = await updateClaimedOutbox(
        trx,
        lead.id,
        claim,
        decision.action === 'retry'
          ? { status: 'pending', send_at: decision.at, last_error: outcome.reason }
          : { status: 'failed', last_error: outcome.reason },
      );
      if (!mine) return false;
      const providerSide = outcome.retryable && outcome.status !== 429;
      if (providerSide) change = await this.health(trx, lead.channel, now, outcome.reason);
      if (decision.action === 'retry') {
        await this.attempt(
          trx,
          lead,
          now,
          'retry',
          `${outcome.reason}; next try in ${Math.round((decision.at - now) / 1000)} s`,
          outcome.status ?? null,
        );
        return true;
      }
      await this.attempt(trx, lead, now, 'failed', outcome.reason, outcome.status ?? null);
      await this.fallBack(
        trx,
        lead,
        now,
        `Could not notify ${who} by ${label} (${decision.why === 'permanent' ? outcome.reason : `${attemptsMade} attempts: ${outcome.reason}`})`,
      );
      return true;
    });
    if (!recorded) {
      this.deps.logger.warn(
        { messageId: lead.id, channel: lead.channel, ok: outcome.ok },
        'outcome not recorded: another node took the message over (its claim had timed out)',
      );
      return;
    }
    // After commit: raising Tocsin's own alert is another write through the pipeline.
    if (change) {
      await this.deps
        .onOutage?.(change.notifierId, change.down, change.reason)
        .catch((err: unknown) => {
          this.deps.logger.error({ err }, 'could not raise the notifier outage alert');
        });
    }
  }

  /** Queues the person's next verified contact method after `row` failed for good. */
  private async fallBack(trx: Executor, row: DueRow, now: number, why: string): Promise<void> {
    const tried = await selectTriedMethods(trx, row.intent_id);
    const methods = (await selectMethodsOfUser(trx, row.user_id)).map((m) => ({
      ...m,
      verified: m.verified_at !== null,
    }));
    // A digest falls back as the same digest (what it covers is re-read when it is sent).
    const digest = row.kind === 'digest';
    const stillNeeded = digest
      ? ((await this.liveDigests(trx, [row])).get(row.id)?.length ?? 0) > 0
      : !isMootPage(row.reason, row.incident_status);
    const next = stillNeeded ? nextFallbackMethod(methods, tried) : undefined;
    if (next) {
      const id = newId();
      await insertOutboxRow(trx, {
        id,
        intent_id: row.intent_id,
        contact_method_id: next.id,
        channel: next.type,
        send_at: now,
        status: 'pending',
        attempts: 0,
        last_error: null,
        sent_at: null,
        created_at: now,
        fallback_from: row.id,
        kind: digest ? 'digest' : 'page',
        digest_json: digest ? row.digest_json : null,
      });
      await this.attempt(trx, row, now, 'fallback', `trying ${next.type} (${next.label}) next`);
    }
    await addTimelineEntry(trx, {
      incidentId: row.incident_id,
      at: now,
      kind: 'notification.failed',
      actorName: 'tocsin',
      message: `${why}; ${next ? `trying ${channelLabels[next.type] ?? next.type} next` : 'no other contact method left'}`,
      data: { messageId: row.id, channel: row.channel, userId: row.user_id },
    });
  }

  /** Updates a notifier's health; returns a change of outage state to report after commit. */
  private async health(
    trx: Executor,
    channel: string,
    now: number,
    failure: string | undefined,
  ): Promise<OutageChange | undefined> {
    const rows = await selectHealth(trx);
    const h = rows.find((r) => r.notifier_id === channel);
    if (failure === undefined) {
      if (h && (h.consecutive_failures > 0 || h.outage)) {
        await upsertHealth(trx, {
          ...h,
          consecutive_failures: 0,
          failing_since: null,
          last_success_at: now,
          outage: 0,
          updated_at: now,
        });
        if (h.outage) return { notifierId: channel, down: false, reason: 'recovered' };
      } else if (!h) {
        await upsertHealth(trx, {
          notifier_id: channel,
          consecutive_failures: 0,
          failing_since: null,
          last_error: null,
          last_success_at: now,
          outage: 0,
          updated_at: now,
        });
      }
      return undefined;
    }
    const failures = (h?.consecutive_failures ?? 0) + 1;
    const outage = failures >= this.policy.outageAfterFailures;
    await upsertHealth(trx, {
      notifier_id: channel,
      consecutive_failures: failures,
      failing_since: h?.failing_since ?? now,
      last_error: failure.slice(0, 500),
      last_success_at: h?.last_success_at ?? null,
      outage: outage ? 1 : 0,
      updated_at: now,
    });
    if (outage && !h?.outage) {
      this.deps.logger.error({ notifier: channel, failures }, 'notifier outage: %s', failure);
      return { notifierId: channel, down: true, reason: failure };
    }
    return undefined;
  }

  /**
   * Re-renders sent messages whose incident changed (Slack: the buttons go, the status shows).
   * Returns how many were updated.
   */
  async refreshSent(now: number, batch = 50): Promise<number> {
    const rows = await selectStaleRendered(this.deps.db, this.deps.port.updatableChannels(), batch);
    // A digest is re-rendered as the digest it was (every incident it names, as they are now),
    // never as a card about its first incident.
    const digests = await this.digestItems(
      this.deps.db,
      rows.filter((r) => r.kind === 'digest'),
      false,
    );
    let updated = 0;
    for (const row of rows) {
      try {
        if (await this.refreshOne(row, digests.get(row.id), now)) updated++;
      } catch (err) {
        // One message that cannot be re-rendered must not hold up every other one, pass after
        // pass: it is logged and marked rendered, and keeps what it showed.
        this.deps.logger.error(
          { err, messageId: row.id, channel: row.channel },
          'could not update a sent message; leaving it as it is',
        );
        await updateOutbox(this.deps.db, [row.id], { rendered_status: row.incident_status });
      }
    }
    return updated;
  }

  /** Re-renders one sent message; true when the vendor took the update. */
  private async refreshOne(
    row: DueRow,
    digest: DigestItem[] | undefined,
    now: number,
  ): Promise<boolean> {
    const isDigest = row.kind === 'digest' && digest !== undefined && digest.length > 1;
    const message = await this.render(
      { ...row, kind: isDigest ? 'digest' : 'page' },
      isDigest
        ? digest.map((i) => ({
            ...i,
            title: i.status === 'triggered' ? i.title : `${i.title} (${i.status})`,
          }))
        : undefined,
      now,
    );
    if (!message || !row.provider_ref) return false;
    if (!isDigest) message.content.kind = 'update';
    const outcome = await this.deps.port.update(row.channel, row.provider_ref, message);
    if (!outcome.ok && outcome.retryable) return false;
    await updateOutbox(this.deps.db, [row.id], { rendered_status: row.incident_status });
    if (!outcome.ok)
      this.deps.logger.warn(
        { messageId: row.id, reason: outcome.reason },
        'could not update a sent message',
      );
    return outcome.ok;
  }

  /**
   * A vendor's delivery receipt (Twilio status callback): delivered is recorded; a failure
   * after "sent" counts as a dead message and the next contact method is tried.
   */
  async recordReceipt(
    providerRef: string,
    status: 'delivered' | 'failed' | 'sent' | 'other',
    detail?: string,
  ): Promise<boolean> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.db, async (trx) => {
      if (status === 'delivered') {
        const row = await updateByProviderRef(trx, providerRef, { delivered_at: now });
        if (row) await this.attempt(trx, row, now, 'delivered', null);
        return row !== undefined;
      }
      if (status !== 'failed') return false;
      const row = await updateByProviderRef(trx, providerRef, {
        status: 'failed',
        last_error: detail ?? 'undelivered',
      });
      if (!row) return false;
      await this.attempt(trx, row, now, 'failed', `vendor receipt: ${detail ?? 'undelivered'}`);
      await this.fallBack(
        trx,
        row,
        now,
        `${channelLabels[row.channel] ?? row.channel} to ${row.user_name ?? 'someone'} was not delivered`,
      );
      return true;
    });
  }

  /** The delivery log of one incident (anyone who can see the incident). */
  async logOfIncident(actor: Actor, incidentId: string, limit = 200): Promise<DeliveryAttempt[]> {
    await this.deps.incidents.get(actor, incidentId);
    return (await selectAttempts(this.deps.db, { incidentId, limit })).map(toAttempt);
  }

  /** One person's delivery log (themselves, or an org admin). */
  async logOfUser(actor: Actor, userId: string, limit = 200): Promise<DeliveryAttempt[]> {
    if (!isOrgAdmin(actor) && !(actor.type === 'user' && actor.userId === userId))
      throw forbidden("Only org admins see other people's deliveries");
    return (await selectAttempts(this.deps.db, { userId, limit })).map(toAttempt);
  }

  /** Messages that failed for good (org admins). */
  async deadLetters(actor: Actor, limit = 200): Promise<DeadLetter[]> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins see dead letters');
    return (await selectDeadLetters(this.deps.db, limit)).map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      incidentNumber: r.incident_number,
      userId: r.user_id,
      userName: r.user_name,
      channel: r.channel,
      address: r.address,
      lastError: r.last_error,
      createdAt: r.created_at,
    }));
  }

  /** Sends a dead letter again from scratch (org admins). */
  async retry(actor: Actor, messageId: string): Promise<void> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins retry dead letters');
    const row = await selectOutboxRow(this.deps.db, messageId);
    if (!row || row.status !== 'failed') throw notFound('Dead letter', 'DEAD_LETTER_NOT_FOUND');
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      await updateOutbox(trx, [messageId], {
        status: 'pending',
        attempts: 0,
        send_at: now,
        // A digest is resent as the digest: its folded incidents have no message of their own.
        ...(row.kind === 'digest' ? {} : { kind: 'page' }),
      });
      await this.attempt(trx, row, now, 'requeued', `by ${actor.name}`);
    });
  }

  /** Every notifier's health (the UI banner). */
  async healthOfNotifiers(): Promise<NotifierHealth[]> {
    return (await selectHealth(this.deps.db)).map((h) => ({
      notifierId: h.notifier_id,
      outage: h.outage === 1,
      consecutiveFailures: h.consecutive_failures,
      failingSince: h.failing_since,
      lastError: h.last_error,
      lastSuccessAt: h.last_success_at,
    }));
  }
}

function toAttempt(r: Awaited<ReturnType<typeof selectAttempts>>[number]): DeliveryAttempt {
  return {
    id: r.id,
    messageId: r.message_id,
    incidentId: r.incident_id,
    incidentNumber: r.incident_number,
    userId: r.user_id,
    userName: r.user_name,
    channel: r.channel,
    at: r.at,
    outcome: r.outcome,
    statusCode: r.status_code,
    detail: r.detail,
  };
}
