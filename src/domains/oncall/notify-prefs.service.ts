import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor, type Row } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import {
  deleteContactMethodRow,
  deleteDefaultRules,
  deleteRuleRow,
  insertContactMethod,
  insertIntent,
  insertOutbox,
  insertRule,
  markIntentsRead,
  selectContactMethod,
  selectContactMethods,
  selectIntentsOfUser,
  selectRule,
  selectRules,
  takeCodeAttempt,
  updateContactMethod,
} from './oncall.store.js';

export interface ContactMethod {
  id: string;
  type: string;
  label: string;
  address: string;
  verified: boolean;
  createdAt: number;
}

export interface NotificationRule {
  id: string;
  contactMethodId: string;
  contactType: string;
  contactLabel: string;
  urgency: 'high' | 'low';
  delayMinutes: number;
  /** Created by Tocsin at the first verified contact method; the person's own first rule replaces it. */
  isDefault: boolean;
}

/** An in-app notification (a notification intent addressed to the user). */
export interface InAppNotification {
  id: string;
  incidentId: string;
  urgency: string;
  reason: string;
  message: string;
  createdAt: number;
  read: boolean;
}

/** Sends a verification code to a contact method now (app/ routes it through the notifiers). */
export type Deliver = (m: {
  channel: string;
  address: string | null;
  userId: string;
  text: string;
}) => Promise<void>;

function toContact(r: Row<'contact_methods'>): ContactMethod {
  return {
    id: r.id,
    type: r.type,
    label: r.label,
    address: r.address,
    verified: r.verified_at !== null,
    createdAt: r.created_at,
  };
}

/** Contact-method types whose first verification makes a default rule (as PagerDuty's). */
const defaultRuleTypes = new Set(['email', 'sms', 'voice']);

const codeTtlMs = 15 * 60_000;
/** Tries a verification code allows; the fifth wrong one voids it. */
const maxCodeAttempts = 5;
const hashCode = (id: string, code: string) =>
  createHash('sha256').update(`${id}:${code}`).digest('hex');

/**
 * Queues the outbound messages of one intent inside the caller's transaction: one per matching
 * personal rule ("SMS at 0 min, call at 2 min"), only over verified contact methods. Without a
 * usable rule the in-app notification is all there is (and it is always there).
 */
export async function queueMessages(
  db: Executor,
  intent: { id: string; userId: string; urgency: string; at: number },
): Promise<number> {
  const rules = (await selectRules(db, [intent.userId])).filter(
    (r) => r.urgency === intent.urgency && r.verified_at !== null,
  );
  await insertOutbox(
    db,
    rules.map((r) => ({
      id: newId(),
      intent_id: intent.id,
      contact_method_id: r.contact_method_id,
      channel: r.type,
      send_at: intent.at + r.delay_minutes * 60_000,
      status: 'pending',
      attempts: 0,
      last_error: null,
      sent_at: null,
      created_at: intent.at,
    })),
  );
  return rules.length;
}

/**
 * Queues an incident's notice to its service's distribution list (email addresses, a Slack
 * channel) inside the caller's transaction: "error" severity opens an incident to be handled
 * within 24 hours, and nobody is woken; the list is told once per incident. (The domain's
 * `queueDistributionList`, in `low-urgency.ts`, also tells the first level's on-call.)
 */
export async function queueListMessages(
  db: Executor,
  input: {
    incidentId: string;
    emails: readonly string[];
    slackChannel: string | null;
    message: string;
    at: number;
  },
): Promise<number> {
  const targets = [
    ...input.emails.map((a) => ({ channel: 'email', address: a })),
    ...(input.slackChannel ? [{ channel: 'slack', address: input.slackChannel }] : []),
  ];
  if (targets.length === 0) return 0;
  const intentId = newId();
  const fresh = await insertIntent(db, {
    id: intentId,
    idempotency_key: `list:${input.incidentId}`,
    incident_id: input.incidentId,
    user_id: '',
    urgency: 'low',
    reason: 'distribution-list',
    level: null,
    round: null,
    message: input.message,
    created_at: input.at,
    read_at: null,
  });
  if (!fresh) return 0;
  await insertOutbox(
    db,
    targets.map((t) => ({
      id: newId(),
      intent_id: intentId,
      contact_method_id: null,
      channel: t.channel,
      address: t.address,
      send_at: input.at,
      status: 'pending',
      attempts: 0,
      last_error: null,
      sent_at: null,
      created_at: input.at,
    })),
  );
  return targets.length;
}

