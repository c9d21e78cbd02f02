import type { Executor, NewRow } from '../../db/index.js';

export async function insertIntegration(db: Executor, row: NewRow<'integrations'>): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

export function selectIntegrationByHash(db: Executor, keyHash: string) {
  return db
    .selectFrom('integrations')
    .innerJoin('services', 'services.id', 'integrations.service_id')
    .selectAll('integrations')
    .select('services.team_id as team_id')
    .where('integrations.key_hash', '=', keyHash)
    .executeTakeFirst();
}

export function selectIntegrationsOfService(db: Executor, serviceId: string) {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('created_at')
    .execute();
}

export function selectIntegration(db: Executor, id: string) {
  return db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function disableIntegration(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('integrations').set({ disabled_at: now }).where('id', '=', id).execute();
}

export async function touchIntegration(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('integrations').set({ last_event_at: now }).where('id', '=', id).execute();
}
