import type { Executor, NewRow, RowUpdate } from '../../db/index.js';

export async function insertService(db: Executor, row: NewRow<'services'>): Promise<void> {
  await db.insertInto('services').values(row).execute();
}

export async function updateServiceRow(
  db: Executor,
  id: string,
  set: RowUpdate<'services'>,
): Promise<void> {
  await db.updateTable('services').set(set).where('id', '=', id).execute();
}

function withTeam(db: Executor) {
  return db
    .selectFrom('services')
    .innerJoin('teams', 'teams.id', 'services.team_id')
    .selectAll('services')
    .select('teams.name as team_name');
}

/** Services with their team's name, ordered by name. */
export function selectServices(db: Executor) {
  return withTeam(db).orderBy('services.name').execute();
}

export function selectServiceById(db: Executor, id: string) {
  return withTeam(db).where('services.id', '=', id).executeTakeFirst();
}

export function selectServiceByName(db: Executor, name: string) {
  return db.selectFrom('services').selectAll().where('name', '=', name).executeTakeFirst();
}

/** service id → the ids it depends on. */
export async function selectDependencies(
  db: Executor,
  serviceIds?: string[],
): Promise<Map<string, string[]>> {
  let q = db.selectFrom('service_dependencies').selectAll();
  if (serviceIds) {
    if (serviceIds.length === 0) return new Map();
    q = q.where('service_id', 'in', serviceIds);
  }
  const map = new Map<string, string[]>();
  for (const r of await q.execute())
    map.set(r.service_id, [...(map.get(r.service_id) ?? []), r.depends_on_id]);
  return map;
}

export async function replaceDependencies(
  db: Executor,
  serviceId: string,
  dependsOn: string[],
): Promise<void> {
  await db.deleteFrom('service_dependencies').where('service_id', '=', serviceId).execute();
  if (dependsOn.length) {
    await db
      .insertInto('service_dependencies')
      .values(dependsOn.map((d) => ({ service_id: serviceId, depends_on_id: d })))
      .execute();
  }
}
