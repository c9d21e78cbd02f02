import type { Executor, NewRow, Row, RowUpdate } from '../../db/index.js';

// SQL for the status pages domain only. Every function takes the db or a transaction first.

export type PageRow = Row<'status_pages'>;
export type ComponentRow = Row<'status_components'>;
export type EventRow = Row<'status_events'>;
export type UpdateRow = Row<'status_updates'>;
export type SubscriberRow = Row<'status_subscribers'>;
export type NoticeRow = Row<'status_notices'>;

// ---- pages

/** Inserts a page. */
export async function insertPage(db: Executor, row: NewRow<'status_pages'>): Promise<void> {
  await db.insertInto('status_pages').values(row).execute();
}

/** One page by id. */
export function selectPage(db: Executor, id: string): Promise<PageRow | undefined> {
  return db.selectFrom('status_pages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One page by slug. */
export function selectPageBySlug(db: Executor, slug: string): Promise<PageRow | undefined> {
  return db.selectFrom('status_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Pages of some teams (or all), by name. */
export function selectPages(db: Executor, teamIds: string[] | 'all'): Promise<PageRow[]> {
  if (teamIds !== 'all' && teamIds.length === 0) return Promise.resolve([]);
  let q = db.selectFrom('status_pages').selectAll();
  if (teamIds !== 'all') q = q.where('team_id', 'in', teamIds);
  return q.orderBy('name').orderBy('id').execute();
}

/** Every custom domain and its page's slug. */
export function selectCustomDomains(
  db: Executor,
): Promise<Array<{ custom_domain: string | null; slug: string }>> {
  return db
    .selectFrom('status_pages')
    .select(['custom_domain', 'slug'])
    .where('custom_domain', 'is not', null)
    .execute();
}

/** Updates a page. */
export async function updatePageRow(
  db: Executor,
  id: string,
  patch: RowUpdate<'status_pages'>,
): Promise<void> {
  await db.updateTable('status_pages').set(patch).where('id', '=', id).execute();
}

/** Deletes a page (components, events, subscribers cascade). */
export async function deletePageRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('status_pages').where('id', '=', id).execute();
}

// ---- components

/** Inserts a component. */
export async function insertComponent(
  db: Executor,
  row: NewRow<'status_components'>,
): Promise<void> {
  await db.insertInto('status_components').values(row).execute();
}

/** A page's components in display order. */
export function selectComponents(db: Executor, pageId: string): Promise<ComponentRow[]> {
  return db
    .selectFrom('status_components')
    .selectAll()
    .where('page_id', '=', pageId)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One component of a page. */
export function selectComponent(
  db: Executor,
  pageId: string,
  id: string,
): Promise<ComponentRow | undefined> {
  return db
    .selectFrom('status_components')
    .selectAll()
    .where('page_id', '=', pageId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Updates a component. */
export async function updateComponentRow(
  db: Executor,
  id: string,
  patch: RowUpdate<'status_components'>,
): Promise<void> {
  await db.updateTable('status_components').set(patch).where('id', '=', id).execute();
}

/** Deletes a component. */
export async function deleteComponentRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('status_components').where('id', '=', id).execute();
}

// ---- events (public incidents and maintenance) and their updates

/** Inserts an event. */
export async function insertEvent(db: Executor, row: NewRow<'status_events'>): Promise<void> {
  await db.insertInto('status_events').values(row).execute();
}

/** One event of a page. */
export function selectEvent(
  db: Executor,
  pageId: string,
  id: string,
): Promise<EventRow | undefined> {
  return db
    .selectFrom('status_events')
    .selectAll()
    .where('page_id', '=', pageId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One event by id (the engine). */
export function selectEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('status_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A page's events: the open ones (any age) and those created or resolved since `since`,
 * newest first, at most `limit`.
 */
export function selectEvents(
  db: Executor,
  pageId: string,
  filter: { kind?: string; since?: number; limit: number },
): Promise<EventRow[]> {
  let q = db.selectFrom('status_events').selectAll().where('page_id', '=', pageId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.since !== undefined) {
    const since = filter.since;
    q = q.where((eb) =>
      eb.or([
        eb('resolved_at', 'is', null),
        eb('resolved_at', '>=', since),
        eb('created_at', '>=', since),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Updates an event. */
export async function updateEventRow(
  db: Executor,
  id: string,
  patch: RowUpdate<'status_events'>,
): Promise<void> {
  await db.updateTable('status_events').set(patch).where('id', '=', id).execute();
}

/**
 * Moves a maintenance's timer only if it still holds `expected` (a compare-and-set, so two
 * nodes never act on one step twice).
 */
export async function claimEventStep(
  db: Executor,
  id: string,
  expected: number,
  patch: RowUpdate<'status_events'>,
): Promise<boolean> {
  const r = await db
    .updateTable('status_events')
    .set(patch)
    .where('id', '=', id)
    .where('next_at', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Maintenance whose timer is due. */
export function selectDueEvents(db: Executor, now: number, limit: number): Promise<EventRow[]> {
  return db
    .selectFrom('status_events')
    .selectAll()
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit)
    .execute();
}

/** The earliest maintenance timer. */
export async function selectNextEventAt(db: Executor): Promise<number | null> {
  const r = await db
    .selectFrom('status_events')
    .select((eb) => eb.fn.min('next_at').as('at'))
    .executeTakeFirst();
  return r?.at == null ? null : Number(r.at);
}

/** Inserts an update. */
export async function insertUpdate(db: Executor, row: NewRow<'status_updates'>): Promise<void> {
  await db.insertInto('status_updates').values(row).execute();
}

/** Updates of some events, oldest first. */
export function selectUpdates(db: Executor, eventIds: string[]): Promise<UpdateRow[]> {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('status_updates')
    .selectAll()
    .where('event_id', 'in', eventIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// ---- what derived status and uptime read from other domains' tables

/** Incidents on some services (primary or impacted) open at some point since `since`. */
export async function selectIncidentsOfServices(
  db: Executor,
  serviceIds: string[],
  since: number,
): Promise<
  Array<{
    id: string;
    service_id: string;
    status: string;
    severity: string | null;
    created_at: number;
    resolved_at: number | null;
    mitigated_at: number | null;
  }>
> {
  if (serviceIds.length === 0) return [];
  const cols = [
    'incidents.id',
    'incidents.status',
    'incidents.severity',
    'incidents.created_at',
    'incidents.resolved_at',
    'incidents.mitigated_at',
  ] as const;
  const open = (q: Executor) =>
    q
      .selectFrom('incidents')
      .select([...cols, 'incidents.service_id'])
      .where('incidents.service_id', 'in', serviceIds)
      .where((eb) =>
        eb.or([eb('incidents.resolved_at', 'is', null), eb('incidents.resolved_at', '>=', since)]),
      )
      .execute();
  const impacted = (q: Executor) =>
    q
      .selectFrom('incident_services')
      .innerJoin('incidents', 'incidents.id', 'incident_services.incident_id')
      .select([...cols, 'incident_services.service_id'])
      .where('incident_services.service_id', 'in', serviceIds)
      .where((eb) =>
        eb.or([eb('incidents.resolved_at', 'is', null), eb('incidents.resolved_at', '>=', since)]),
      )
      .execute();
  const [a, b] = await Promise.all([open(db), impacted(db)]);
  return [...a, ...b].map((r) => ({
    ...r,
    created_at: Number(r.created_at),
    resolved_at: r.resolved_at == null ? null : Number(r.resolved_at),
    mitigated_at: r.mitigated_at == null ? null : Number(r.mitigated_at),
  }));
}

/** Checks' current state and creation time. */
export function selectCheckStates(
  db: Executor,
  checkIds: string[],
): Promise<Array<{ id: string; state: string; enabled: number; created_at: number }>> {
  if (checkIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('checks')
    .select(['id', 'state', 'enabled', 'created_at'])
    .where('id', 'in', checkIds)
    .execute();
}

/** Checks' outages overlapping [since, now]. */
export function selectCheckOutages(
  db: Executor,
  checkIds: string[],
  since: number,
): Promise<Array<{ check_id: string; started_at: number; ended_at: number | null }>> {
  if (checkIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('check_periods')
    .select(['check_id', 'started_at', 'ended_at'])
    .where('check_id', 'in', checkIds)
    .where('kind', '=', 'down')
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', since)]))
    .execute();
}

/** Services' team ids (a component may only link the page team's services). */
export function selectServiceTeams(
  db: Executor,
  ids: string[],
): Promise<Array<{ id: string; team_id: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('services').select(['id', 'team_id']).where('id', 'in', ids).execute();
}

/** Checks' team ids. */
export function selectCheckTeams(
  db: Executor,
  ids: string[],
): Promise<Array<{ id: string; team_id: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('checks').select(['id', 'team_id']).where('id', 'in', ids).execute();
}

/** An internal incident's team (linking a public incident to it). */
export function selectIncidentTeam(
  db: Executor,
  id: string,
): Promise<{ id: string; team_id: string } | undefined> {
  return db
    .selectFrom('incidents')
    .select(['id', 'team_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---- subscribers and notices

/** Inserts a subscriber. */
export async function insertSubscriber(
  db: Executor,
  row: NewRow<'status_subscribers'>,
): Promise<void> {
  await db.insertInto('status_subscribers').values(row).execute();
}

/** A subscriber by address. */
export function selectSubscriberByAddress(
  db: Executor,
  pageId: string,
  kind: string,
  address: string,
): Promise<SubscriberRow | undefined> {
  return db
    .selectFrom('status_subscribers')
    .selectAll()
    .where('page_id', '=', pageId)
    .where('kind', '=', kind)
    .where('address', '=', address)
    .executeTakeFirst();
}

/** A subscriber by its confirmation token's hash or its unsubscribe token. */
export function selectSubscriberByToken(
  db: Executor,
  column: 'confirm_token_hash' | 'unsubscribe_token',
  hash: string,
): Promise<SubscriberRow | undefined> {
  return db
    .selectFrom('status_subscribers')
    .selectAll()
    .where(column, '=', hash)
    .executeTakeFirst();
}

/** A page's subscribers, oldest first. */
export function selectSubscribers(
  db: Executor,
  pageId: string,
  filter: { confirmedOnly?: boolean; kind?: string } = {},
): Promise<SubscriberRow[]> {
  let q = db.selectFrom('status_subscribers').selectAll().where('page_id', '=', pageId);
  if (filter.confirmedOnly) q = q.where('confirmed_at', 'is not', null);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  return q.orderBy('created_at').orderBy('id').execute();
}

/**
 * How many confirmed subscribers a page has: addresses still waiting for their confirmation
 * (anyone can post one) do not count, so a flood of them cannot fill the page.
 */
export async function countSubscribers(db: Executor, pageId: string): Promise<number> {
  const r = await db
    .selectFrom('status_subscribers')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('page_id', '=', pageId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Starts a new confirmation for a subscriber unless one was sent after `notBefore` (compare and
 * set, so two requests at once send one mail); returns whether it was written.
 */
export async function claimConfirmation(
  db: Executor,
  id: string,
  notBefore: number,
  patch: Pick<
    RowUpdate<'status_subscribers'>,
    'confirm_token_hash' | 'confirm_sent_at' | 'pending_component_ids_json' | 'component_ids_json'
  >,
): Promise<boolean> {
  const r = await db
    .updateTable('status_subscribers')
    .set(patch)
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('confirm_sent_at', 'is', null), eb('confirm_sent_at', '<=', notBefore)]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Confirms a subscriber if its confirmation token is still `tokenHash` (not replaced by a newer
 * one meanwhile, nor used by a request at the same time); returns whether it was written.
 */
export async function confirmSubscriberRow(
  db: Executor,
  id: string,
  tokenHash: string,
  patch: RowUpdate<'status_subscribers'>,
): Promise<boolean> {
  const r = await db
    .updateTable('status_subscribers')
    .set(patch)
    .where('id', '=', id)
    .where('confirm_token_hash', '=', tokenHash)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many confirmation mails a page queued after `since`. */
export async function countConfirmationsSince(
  db: Executor,
  pageId: string,
  since: number,
): Promise<number> {
  const r = await db
    .selectFrom('status_notices')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('page_id', '=', pageId)
    .where('created_at', '>', since)
    .where('dedup_key', 'like', 'confirm:%')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Deletes (a batch of) subscribers that never confirmed and whose last confirmation mail was
 * queued at or before `sentBy`, of one page or of all; returns how many went.
 */
export async function deleteUnconfirmedSentBy(
  db: Executor,
  sentBy: number,
  limit: number,
  pageId?: string,
): Promise<number> {
  let due = db
    .selectFrom('status_subscribers')
    .select('id')
    .where('confirmed_at', 'is', null)
    .where('confirm_sent_at', '<=', sentBy)
    .limit(limit);
  if (pageId !== undefined) due = due.where('page_id', '=', pageId);
  const r = await db
    .deleteFrom('status_subscribers')
    .where('id', 'in', due)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Updates a subscriber. */
export async function updateSubscriberRow(
  db: Executor,
  id: string,
  patch: RowUpdate<'status_subscribers'>,
): Promise<void> {
  await db.updateTable('status_subscribers').set(patch).where('id', '=', id).execute();
}

/** Webhook and Slack subscribers of every page: the rows that hold secrets. */
export function selectSubscribersWithSecrets(db: Executor): Promise<SubscriberRow[]> {
  return db
    .selectFrom('status_subscribers')
    .selectAll()
    .where('kind', 'in', ['webhook', 'slack'])
    .orderBy('id')
    .execute();
}

/**
 * Writes a subscriber's address and secret only if they are still `before` (nobody changed
 * them since they were read); returns whether it was written.
 */
export async function replaceSubscriberSecrets(
  db: Executor,
  id: string,
  before: Pick<SubscriberRow, 'address' | 'secret'>,
  after: Pick<SubscriberRow, 'address' | 'secret'>,
): Promise<boolean> {
  const r = await db
    .updateTable('status_subscribers')
    .set(after)
    .where('id', '=', id)
    .where('address', '=', before.address)
    .where('secret', before.secret === null ? 'is' : '=', before.secret)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes a subscriber (their pending notices cascade). */
export async function deleteSubscriberRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('status_subscribers').where('id', '=', id).execute();
}

/** Queues notices; a (subscriber, dedup key) pair already queued is skipped. */
export async function insertNotices(db: Executor, rows: NewRow<'status_notices'>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('status_notices')
    .values(rows)
    .onConflict((oc) => oc.columns(['subscriber_id', 'dedup_key']).doNothing())
    .execute();
}

/** Notices due to be sent. */
export function selectDueNotices(db: Executor, now: number, limit: number): Promise<NoticeRow[]> {
  return db
    .selectFrom('status_notices')
    .selectAll()
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit)
    .execute();
}

/** The earliest notice timer. */
export async function selectNextNoticeAt(db: Executor): Promise<number | null> {
  const r = await db
    .selectFrom('status_notices')
    .select((eb) => eb.fn.min('next_at').as('at'))
    .executeTakeFirst();
  return r?.at == null ? null : Number(r.at);
}

/** Claims a notice for sending by moving its timer (compare-and-set on `next_at`). */
export async function claimNotice(
  db: Executor,
  id: string,
  expected: number,
  leaseUntil: number,
): Promise<boolean> {
  const r = await db
    .updateTable('status_notices')
    .set({ next_at: leaseUntil })
    .where('id', '=', id)
    .where('next_at', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a notice's outcome. */
export async function updateNoticeRow(
  db: Executor,
  id: string,
  patch: RowUpdate<'status_notices'>,
): Promise<void> {
  await db.updateTable('status_notices').set(patch).where('id', '=', id).execute();
}

/** Subscribers by id. */
export function selectSubscribersByIds(db: Executor, ids: string[]): Promise<SubscriberRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('status_subscribers').selectAll().where('id', 'in', ids).execute();
}