/**
 * Queues a stakeholder update to people inside the caller's transaction: an in-app
 * notification each, and a message on their first verified email and Slack contact methods
 * (updates are read, not woken up to: no SMS, no calls). Returns how many people it reaches.
 */
export async function queueUpdateMessages(
  db: Executor,
  input: { incidentId: string; updateId: string; userIds: string[]; message: string; at: number },
): Promise<number> {
  let reached = 0;
  for (const userId of input.userIds) {
    const intentId = newId();
    const fresh = await insertIntent(db, {
      id: intentId,
      idempotency_key: `update:${input.updateId}:${userId}`,
      incident_id: input.incidentId,
      user_id: userId,
      urgency: 'low',
      reason: 'update',
      level: null,
      round: null,
      message: input.message,
      created_at: input.at,
      read_at: null,
    });
    if (!fresh) continue;
    reached++;
    const methods = (await selectContactMethods(db, userId)).filter((m) => m.verified_at !== null);
    const picked = ['email', 'slack']
      .map((t) => methods.find((m) => m.type === t))
      .filter((m): m is NonNullable<typeof m> => m !== undefined);
    await insertOutbox(
      db,
      picked.map((m) => ({
        id: newId(),
        intent_id: intentId,
        contact_method_id: m.id,
        channel: m.type,
        kind: 'update',
        send_at: input.at,
        status: 'pending',
        attempts: 0,
        last_error: null,
        sent_at: null,
        created_at: input.at,
      })),
    );
  }
  return reached;
}

