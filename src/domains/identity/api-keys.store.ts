import type { Executor, NewRow, Row } from '../../db/index.js';

export async function insertApiKey(db: Executor, row: NewRow<'api_keys'>): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export function selectApiKeyByHash(
  db: Executor,
  keyHash: string,
): Promise<Row<'api_keys'> | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export function selectApiKeyById(db: Executor, id: string): Promise<Row<'api_keys'> | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectApiKeysOfTeam(db: Executor, teamId: string): Promise<Array<Row<'api_keys'>>> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiKeyRow(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function touchApiKey(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}
