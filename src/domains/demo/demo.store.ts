import type { Executor } from '../../db/index.js';

export async function selectMeta(db: Executor, key: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return r?.value;
}

export async function upsertMeta(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto('app_meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
