import type { Executor, NewRow, Row } from '../../db/index.js';

export async function insertTeam(db: Executor, row: NewRow<'teams'>): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export function selectTeamById(db: Executor, id: string): Promise<Row<'teams'> | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectTeamByName(db: Executor, name: string): Promise<Row<'teams'> | undefined> {
  return db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
}

export function selectTeams(db: Executor): Promise<Array<Row<'teams'>>> {
  return db.selectFrom('teams').selectAll().orderBy('name').execute();
}

/** A user's memberships with team names. */
export function selectMembershipsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select([
      'team_members.team_id as teamId',
      'teams.name as teamName',
      'team_members.role as role',
    ])
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.name')
    .execute();
}

/** A team's members with their names and emails. */
export function selectMembersOfTeam(db: Executor, teamId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select([
      'users.id as userId',
      'users.email as email',
      'users.name as name',
      'team_members.role as role',
    ])
    .where('team_members.team_id', '=', teamId)
    .orderBy('users.name')
    .execute();
}

export function selectMember(
  db: Executor,
  teamId: string,
  userId: string,
): Promise<Row<'team_members'> | undefined> {
  return db
    .selectFrom('team_members')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Adds the member or changes their role. */
export async function upsertMember(db: Executor, row: NewRow<'team_members'>): Promise<void> {
  await db
    .insertInto('team_members')
    .values(row)
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role: row.role }))
    .execute();
}

export async function deleteMember(db: Executor, teamId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}
