import type { Executor, NewRow } from '../../db/index.js';

export async function insertService(db: Executor, row: NewRow<'services'>): Promise<void> {
  await db.insertInto('services').values(row).execute();
}

/** Services with their team's name, ordered by name. */
export function selectServices(db: Executor) {
  return db
    .selectFrom('services')
    .innerJoin('teams', 'teams.id', 'services.team_id')
    .selectAll('services')
    .select('teams.name as team_name')
    .orderBy('services.name')
    .execute();
}

export function selectServiceByName(db: Executor, name: string) {
  return db.selectFrom('services').selectAll().where('name', '=', name).executeTakeFirst();
}
