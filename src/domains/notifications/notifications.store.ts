import { sql } from 'kysely';
import type { Executor, NewRow, RowUpdate } from '../../db/index.js';

// ---- the outbox, as delivery sees it

/** Columns a sender needs of one outbox row, with its intent, incident and contact method. */
function dueQuery(db: Executor) {
  return db
    .selectFrom('outbox_messages')
    .innerJoin('notification_intents', 'notification_intents.id', 'outbox_messages.intent_id')
    .innerJoin('incidents', 'incidents.id', 'notification_intents.incident_id')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .leftJoin('contact_methods', 'contact_methods.id', 'outbox_messages.contact_method_id')
    .leftJoin('users', 'users.id', 'notification_intents.user_id')
    .select([
      'users.name as user_name',
      'outbox_messages.id as id',
      'outbox_messages.intent_id as intent_id',
      'outbox_messages.contact_method_id as contact_method_id',
      'outbox_messages.channel as channel',
      'outbox_messages.kind as kind',
      'outbox_messages.digest_json as digest_json',
      'outbox_messages.status as status',
      'outbox_messages.attempts as attempts',
      'outbox_messages.claimed_at as claimed_at',
      'outbox_messages.send_at as send_at',
      'outbox_messages.provider_ref as provider_ref',
      'outbox_messages.rendered_status as rendered_status',
      'notification_intents.user_id as user_id',
      'notification_intents.urgency as urgency',
      'notification_intents.message as intent_message',
      'notification_intents.reason as reason',
      'notification_intents.incident_id as incident_id',
      'incidents.number as incident_number',
      'incidents.title as incident_title',
      'incidents.status as incident_status',
      'incidents.team_id as team_id',
      'incidents.created_at as incident_created_at',
      'services.name as service_name',
    ])
    .select((eb) =>
      eb.fn.coalesce('outbox_messages.address', 'contact_methods.address').as('address'),
    );
}
export type DueRow = Awaited<ReturnType<typeof selectDueOutbox>>[number];

/** Pending rows due now, and rows a crashed sender left `sending` past the claim timeout. */
export function selectDueOutbox(
  db: Executor,
  now: number,
  staleClaimBefore: number,
  limit: number,
  /** Rows this node is sending now: never due again here, whatever their claim's age. */
  exclude: readonly string[] = [],
) {
  let q = dueQuery(db);
  if (exclude.length > 0) q = q.where('outbox_messages.id', 'not in', [...exclude]);
  return q
    .where((eb) =>
      eb.or([
        eb.and([
          eb('outbox_messages.status', '=', sql.lit('pending')),
          eb('outbox_messages.send_at', '<=', now),
        ]),
        eb.and([
          eb('outbox_messages.status', '=', 'sending'),
          eb('outbox_messages.claimed_at', '<', staleClaimBefore),
        ]),
      ]),
    )
    .orderBy('outbox_messages.send_at')
    .limit(limit)
    .execute();
}

/** Sent messages that can be re-rendered and show an incident status that is out of date. */
export function selectStaleRendered(db: Executor, channels: string[], limit: number) {
  if (channels.length === 0) return Promise.resolve([]);
  return dueQuery(db)
    .where('outbox_messages.status', '=', 'sent')
    .where('outbox_messages.provider_ref', 'is not', null)
    .where('outbox_messages.channel', 'in', channels)
    .whereRef('outbox_messages.rendered_status', '<>', 'incidents.status')
    .limit(limit)
    .execute();
}

/** When the next pending message falls due. */
export async function selectNextDue(db: Executor): Promise<number | undefined> {
  const r = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.min<number>('send_at').as('at'))
    .where('status', '=', sql.lit('pending'))
    .executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

export async function updateOutbox(
  db: Executor,
  ids: string[],
  set: RowUpdate<'outbox_messages'>,
): Promise<void> {
  if (ids.length) await db.updateTable('outbox_messages').set(set).where('id', 'in', ids).execute();
}

/**
 * A sender's claim on an outbox row: the `claimed_at` it last wrote and the attempt it made. A
 * row is this sender's while it is `sending` under both; another node that takes the row over
 * after the claim timed out writes its own, and this one's is gone.
 */
export interface OutboxClaim {
  claimedAt: number;
  attempts: number;
}

/**
 * Updates a row only while `claim` still holds it; false when the claim is gone (another node
 * took the row over, or it was recorded). `claimed_at` in `set` renews the claim.
 */