/** A person's own contact methods, notification rules and in-app notifications. */
export class NotificationPrefsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      deliver: Deliver;
    },
  ) {}

  private userOf(actor: Actor): string {
    if (actor.type !== 'user') throw forbidden('Sign in as a person for this', 'USER_REQUIRED');
    return actor.userId;
  }

  async contactMethods(actor: Actor): Promise<ContactMethod[]> {
    return (await selectContactMethods(this.deps.db, this.userOf(actor))).map(toContact);
  }

  /**
   * Adds a contact method and sends it a 6-digit code; unusable until verified. Stores nothing
   * when the code cannot be sent.
   */
  async addContactMethod(
    actor: Actor,
    input: { type: string; label: string; address: string },
  ): Promise<ContactMethod> {
    const userId = this.userOf(actor);
    const now = this.deps.clock.now();
    const id = newId();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const row = {
      id,
      user_id: userId,
      type: input.type,
      label: input.label,
      address: input.address,
      verified_at: null,
      verification_hash: hashCode(id, code),
      verification_expires_at: now + codeTtlMs,
      verification_attempts: 0,
      created_at: now,
    };
    // The code goes out before the row is stored: when it cannot be sent (the error answers
    // 503 NOTIFICATION_NOT_SENT), nothing is stored, so trying again adds no duplicate. The code
    // is bound to `id`, which exists nowhere until the insert below.
    await this.deps.deliver({
      channel: input.type,
      address: input.address,
      userId,
      text: `Your Tocsin verification code is ${code}`,
    });
    await inTransaction(this.deps.db, async (trx) => {
      await insertContactMethod(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'contact_method.added',
        targetType: 'contact_method',
        targetId: id,
        after: toContact(row),
      });
    });
    return toContact(row);
  }

  async verifyContactMethod(actor: Actor, id: string, code: string): Promise<ContactMethod> {
    const userId = this.userOf(actor);
    const row = await selectContactMethod(this.deps.db, id);
    if (!row || row.user_id !== userId)
      throw notFound('Contact method', 'CONTACT_METHOD_NOT_FOUND');
    const now = this.deps.clock.now();
    if (row.verified_at !== null) return toContact(row);
    // Each try spends one of the code's attempts before it is compared, in one conditional
    // update, so parallel guesses cannot get past the limit either.
    if (!(await takeCodeAttempt(this.deps.db, id, maxCodeAttempts))) {
      throw new AppError({
        kind: 'invalid',
        code: 'CONTACT_CODE_LOCKED',
        field: 'code',
        message: `${maxCodeAttempts} wrong codes: this code no longer works; remove the contact method and add it again for a new one`,
      });
    }
    if (
      !row.verification_hash ||
      (row.verification_expires_at ?? 0) < now ||
      row.verification_hash !== hashCode(id, code)
    ) {
      throw new AppError({
        kind: 'invalid',
        code: 'CONTACT_CODE_INVALID',
        field: 'code',
        message: 'The code is wrong or has expired',
      });
    }
    await inTransaction(this.deps.db, async (trx) => {
      await updateContactMethod(trx, id, {
        verified_at: now,
        verification_hash: null,
        verification_expires_at: null,
      });
      // A person without any rule would be paged in the app only, silently: their first
      // verified email address or phone gets an immediate high-urgency rule (PagerDuty's
      // default rules), which the first high-urgency rule they add themselves replaces. Not a
      // Slack, Teams or webhook method: those are also added as an identity (acting from
      // Slack, war rooms) or for tooling, where a page nobody asked for would surprise.
      if (defaultRuleTypes.has(row.type) && (await selectRules(trx, [userId])).length === 0) {
        const rule = {
          id: newId(),
          user_id: userId,
          contact_method_id: id,
          urgency: 'high',
          delay_minutes: 0,
          created_at: now,
          is_default: 1,
        };
        await insertRule(trx, rule);
        await this.deps.audit.record(trx, actor, {
          action: 'notification_rule.default_added',
          targetType: 'notification_rule',
          targetId: rule.id,
          after: { contactMethodId: id, urgency: 'high', delayMinutes: 0 },
        });
      }
    });
    return toContact({ ...row, verified_at: now });
  }

  async removeContactMethod(actor: Actor, id: string): Promise<void> {
    const userId = this.userOf(actor);
    const row = await selectContactMethod(this.deps.db, id);
    if (!row || row.user_id !== userId)
      throw notFound('Contact method', 'CONTACT_METHOD_NOT_FOUND');
    await inTransaction(this.deps.db, async (trx) => {
      await deleteContactMethodRow(trx, id);
      await this.deps.audit.record(trx, actor, {
        action: 'contact_method.removed',
        targetType: 'contact_method',
        targetId: id,
        before: toContact(row),
      });
    });
  }

  async rules(actor: Actor): Promise<NotificationRule[]> {
    return (await selectRules(this.deps.db, [this.userOf(actor)])).map((r) => ({
      id: r.id,
      contactMethodId: r.contact_method_id,
      contactType: r.type,
      contactLabel: r.label,
      urgency: r.urgency as 'high' | 'low',
      delayMinutes: r.delay_minutes,
      isDefault: r.is_default === 1,
    }));
  }

  async addRule(
    actor: Actor,
    input: { contactMethodId: string; urgency: 'high' | 'low'; delayMinutes: number },
  ): Promise<NotificationRule> {
    const userId = this.userOf(actor);
    const cm = await selectContactMethod(this.deps.db, input.contactMethodId);
    if (!cm || cm.user_id !== userId) {
      throw new AppError({
        kind: 'invalid',
        code: 'CONTACT_METHOD_NOT_FOUND',
        field: 'contactMethodId',
        message: 'No such contact method of yours',
      });
    }
    if (cm.verified_at === null) {
      throw new AppError({
        kind: 'invalid',
        code: 'CONTACT_METHOD_UNVERIFIED',
        field: 'contactMethodId',
        message: 'Verify the contact method first',
      });
    }
    const row = {
      id: newId(),
      user_id: userId,
      contact_method_id: cm.id,
      urgency: input.urgency,
      delay_minutes: input.delayMinutes,
      created_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      await deleteDefaultRules(trx, userId, input.urgency);
      await insertRule(trx, row);
    });
    return {
      id: row.id,
      contactMethodId: cm.id,
      contactType: cm.type,
      contactLabel: cm.label,
      urgency: input.urgency,
      delayMinutes: input.delayMinutes,
      isDefault: false,
    };
  }

  async removeRule(actor: Actor, id: string): Promise<void> {
    const row = await selectRule(this.deps.db, id);
    if (!row || row.user_id !== this.userOf(actor))
      throw notFound('Notification rule', 'RULE_NOT_FOUND');
    await deleteRuleRow(this.deps.db, id);
  }

  async inbox(actor: Actor, limit = 100): Promise<InAppNotification[]> {
    const rows = await selectIntentsOfUser(this.deps.db, this.userOf(actor), limit);
    return rows.map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      urgency: r.urgency,
      reason: r.reason,
      message: r.message,
      createdAt: r.created_at,
      read: r.read_at !== null,
    }));
  }

  async markRead(actor: Actor): Promise<void> {
    await markIntentsRead(this.deps.db, this.userOf(actor), this.deps.clock.now());
  }
}
