import type { Executor, NewRow, RowUpdate } from '../../db/index.js';

// ---- schedules and overrides

export async function insertSchedule(db: Executor, row: NewRow<'schedules'>): Promise<void> {
  await db.insertInto('schedules').values(row).execute();
}
export async function updateScheduleRow(
  db: Executor,
  id: string,
  set: RowUpdate<'schedules'>,
): Promise<void> {
  await db.updateTable('schedules').set(set).where('id', '=', id).execute();
}
export function selectSchedule(db: Executor, id: string) {
  return db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
}
export function selectSchedules(db: Executor, teamIds?: string[]) {
  let q = db.selectFrom('schedules').selectAll().orderBy('name');
  if (teamIds) {
    if (teamIds.length === 0) return Promise.resolve([]);
    q = q.where('team_id', 'in', teamIds);
  }
  return q.execute();
}
export async function insertOverride(
  db: Executor,
  row: NewRow<'schedule_overrides'>,
): Promise<void> {
  await db.insertInto('schedule_overrides').values(row).execute();
}
export async function deleteOverride(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('schedule_overrides').where('id', '=', id).execute();
}
export function selectOverride(db: Executor, id: string) {
  return db.selectFrom('schedule_overrides').selectAll().where('id', '=', id).executeTakeFirst();
}
/** Overrides of the schedules that end after `from` and start before `to`, oldest first. */
export function selectOverrides(db: Executor, scheduleIds: string[], from: number, to: number) {
  if (scheduleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('schedule_id', 'in', scheduleIds)
    .where('end_at', '>', from)
    .where('start_at', '<', to)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Which of `userIds` are members of the team (read here, like the services a policy serves: the
 * identity domain's store is its own). A member row implies the user exists.
 */
export async function selectMemberIds(
  db: Executor,
  teamId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select('team_members.user_id as user_id')
    .where('team_members.team_id', '=', teamId)
    .where('team_members.user_id', 'in', [...new Set(userIds)])
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/**
 * Which of `userIds` may be paged about an incident of the team: enabled users who can see it
 * (its members, and organisation admins, who see every team).
 */
export async function selectPageableIds(
  db: Executor,
  teamId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const ids = [...new Set(userIds)];
  const rows = await db
    .selectFrom('users')
    .leftJoin('team_members', (j) =>
      j.onRef('team_members.user_id', '=', 'users.id').on('team_members.team_id', '=', teamId),
    )
    .select(['users.id as id', 'users.is_org_admin as admin', 'team_members.user_id as member'])
    .where('users.id', 'in', ids)
    .where('users.disabled', '=', 0)
    .execute();
  return new Set(rows.filter((r) => r.admin === 1 || r.member !== null).map((r) => r.id));
}

// ---- escalation policies and escalations

export async function insertPolicy(
  db: Executor,
  row: NewRow<'escalation_policies'>,
): Promise<void> {
  await db.insertInto('escalation_policies').values(row).execute();
}
export async function updatePolicyRow(
  db: Executor,
  id: string,
  set: RowUpdate<'escalation_policies'>,
): Promise<void> {
  await db.updateTable('escalation_policies').set(set).where('id', '=', id).execute();
}
export async function deletePolicyRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('escalation_policies').where('id', '=', id).execute();
}
/**
 * Services that escalate through a policy (read here rather than through the services domain,
 * which depends on this one): a policy in use is not deleted.
 */
export function selectServicesOfPolicy(db: Executor, policyId: string) {
  return db
    .selectFrom('services')
    .select(['id', 'name'])
    .where('escalation_policy_id', '=', policyId)
    .orderBy('name')
    .execute();
}
export function selectPolicy(db: Executor, id: string) {
  return db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
}
export function selectPolicies(db: Executor, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .orderBy('name')
    .execute();
}
/** Inserts the escalation row of an incident unless it has one (idempotent). */
export async function insertEscalation(db: Executor, row: NewRow<'escalations'>): Promise<void> {
  await db
    .insertInto('escalations')
    .values(row)
    .onConflict((oc) => oc.column('incident_id').doNothing())
    .execute();
}
export function selectEscalationOfIncident(db: Executor, incidentId: string) {
  return db
    .selectFrom('escalations')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
}
export function selectDueEscalations(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('escalations')
    .selectAll()
    .where('status', '=', 'active')
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit)
    .execute();
}
export async function countDueEscalations(db: Executor, now: number): Promise<number> {
  const r = await db
    .selectFrom('escalations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .where('next_at', '<=', now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/** The earliest `next_at` of an active escalation. */
export async function selectNextEscalationDue(db: Executor): Promise<number | undefined> {
  const r = await db
    .selectFrom('escalations')
    .select((eb) => eb.fn.min<number>('next_at').as('at'))
    .where('status', '=', 'active')
    .executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

export async function updateEscalationRow(
  db: Executor,
  id: string,
  set: RowUpdate<'escalations'>,
): Promise<void> {
  await db.updateTable('escalations').set(set).where('id', '=', id).execute();
}

// ---- notification intents and the outbox

/** Inserts an intent unless its idempotency key exists; true when it was new. */
export async function insertIntent(
  db: Executor,
  row: NewRow<'notification_intents'>,
): Promise<boolean> {
  const r = await db
    .insertInto('notification_intents')
    .values(row)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
export function selectIntentsOfUser(db: Executor, userId: string, limit: number) {
  return db
    .selectFrom('notification_intents')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
export function selectIntentsOfIncident(db: Executor, incidentId: string) {
  return db
    .selectFrom('notification_intents')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}
export async function markIntentsRead(db: Executor, userId: string, now: number): Promise<void> {
  await db
    .updateTable('notification_intents')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}
export async function insertOutbox(
  db: Executor,
  rows: Array<NewRow<'outbox_messages'>>,
): Promise<void> {
  if (rows.length) await db.insertInto('outbox_messages').values(rows).execute();
}
export function selectOutboxOfIntents(db: Executor, intentIds: string[]) {
  if (intentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('intent_id', 'in', intentIds)
    .orderBy('send_at')
    .execute();
}

// ---- contact methods and rules

export async function insertContactMethod(
  db: Executor,
  row: NewRow<'contact_methods'>,
): Promise<void> {
  await db.insertInto('contact_methods').values(row).execute();
}
export function selectContactMethod(db: Executor, id: string) {
  return db.selectFrom('contact_methods').selectAll().where('id', '=', id).executeTakeFirst();
}
export function selectContactMethods(db: Executor, userId: string) {
  return db
    .selectFrom('contact_methods')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}
export async function updateContactMethod(
  db: Executor,
  id: string,
  set: RowUpdate<'contact_methods'>,
): Promise<void> {
  await db.updateTable('contact_methods').set(set).where('id', '=', id).execute();
}
/** Which of `userIds` belong to disabled users. */
export async function selectDisabledUserIds(db: Executor, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', userIds)
    .where('disabled', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Spends one try of a contact method's code; false when none is left. */
export async function takeCodeAttempt(db: Executor, id: string, max: number): Promise<boolean> {
  const row = await db
    .updateTable('contact_methods')
    .set((eb) => ({ verification_attempts: eb('verification_attempts', '+', 1) }))
    .where('id', '=', id)
    .where('verification_attempts', '<', max)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
export async function deleteContactMethodRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('contact_methods').where('id', '=', id).execute();
}
export async function insertRule(db: Executor, row: NewRow<'notification_rules'>): Promise<void> {
  await db.insertInto('notification_rules').values(row).execute();
}
export function selectRules(db: Executor, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('notification_rules')
    .innerJoin('contact_methods', 'contact_methods.id', 'notification_rules.contact_method_id')
    .select([
      'notification_rules.id as id',
      'notification_rules.user_id as user_id',
      'notification_rules.urgency as urgency',
      'notification_rules.delay_minutes as delay_minutes',
      'notification_rules.contact_method_id as contact_method_id',
      'notification_rules.is_default as is_default',
      'contact_methods.type as type',
      'contact_methods.label as label',
      'contact_methods.verified_at as verified_at',
    ])
    .where('notification_rules.user_id', 'in', userIds)
    .orderBy('notification_rules.delay_minutes')
    .execute();
}
/** Removes the person's default rules of `urgency` (their own first rule replaces them). */
export async function deleteDefaultRules(
  db: Executor,
  userId: string,
  urgency: string,
): Promise<void> {
  await db
    .deleteFrom('notification_rules')
    .where('user_id', '=', userId)
    .where('urgency', '=', urgency)
    .where('is_default', '=', 1)
    .execute();
}
/**
 * Which of `userIds` have a high-urgency rule over a verified contact method: the others are
 * reached in the app only when paged.
 */
export async function selectUsersWithRules(
  db: Executor,
  userIds: readonly string[],
  urgency: string,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('notification_rules')
    .innerJoin('contact_methods', 'contact_methods.id', 'notification_rules.contact_method_id')
    .select('notification_rules.user_id as user_id')
    .where('notification_rules.user_id', 'in', [...new Set(userIds)])
    .where('notification_rules.urgency', '=', urgency)
    .where('contact_methods.verified_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
export function selectRule(db: Executor, id: string) {
  return db.selectFrom('notification_rules').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function deleteRuleRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('notification_rules').where('id', '=', id).execute();
}

// ---- calendar tokens

export async function insertCalendarToken(
  db: Executor,
  row: NewRow<'calendar_tokens'>,
): Promise<void> {
  await db.insertInto('calendar_tokens').values(row).execute();
}
export function selectCalendarToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('calendar_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}
export function selectCalendarTokens(db: Executor, createdBy: string) {
  return db
    .selectFrom('calendar_tokens')
    .selectAll()
    .where('created_by', '=', createdBy)
    .where('revoked_at', 'is', null)
    .execute();
}
export async function revokeCalendarTokenRow(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('calendar_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
}