export async function updateClaimedOutbox(
  db: Executor,
  id: string,
  claim: OutboxClaim,
  set: RowUpdate<'outbox_messages'>,
): Promise<boolean> {
  const r = await db
    .updateTable('outbox_messages')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', sql.lit('sending'))
    .where('claimed_at', '=', claim.claimedAt)
    .where('attempts', '=', claim.attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Updates a row only if it is still as a delivery pass read it (status, attempts, claim); false
 * when another sender changed it meanwhile (claimed it, recorded it).
 */
export async function updateUnchangedOutbox(
  db: Executor,
  row: { id: string; status: string; attempts: number; claimed_at: number | null },
  set: RowUpdate<'outbox_messages'>,
): Promise<boolean> {
  let q = db
    .updateTable('outbox_messages')
    .set(set)
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('attempts', '=', row.attempts);
  q =
    row.claimed_at === null
      ? q.where('claimed_at', 'is', null)
      : q.where('claimed_at', '=', row.claimed_at);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertOutboxRow(db: Executor, row: NewRow<'outbox_messages'>): Promise<void> {
  await db.insertInto('outbox_messages').values(row).execute();
}

export function selectOutboxRow(db: Executor, id: string) {
  return dueQuery(db)
    .select('outbox_messages.last_error as last_error')
    .where('outbox_messages.id', '=', id)
    .executeTakeFirst();
}

/**
 * The incidents a digest names, as they are now: by id, or by number for digests written before
 * ids were kept.
 */
export function selectDigestIncidents(db: Executor, ids: string[], numbers: number[]) {
  if (ids.length === 0 && numbers.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .select([
      'incidents.id as id',
      'incidents.number as number',
      'incidents.title as title',
      'incidents.status as status',
      'incidents.urgency as urgency',
      'incidents.created_at as created_at',
      'services.name as service_name',
    ])
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('incidents.id', 'in', ids)] : []),
        ...(numbers.length ? [eb('incidents.number', 'in', numbers)] : []),
      ]),
    )
    .execute();
}

/** Contact methods already used (or queued) for one intent: a fallback never repeats them. */
export async function selectTriedMethods(db: Executor, intentId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select('contact_method_id')
    .where('intent_id', '=', intentId)
    .execute();
  return new Set(rows.map((r) => r.contact_method_id).filter((x): x is string => x !== null));
}

export function selectMethodsOfUser(db: Executor, userId: string) {
  return db.selectFrom('contact_methods').selectAll().where('user_id', '=', userId).execute();
}

/** Send times in the window, per contact method and per user, for the rate limits. */
export function selectRecentSends(db: Executor, userIds: string[], since: number) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('delivery_attempts')
    .innerJoin('outbox_messages', 'outbox_messages.id', 'delivery_attempts.message_id')
    .select([
      'delivery_attempts.user_id as user_id',
      'outbox_messages.contact_method_id as contact_method_id',
      'delivery_attempts.at as at',
    ])
    .where('delivery_attempts.outcome', '=', 'sent')
    .where('delivery_attempts.user_id', 'in', userIds)
    .where('delivery_attempts.at', '>', since)
    .execute();
}

/** Marks a message delivered (or failed) from a vendor's receipt; returns the row touched. */
export async function updateByProviderRef(
  db: Executor,
  providerRef: string,
  set: RowUpdate<'outbox_messages'>,
) {
  const row = await dueQuery(db)
    .where('outbox_messages.provider_ref', '=', providerRef)
    .executeTakeFirst();
  if (row) await db.updateTable('outbox_messages').set(set).where('id', '=', row.id).execute();
  return row;
}

// ---- the delivery log

export async function insertAttempt(db: Executor, row: NewRow<'delivery_attempts'>): Promise<void> {
  await db.insertInto('delivery_attempts').values(row).execute();
}

export function selectAttempts(
  db: Executor,
  q: { incidentId?: string; userId?: string; limit: number },
) {
  let query = db
    .selectFrom('delivery_attempts')
    .leftJoin('users', 'users.id', 'delivery_attempts.user_id')
    .leftJoin('incidents', 'incidents.id', 'delivery_attempts.incident_id')
    .select([
      'delivery_attempts.id as id',
      'delivery_attempts.message_id as message_id',
      'delivery_attempts.incident_id as incident_id',
      'incidents.number as incident_number',
      'delivery_attempts.user_id as user_id',
      'users.name as user_name',
      'delivery_attempts.channel as channel',
      'delivery_attempts.at as at',
      'delivery_attempts.outcome as outcome',
      'delivery_attempts.status_code as status_code',
      'delivery_attempts.detail as detail',
    ])
    .orderBy('delivery_attempts.at', 'desc')
    .orderBy('delivery_attempts.id', 'desc')
    .limit(q.limit);
  if (q.incidentId) query = query.where('delivery_attempts.incident_id', '=', q.incidentId);
  if (q.userId) query = query.where('delivery_attempts.user_id', '=', q.userId);
  return query.execute();
}

