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
