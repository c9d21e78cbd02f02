import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canInTeam, isOrgAdmin, type Actor } from '../../core/actor.js';
import { resealValue, type ResealCount, type SecretBox } from '../../core/secrets.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound, parseInput } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import { inTransaction, isUniqueViolation, type Database, type Executor } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import {
  slackSubscriberSchema,
  subscribeSchema,
  type SlackSubscriberInput,
  type SubscribeInput,
} from './statuspages.schema.js';
import type { StatusPagesService } from './statuspages.service.js';
import {
  claimConfirmation,
  claimNotice,
  confirmSubscriberRow,
  countConfirmationsSince,
  countSubscribers,
  deleteSubscriberRow,
  deleteUnconfirmedSentBy,
  insertNotices,
  insertSubscriber,
  replaceSubscriberSecrets,
  selectComponents,
  selectDueNotices,
  selectNextNoticeAt,
  selectPage,
  selectPageBySlug,
  selectSubscriberByAddress,
  selectSubscriberByToken,
  selectSubscribersWithSecrets,
  selectSubscribers,
  selectSubscribersByIds,
  updateNoticeRow,
  updateSubscriberRow,
  type EventRow,
  type NoticeRow,
  type PageRow,
  type SubscriberRow,
} from './statuspages.store.js';

/*
 * Subscribers of a status page and the notices they are owed. Email subscriptions are double
 * opt-in (a confirmation link first; nothing else is sent until it is followed) and every mail
 * carries a one-click unsubscribe link; webhook subscriptions get a signing secret, shown once.
 * Notices are rows (`status_notices`), queued in the transaction of the change they announce and
 * sent by the engine outside any transaction, with retries and backoff.
 */

/** A notice as it is queued: what to say, independent of the channel. */
export interface NoticePayload {
  type: 'confirm' | 'event';
  pageName: string;
  pageUrl: string;
  /** confirm: the link to follow. */
  confirmUrl?: string;
  event?: {
    id: string;
    kind: 'incident' | 'maintenance';
    phase: 'created' | 'updated' | 'advance' | 'started' | 'completed';
    title: string;
    status: string;
    impact: string;
    body: string;
    components: string[];
    scheduledFor: number | null;
    scheduledUntil: number | null;
    at: number;
  };
}

/** What a send did; a permanent failure is not retried. */
export type NoticeOutcome = { ok: true } | { ok: false; retryable: boolean; reason: string };

/** How notices leave Tocsin (app/ composes it from the email settings and the SSRF guard). */
export interface StatusNoticeSender {
  email(message: {
    id: string;
    to: string;
    payload: NoticePayload;
    unsubscribeUrl: string;
  }): Promise<NoticeOutcome>;
  webhook(message: {
    id: string;
    url: string;
    secret: string;
    payload: NoticePayload;
    unsubscribeUrl: string;
  }): Promise<NoticeOutcome>;
  /** A Slack incoming webhook (a channel the page's team chose). */
  slack(message: { id: string; url: string; payload: NoticePayload }): Promise<NoticeOutcome>;
}

/** A subscriber as the page's admins see it (no tokens, no secret). */
export interface Subscriber {
  id: string;
  kind: 'email' | 'webhook' | 'slack';
  address: string;
  componentIds: string[] | null;
  confirmed: boolean;
  confirmedAt: number | null;
  createdAt: number;
}

/** The outcome of subscribing. */
export interface Subscribed {
  kind: 'email' | 'webhook';
  /** email: a confirmation was sent (or re-sent); webhook: active at once. */
  pendingConfirmation: boolean;
  /** webhook: the signing secret (`whsec_…`), shown this once. */
  secret?: string;
}

const maxAttempts = 8;
const claimMs = 5 * 60_000;
/** One confirmation mail per address per this long: re-subscribing cannot mail-bomb anyone. */
const confirmCooldownMs = 10 * 60_000;
/** How long a confirmation link works; an address that never confirms is deleted after it. */
const confirmTtlMs = 48 * 3_600_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** A value sealed by the secret box (`enc:v1:…`); Slack URLs stored before that are plain. */
const isSealed = (v: string) => v.startsWith('enc:');
const token = () => randomBytes(24).toString('base64url');