/** Dead letters: messages that failed for good, newest first. */
export function selectDeadLetters(db: Executor, limit: number) {
  return dueQuery(db)
    .select([
      'outbox_messages.last_error as last_error',
      'outbox_messages.created_at as created_at',
    ])
    .where('outbox_messages.status', '=', 'failed')
    .orderBy('outbox_messages.created_at', 'desc')
    .limit(limit)
    .execute();
}

// ---- settings, health, tokens

export function selectSettings(db: Executor) {
  return db.selectFrom('notifier_settings').selectAll().execute();
}
export function selectSetting(db: Executor, id: string) {
  return db.selectFrom('notifier_settings').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function upsertSetting(db: Executor, row: NewRow<'notifier_settings'>): Promise<void> {
  await db
    .insertInto('notifier_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        enabled: row.enabled,
        config_json: row.config_json,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export function selectHealth(db: Executor) {
  return db.selectFrom('notifier_health').selectAll().execute();
}
export async function upsertHealth(db: Executor, row: NewRow<'notifier_health'>): Promise<void> {
  await db
    .insertInto('notifier_health')
    .values(row)
    .onConflict((oc) =>
      oc.column('notifier_id').doUpdateSet({
        consecutive_failures: row.consecutive_failures,
        failing_since: row.failing_since,
        last_error: row.last_error,
        last_success_at: row.last_success_at,
        outage: row.outage,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function insertActionToken(db: Executor, row: NewRow<'action_tokens'>): Promise<void> {
  await db.insertInto('action_tokens').values(row).execute();
}
export function selectActionToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('action_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}
/** Spends a token once: true only for the caller that flipped `used_at`. */
export async function spendActionToken(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('action_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A verified contact method by type and address (who replied by SMS, who clicked in Slack). */
export function selectVerifiedMethodByAddress(db: Executor, type: string, address: string) {
  return db
    .selectFrom('contact_methods')
    .selectAll()
    .where('type', '=', type)
    .where('address', '=', address)
    .where('verified_at', 'is not', null)
    .orderBy('created_at')
    .executeTakeFirst();
}

/**
 * The newest incident paged to this person that a bare reply can act on: for acknowledging,
 * one still triggered (an incident someone else already acknowledged is not the one paging
 * them); otherwise (resolve) one not resolved.
 */
export function selectLatestOpenPagedIncident(
  db: Executor,
  userId: string,
  needs: 'triggered' | 'unresolved' = 'unresolved',
) {
  return db
    .selectFrom('notification_intents')
    .innerJoin('incidents', 'incidents.id', 'notification_intents.incident_id')
    .select(['incidents.id as id'])
    .where('notification_intents.user_id', '=', userId)
    .where(
      'incidents.status',
      needs === 'triggered' ? '=' : '<>',
      sql.lit(needs === 'triggered' ? 'triggered' : 'resolved'),
    )
    .orderBy('notification_intents.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function selectIncidentByNumber(db: Executor, number: number) {
  return db.selectFrom('incidents').select(['id']).where('number', '=', number).executeTakeFirst();
}

// ---- metrics (the send-messages engine module)

/**
 * For the send-messages module's metrics: how many outbox rows are due and not yet sent
 * (`pending`, `send_at <= now`: the backlog), the newest delivery attempt id, and, when
 * `afterId` is given, the sent / retry / failed attempts recorded after it, per channel.
 * Attempt ids are UUIDv7, so "after" is "recorded later".
 */
export async function selectDeliveryMetrics(
  db: Executor,
  now: number,
  afterId: string | undefined,
): Promise<{
  pending: number;
  lastId: string | undefined;
  outcomes: Array<{ channel: string; outcome: string; count: number }>;
}> {
  const pending = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', sql.lit('pending'))
    .where('send_at', '<=', now)
    .executeTakeFirst();
  const last = await db
    .selectFrom('delivery_attempts')
    .select((eb) => eb.fn.max<string>('id').as('id'))
    .$if(afterId !== undefined, (q) => q.where('id', '>', afterId!))
    .executeTakeFirst();
  const lastId = last?.id ?? afterId;
  const outcomes =
    afterId === undefined || lastId === afterId
      ? []
      : await db
          .selectFrom('delivery_attempts')
          .select(['channel', 'outcome', (eb) => eb.fn.countAll<number>().as('count')])
          .where('id', '>', afterId)
          .where('id', '<=', lastId!)
          .where('outcome', 'in', ['sent', 'retry', 'failed'])
          .groupBy(['channel', 'outcome'])
          .execute();
  return {
    pending: Number(pending?.n ?? 0),
    lastId: lastId ?? undefined,
    outcomes: outcomes.map((o) => ({ ...o, count: Number(o.count) })),
  };
}
