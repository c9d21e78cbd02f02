import type { Executor, NewRow, Row } from '../../db/index.js';

/** Appends one audit row. */
export async function insertAuditRow(db: Executor, row: NewRow<'audit_log'>): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** Newest first, ids below `before` (ids are time-sortable), optionally one team's. */
export async function selectAuditRows(
  db: Executor,
  query: { limit: number; before?: string | undefined; teamId?: string | undefined },
): Promise<Array<Row<'audit_log'>>> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.before) q = q.where('id', '<', query.before);
  if (query.teamId) q = q.where('team_id', '=', query.teamId);
  return q.execute();
}