/**
 * A subscriber as admins see it. A Slack webhook URL is a credential: stored encrypted, and
 * admins see only where it goes (`slackUrl` opens it, or gives undefined when it cannot).
 */
function toSubscriber(
  r: SubscriberRow,
  slackUrl: (r: SubscriberRow) => string | undefined,
): Subscriber {
  return {
    id: r.id,
    kind: r.kind as Subscriber['kind'],
    address: r.kind === 'slack' ? slackLabel(slackUrl(r)) : r.address,
    componentIds: r.component_ids_json ? (JSON.parse(r.component_ids_json) as string[]) : null,
    confirmed: r.confirmed_at !== null,
    confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
    createdAt: Number(r.created_at),
  };
}

function slackLabel(url: string | undefined): string {
  if (url === undefined) return 'Slack';
  try {
    return `Slack (${new URL(url).host})`;
  } catch {
    return 'Slack';
  }
}

/** Backoff before attempt `n + 1`: 30 s doubling, at most an hour. */
export function noticeBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** True when a subscriber with this component choice hears of an event naming these components. */
export function subscriberWants(choice: string[] | null, eventComponents: string[]): boolean {
  if (choice === null || eventComponents.length === 0) return true;
  return eventComponents.some((c) => choice.includes(c));
}

/** Subscriptions, their confirmation and removal, and sending the notices. */
export class StatusSubscribersService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      pages: StatusPagesService;
      cipher: Pick<SecretBox, 'encrypt' | 'decrypt' | 'isCurrent'>;
      sender: StatusNoticeSender;
      /** Tocsin's public base URL (links in notices for pages without a custom domain). */
      baseUrl: string;
      logger?: Logger;
      /** Confirmed subscribers per page. */
      maxPerPage?: number;
      /** Confirmation mails a page may send per hour (default 300). */
      confirmationsPerHour?: number;
    },
  ) {
    deps.pages.onEvent((trx, page, event, update) => this.queueEvent(trx, page, event, update));
  }

  /** The page's public URL. */
  pageUrl(page: Pick<PageRow, 'slug' | 'custom_domain'>): string {
    return page.custom_domain
      ? `https://${page.custom_domain}`
      : `${this.deps.baseUrl}/status/${page.slug}`;
  }

  // ---- public

  /**
   * Subscribes an email address (double opt-in) or a webhook URL to a page. Anyone may call it,
   * so it must give nothing away and change nothing that only the subscriber may change: an
   * email address's choice changes when its owner confirms, and the answer is the same whether
   * or not the address is subscribed.
   */
  async subscribe(slug: string, raw: SubscribeInput): Promise<Subscribed> {
    const input = parseInput(subscribeSchema, raw, '', 'email');
    if ((input.email === undefined) === (input.webhookUrl === undefined))
      throw new AppError({
        kind: 'invalid',
        code: 'STATUS_SUBSCRIBE_ONE',
        field: 'email',
        message: 'email: give an email address or a webhookUrl (one of them)',
      });
    const page = await selectPageBySlug(this.deps.db, slug);
    if (!page) throw notFound('Status page', 'STATUS_PAGE_NOT_FOUND');
    const choice = await this.componentChoice(page.id, input.componentIds);
    const kind = input.email !== undefined ? 'email' : 'webhook';
    const address = (input.email ?? input.webhookUrl)!.trim();
    const normalised = kind === 'email' ? address.toLowerCase() : address;
    const now = this.deps.clock.now();
    // Addresses past their link go first (lazily here, and by the engine's pass): an expired
    // one subscribing again starts afresh.
    await deleteUnconfirmedSentBy(this.deps.db, now - confirmTtlMs, 100, page.id);
    const existing = await selectSubscriberByAddress(this.deps.db, page.id, kind, normalised);
    // Only confirmed subscribers count toward the cap. For email it is checked whether or not
    // the address is subscribed already, so a full page does not tell which addresses are.
    if ((kind === 'email' || !existing) && (await this.full(page.id)))
      throw new AppError({
        kind: 'conflict',
        code: 'STATUS_SUBSCRIBERS_FULL',
        message: 'This page has too many subscribers',
      });

    if (kind === 'webhook') {
      // Whoever knows a subscribed URL must not get its signing secret (they could sign notices
      // the receiver trusts) nor change its components, and nothing proves who owns a URL. As
      // on Statuspage and Instatus, a subscribed endpoint stays as it is: to change it, its
      // owner unsubscribes with the `unsubscribe_url` every delivery carries (or the page's team
      // removes it) and subscribes again, getting a new secret. A URL is not a person's address,
      // so saying that it is subscribed gives little away.
      if (existing)
        throw new AppError({
          kind: 'conflict',
          code: 'STATUS_WEBHOOK_EXISTS',
          field: 'webhookUrl',
          message:
            'webhookUrl: this URL is subscribed already; to change it, unsubscribe first with the unsubscribe_url in any delivery, then subscribe again',
        });
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      await insertSubscriber(this.deps.db, {
        id: newId(),
        page_id: page.id,
        kind,
        address: normalised,
        component_ids_json: choice ? JSON.stringify(choice) : null,
        secret: this.deps.cipher.encrypt(secret),
        confirm_token_hash: null,
        unsubscribe_token: token(),
        confirmed_at: now,
        created_at: now,
      });
      return { kind, pendingConfirmation: false, secret };
    }

    // Email. Each confirmation costs a mail to someone who may not have asked for it: at most
    // `confirmationsPerHour` per page, and one per address per `confirmCooldownMs` (a repeat
    // within it is answered the same way and sends nothing; the link already sent still works).
    // The page's limit is checked first, so a busy page answers every address alike.
    const perHour = this.deps.confirmationsPerHour ?? 300;
    if ((await countConfirmationsSince(this.deps.db, page.id, now - 3_600_000)) >= perHour)
      throw new AppError({
        kind: 'rate_limited',
        code: 'STATUS_SUBSCRIBE_BUSY',
        message: 'Too many subscriptions to this page right now; try again later',
        retryAfterSeconds: 600,
      });
    // The choice waits beside the token until the link in this mail is followed; an address
    // that already confirmed keeps its old choice meanwhile. (An unconfirmed one receives
    // nothing, so its row shows the latest choice asked for.)
    const confirm = token();
    const pending = JSON.stringify(choice);
    const id = existing?.id ?? newId();
    // Two first subscriptions of one address at once: the second insert meets the first's row
    // (a unique index) and answers like a repeat within the cooldown (its mail is on the way).
    const sent = await inTransaction(this.deps.db, async (trx) => {
      if (existing) {
        const claimed = await claimConfirmation(trx, id, now - confirmCooldownMs, {
          confirm_token_hash: sha256(confirm),
          confirm_sent_at: now,
          pending_component_ids_json: pending,
          ...(existing.confirmed_at === null
            ? { component_ids_json: choice ? pending : null }
            : {}),
        });
        if (!claimed) return false;
      } else {
        await insertSubscriber(trx, {
          id,
          page_id: page.id,
          kind,
          address: normalised,
          component_ids_json: choice ? pending : null,
          pending_component_ids_json: pending,
          secret: null,
          confirm_token_hash: sha256(confirm),
          confirm_sent_at: now,
          unsubscribe_token: token(),
          confirmed_at: null,
          created_at: now,
        });
      }
      const payload: NoticePayload = {
        type: 'confirm',
        pageName: page.name,
        pageUrl: this.pageUrl(page),
        confirmUrl: `${this.pageUrl(page)}/subscriptions/confirm?token=${confirm}`,
      };
      await insertNotices(trx, [
        {
          id: newId(),
          page_id: page.id,
          subscriber_id: id,
          dedup_key: `confirm:${sha256(confirm).slice(0, 16)}`,
          payload_json: JSON.stringify(payload),
          attempts: 0,
          next_at: now,
          sent_at: null,
          last_error: null,
          created_at: now,
        },
      ]);
      return true;
    }).catch((err: unknown) => {
      if (!existing && isUniqueViolation(err)) return false;
      throw err;
    });
    if (!sent)
      this.deps.logger?.debug({ pageId: page.id }, 'confirmation sent recently; none sent');
    return { kind, pendingConfirmation: true };
  }

  /** True when the page has as many confirmed subscribers as it may. */
  private async full(pageId: string): Promise<boolean> {
    return (await countSubscribers(this.deps.db, pageId)) >= (this.deps.maxPerPage ?? 100_000);
  }

  /**
   * The subscriber a confirmation token names, while its link is live (48 hours after it was
   * sent). The token alone finds it: links stay valid when the page's slug changes.
   */
  private async byConfirmToken(
    confirmToken: string,
  ): Promise<{ row: SubscriberRow; page: PageRow } | undefined> {
    if (!confirmToken) return undefined;
    const row = await selectSubscriberByToken(
      this.deps.db,
      'confirm_token_hash',
      sha256(confirmToken),
    );
    if (!row) return undefined;
    const sentAt = row.confirm_sent_at === null ? null : Number(row.confirm_sent_at);
    if (sentAt !== null && this.deps.clock.now() - sentAt >= confirmTtlMs) return undefined;
    const page = await selectPage(this.deps.db, row.page_id);
    return page ? { row, page } : undefined;
  }

  /**
   * What a confirmation link would confirm (the page asks before acting on a GET): the address,
   * and the components it would hear of by name (null: every one); null for an unknown token.
   */
  async confirmTarget(
    confirmToken: string,
  ): Promise<{ address: string; pageName: string; components: string[] | null } | null> {
    const found = await this.byConfirmToken(confirmToken);
    if (!found) return null;
    const ids = this.choiceOnConfirm(found.row);
    const names = new Map(
      (await selectComponents(this.deps.db, found.page.id)).map((c) => [c.id, c.name]),
    );
    return {
      address: found.row.address,
      pageName: found.page.name,
      components: ids === null ? null : ids.map((c) => names.get(c)).filter((n) => n !== undefined),
    };
  }

  /** The component choice a confirmation applies: the pending one, else the one stored. */
  private choiceOnConfirm(row: SubscriberRow): string[] | null {
    const json = row.pending_component_ids_json ?? row.component_ids_json;
    return json === null ? null : (JSON.parse(json) as string[] | null);
  }

  /**
   * Follows a confirmation link (a POST: the GET only asks): the address is confirmed and the
   * choice it confirmed applies. The token alone identifies the subscriber (the slug in the link
   * may be stale). Null for an unknown, used or expired token; 'full' when the page has no room.
   */
  async confirm(
    confirmToken: string,
  ): Promise<{ pageName: string; pageUrl: string } | 'full' | null> {
    const found = await this.byConfirmToken(confirmToken);
    if (!found) return null;
    const { row, page } = found;
    if (row.confirmed_at === null && (await this.full(page.id))) return 'full';
    const choice = this.choiceOnConfirm(row);
    const done = await confirmSubscriberRow(this.deps.db, row.id, sha256(confirmToken), {
      confirmed_at: row.confirmed_at ?? this.deps.clock.now(),
      confirm_token_hash: null,
      component_ids_json: choice ? JSON.stringify(choice) : null,
      pending_component_ids_json: null,
    });
    return done ? { pageName: page.name, pageUrl: this.pageUrl(page) } : null;
  }

  /**
   * Whether an unsubscribe token is live (the page asks before acting on a GET). The token
   * alone identifies the subscriber: links sent before the page's slug changed still work.
   */
  async unsubscribeTarget(
    unsubscribeToken: string,
  ): Promise<{ address: string; pageName: string; pageUrl: string } | null> {
    if (!unsubscribeToken) return null;
    const row = await selectSubscriberByToken(this.deps.db, 'unsubscribe_token', unsubscribeToken);
    const page = row ? await selectPage(this.deps.db, row.page_id) : undefined;
    if (!row || !page) return null;
    return {
      address: row.kind === 'email' ? row.address : 'this webhook',
      pageName: page.name,
      pageUrl: this.pageUrl(page),
    };
  }

  /** One-click unsubscribe: removes the subscriber the token names; true when there was one. */
  async unsubscribe(unsubscribeToken: string): Promise<boolean> {
    if (!unsubscribeToken) return false;
    const row = await selectSubscriberByToken(this.deps.db, 'unsubscribe_token', unsubscribeToken);
    if (!row) return false;
    await deleteSubscriberRow(this.deps.db, row.id);
    return true;
  }

  /**
   * Deletes addresses that never confirmed, 48 hours after their last confirmation mail (a
   * batch; the engine's status-pages pass runs it with the notices); returns how many went.
   */
  async expireUnconfirmed(now: number, limit = 500): Promise<number> {
    return deleteUnconfirmedSentBy(this.deps.db, now - confirmTtlMs, limit);
  }

  // ---- admin

  private async readable(actor: Actor, pageId: string, needed: 'viewer' | 'responder') {
    const page = await selectPage(this.deps.db, pageId);
    if (!page || !canInTeam(actor, page.team_id, 'viewer'))
      throw notFound('Status page', 'STATUS_PAGE_NOT_FOUND');
    if (!canInTeam(actor, page.team_id, needed))
      throw forbidden('Only the team’s responders can change subscribers');
    return page;
  }

  /** The components a subscriber chose (null: all of them), each checked to be on the page. */
  private async componentChoice(
    pageId: string,
    ids: string[] | undefined,
  ): Promise<string[] | null> {
    if (!ids?.length) return null;
    const known = new Set((await selectComponents(this.deps.db, pageId)).map((c) => c.id));
    const bad = ids.find((c) => !known.has(c));
    if (bad)
      throw new AppError({
        kind: 'invalid',
        code: 'STATUS_COMPONENT_UNKNOWN',
        field: 'componentIds',
        message: `componentIds: ${bad} is not a component of this page`,
      });
    return ids;
  }

  /** Subscribes a Slack channel by its incoming-webhook URL (team responders). */
  async addSlack(actor: Actor, pageId: string, raw: SlackSubscriberInput): Promise<Subscriber> {
    const page = await this.readable(actor, pageId, 'responder');
    const input = parseInput(slackSubscriberSchema, raw, '', 'webhookUrl');
    const choice = await this.componentChoice(pageId, input.componentIds);
    const now = this.deps.clock.now();
    // The URL is stored encrypted (a new IV each time), so the same channel added again is
    // found by opening the page's Slack subscribers, not by comparing stored values.
    const existing = (await selectSubscribers(this.deps.db, pageId, { kind: 'slack' })).find(
      (s) => this.slackUrl(s) === input.webhookUrl,
    );
    const row: SubscriberRow = existing ?? {
      id: newId(),
      page_id: pageId,
      kind: 'slack',
      address: this.deps.cipher.encrypt(input.webhookUrl),
      component_ids_json: null,
      secret: null,
      confirm_token_hash: null,
      pending_component_ids_json: null,
      confirm_sent_at: null,
      unsubscribe_token: token(),
      confirmed_at: now,
      created_at: now,
    };
    row.component_ids_json = choice ? JSON.stringify(choice) : null;
    // A channel stored in clear (before URLs were encrypted) is sealed when added again.
    if (!isSealed(row.address)) row.address = this.deps.cipher.encrypt(input.webhookUrl);
    await inTransaction(this.deps.db, async (trx) => {
      if (existing)
        await updateSubscriberRow(trx, row.id, {
          component_ids_json: row.component_ids_json,
          address: row.address,
        });
      else await insertSubscriber(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'status_subscriber.create',
        targetType: 'status_subscriber',
        targetId: row.id,
        teamId: page.team_id,
        after: { kind: 'slack', address: slackLabel(input.webhookUrl) },
      });
    });
    return this.toSubscriber(row);
  }

  /**
   * Re-encrypts the secrets of every page's subscribers (webhook signing secrets, Slack webhook
   * URLs, including URLs stored in clear before they were encrypted) with the current key (org
   * admins; part of `tocsin notify rotate-secrets`). A row changed meanwhile is left as it is.
   */
  async resealSecrets(actor: Actor): Promise<ResealCount> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins rotate keys');
    const count: ResealCount = { changed: 0, unreadable: 0 };
    const reseal = (v: string | null, plainAllowed: boolean): string | null | undefined => {
      if (v === null) return null;
      return resealValue(this.deps.cipher, v, { plain: plainAllowed && !isSealed(v) });
    };
    for (const row of await selectSubscribersWithSecrets(this.deps.db)) {
      const address = row.kind === 'slack' ? reseal(row.address, true) : row.address;
      const secret = reseal(row.secret, false);
      if (address === undefined || secret === undefined) count.unreadable++;
      const after = { address: address ?? row.address, secret: secret ?? row.secret };
      if (after.address === row.address && after.secret === row.secret) continue;
      if (await replaceSubscriberSecrets(this.deps.db, row.id, row, after)) count.changed++;
    }
    return count;
  }

  /**
   * A Slack subscriber's webhook URL in clear (rows from before encryption are plain); undefined
   * when it cannot be decrypted (its key is no longer configured).
   */
  private slackUrl(r: SubscriberRow): string | undefined {
    if (!isSealed(r.address)) return r.address;
    try {
      return this.deps.cipher.decrypt(r.address);
    } catch {
      return undefined;
    }
  }

  private toSubscriber(r: SubscriberRow): Subscriber {
    return toSubscriber(r, (x) => this.slackUrl(x));
  }

  /** A page's subscribers (team members). */
  async list(actor: Actor, pageId: string): Promise<Subscriber[]> {
    // Customers' email addresses: the team's responders (who manage them), not its viewers.
    await this.readable(actor, pageId, 'responder');
    return (await selectSubscribers(this.deps.db, pageId)).map((r) => this.toSubscriber(r));
  }

  /** Removes a subscriber (team responders). */
  async remove(actor: Actor, pageId: string, subscriberId: string): Promise<void> {
    const page = await this.readable(actor, pageId, 'responder');
    const row = (await selectSubscribers(this.deps.db, pageId)).find((s) => s.id === subscriberId);
    if (!row) throw notFound('Subscriber', 'STATUS_SUBSCRIBER_NOT_FOUND');
    await inTransaction(this.deps.db, async (trx) => {
      await deleteSubscriberRow(trx, subscriberId);
      await this.deps.audit.record(trx, actor, {
        action: 'status_subscriber.delete',
        targetType: 'status_subscriber',
        targetId: subscriberId,
        teamId: page.team_id,
        before: this.toSubscriber(row),
      });
    });
  }

  // ---- notices

  private async queueEvent(
    trx: Executor,
    page: PageRow,
    event: EventRow,
    update: { status: string; body: string; phase: NonNullable<NoticePayload['event']>['phase'] },
  ): Promise<void> {
    const components = JSON.parse(event.component_ids_json) as string[];
    const names = new Map((await selectComponents(trx, page.id)).map((c) => [c.id, c.name]));
    const subscribers = (await selectSubscribers(trx, page.id, { confirmedOnly: true })).filter(
      (s) =>
        subscriberWants(
          s.component_ids_json ? (JSON.parse(s.component_ids_json) as string[]) : null,
          components,
        ),
    );
    if (subscribers.length === 0) return;
    const now = this.deps.clock.now();
    const payload: NoticePayload = {
      type: 'event',
      pageName: page.name,
      pageUrl: this.pageUrl(page),
      event: {
        id: event.id,
        kind: event.kind as 'incident' | 'maintenance',
        phase: update.phase,
        title: event.title,
        status: update.status,
        impact: event.impact,
        body: update.body,
        components: components.map((c) => names.get(c)).filter((n): n is string => !!n),
        scheduledFor: event.scheduled_for === null ? null : Number(event.scheduled_for),
        scheduledUntil: event.scheduled_until === null ? null : Number(event.scheduled_until),
        at: now,
      },
    };
    const json = JSON.stringify(payload);
    const key = `${event.id}:${update.phase}:${update.status}:${now}`;
    for (let i = 0; i < subscribers.length; i += 500) {
      await insertNotices(
        trx,
        subscribers.slice(i, i + 500).map((s) => ({
          id: newId(),
          page_id: page.id,
          subscriber_id: s.id,
          dedup_key: key,
          payload_json: json,
          attempts: 0,
          next_at: now,
          sent_at: null,
          last_error: null,
          created_at: now,
        })),
      );
    }
  }

  /** When the next notice is due. */
  async nextNoticeAt(): Promise<number | undefined> {
    return (await selectNextNoticeAt(this.deps.db)) ?? undefined;
  }

  /**
   * Sends due notices (a batch): claim each by moving its timer (so another node skips it), send
   * outside any transaction, record the outcome. A crash between sending and recording resends
   * once after the claim expires; the webhook id stays the notice id, so receivers can dedupe.
   */
  async sendDue(now: number, limit = 20): Promise<number> {
    // Housekeeping in the same pass (rows, not timers): unconfirmed addresses past their link.
    const expired = await this.expireUnconfirmed(now);
    const due = await selectDueNotices(this.deps.db, now, limit);
    if (due.length === 0) return expired;
    const subs = new Map(
      (
        await selectSubscribersByIds(this.deps.db, [...new Set(due.map((n) => n.subscriber_id))])
      ).map((s) => [s.id, s]),
    );
    let processed = expired;
    await Promise.all(
      due.map(async (n) => {
        if (!(await claimNotice(this.deps.db, n.id, Number(n.next_at), now + claimMs))) return;
        processed++;
        const sub = subs.get(n.subscriber_id);
        if (!sub) return;
        const outcome = await this.sendOne(n, sub).catch((err: unknown): NoticeOutcome => ({
          ok: false,
          retryable: true,
          reason: err instanceof Error ? err.message : String(err),
        }));
        await this.record(n, outcome, now);
      }),
    );
    return processed;
  }

  private async sendOne(n: NoticeRow, sub: SubscriberRow): Promise<NoticeOutcome> {
    const payload = JSON.parse(n.payload_json) as NoticePayload;
    const unsubscribeUrl = `${payload.pageUrl}/subscriptions/unsubscribe?token=${sub.unsubscribe_token}`;
    if (sub.kind === 'slack') {
      // Decrypted here, just before sending (a key that is gone fails this notice, retryably).
      const url = isSealed(sub.address) ? this.deps.cipher.decrypt(sub.address) : sub.address;
      return this.deps.sender.slack({ id: n.id, url, payload });
    }
    if (sub.kind === 'webhook') {
      if (!sub.secret) return Promise.resolve({ ok: false, retryable: false, reason: 'no secret' });
      return this.deps.sender.webhook({
        id: n.id,
        url: sub.address,
        secret: this.deps.cipher.decrypt(sub.secret),
        payload,
        unsubscribeUrl,
      });
    }
    // Double opt-in: only the confirmation goes to an address that has not confirmed.
    if (payload.type !== 'confirm' && sub.confirmed_at === null)
      return Promise.resolve({ ok: false, retryable: false, reason: 'not confirmed' });
    return this.deps.sender.email({ id: n.id, to: sub.address, payload, unsubscribeUrl });
  }

  private async record(n: NoticeRow, outcome: NoticeOutcome, now: number): Promise<void> {
    if (outcome.ok) {
      await updateNoticeRow(this.deps.db, n.id, {
        sent_at: now,
        next_at: null,
        attempts: n.attempts + 1,
        last_error: null,
      });
      return;
    }
    const attempts = n.attempts + 1;
    const giveUp = !outcome.retryable || attempts >= maxAttempts;
    if (giveUp)
      this.deps.logger?.warn(
        { noticeId: n.id, subscriberId: n.subscriber_id, reason: outcome.reason },
        'status notice not delivered',
      );
    await updateNoticeRow(this.deps.db, n.id, {
      attempts,
      last_error: outcome.reason.slice(0, 500),
      next_at: giveUp ? null : now + noticeBackoffMs(attempts),
    });
  }
}
