import type { Executor, NewRow } from '../../db/index.js';

export async function insertSilence(db: Executor, row: NewRow<'silences'>): Promise<void> {
  await db.insertInto('silences').values(row).execute();
}

export function selectSilences(db: Executor, teamIds: string[], endedAfter: number) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('silences')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .where('ends_at', '>', endedAfter)
    .orderBy('starts_at', 'desc')
    .execute();
}

export function selectSilence(db: Executor, id: string) {
  return db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateSilenceEnd(db: Executor, id: string, endsAt: number): Promise<void> {
  await db.updateTable('silences').set({ ends_at: endsAt }).where('id', '=', id).execute();
}

export async function insertMaintenance(
  db: Executor,
  row: NewRow<'maintenance_windows'>,
): Promise<void> {
  await db.insertInto('maintenance_windows').values(row).execute();
}

export function selectMaintenance(db: Executor, teamIds: string[], endedAfter: number) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .where('ends_at', '>', endedAfter)
    .orderBy('starts_at', 'desc')
    .execute();
}

export function selectMaintenanceWindow(db: Executor, id: string) {
  return db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateMaintenanceEnd(
  db: Executor,
  id: string,
  endsAt: number,
): Promise<void> {
  await db
    .updateTable('maintenance_windows')
    .set({ ends_at: endsAt })
    .where('id', '=', id)
    .execute();
}

export async function insertInhibitRule(db: Executor, row: NewRow<'inhibit_rules'>): Promise<void> {
  await db.insertInto('inhibit_rules').values(row).execute();
}

export function selectInhibitRules(db: Executor, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('inhibit_rules')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .orderBy('created_at')
    .execute();
}

export function selectInhibitRule(db: Executor, id: string) {
  return db.selectFrom('inhibit_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteInhibitRule(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('inhibit_rules').where('id', '=', id).execute();
}

/** Every team's silences not ended at `now` (the re-judge module's fingerprints). */
export function selectAllSilences(db: Executor, endedAfter: number) {
  return db.selectFrom('silences').selectAll().where('ends_at', '>', endedAfter).execute();
}

/** Every team's maintenance windows not ended at `now`. */
export function selectAllMaintenance(db: Executor, endedAfter: number) {
  return db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where('ends_at', '>', endedAfter)
    .execute();
}

/** Every team's inhibition rules. */
export function selectAllInhibitRules(db: Executor) {
  return db.selectFrom('inhibit_rules').selectAll().orderBy('created_at').execute();
}
