import type { Executor, NewRow, Row, RowUpdate } from '../../db/index.js';

export async function insertUser(db: Executor, row: NewRow<'users'>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUserRow(
  db: Executor,
  id: string,
  set: RowUpdate<'users'>,
): Promise<void> {
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

export function selectUserById(db: Executor, id: string): Promise<Row<'users'> | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectUserByEmail(db: Executor, email: string): Promise<Row<'users'> | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function selectUsers(db: Executor): Promise<Array<Row<'users'>>> {
  return db.selectFrom('users').selectAll().orderBy('name').execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** id → name for the given users (for messages and timelines). */
export async function selectUserNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
