import { sql } from 'kysely';
import type { Executor, Row, RowUpdate } from '../../db/index.js';

/*
 * The rows of the re-judge module (migration 0018): one per team with muting rules, and the
 * configuration counter the fingerprints were last compared at.
 */

export async function selectRejudgeVersion(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('mute_rejudge_state')
    .select('config_version')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(r?.config_version ?? -1);
}

export async function updateRejudgeVersion(db: Executor, version: number): Promise<void> {
  await db
    .updateTable('mute_rejudge_state')
    .set({ config_version: version })
    .where('id', '=', 1)
    .execute();
}

export function selectRejudgeRows(db: Executor): Promise<Row<'mute_rejudge'>[]> {
  return db.selectFrom('mute_rejudge').selectAll().execute();
}

/** Teams whose next window boundary has passed. */
export function selectRejudgeDue(db: Executor, now: number): Promise<Row<'mute_rejudge'>[]> {
  return db
    .selectFrom('mute_rejudge')
    .selectAll()
    .where('next_at', 'is not', null)
    .where('next_at', '<=', now)
    .execute();
}

/** Teams with a re-judge asked for and not yet done (or under way). */
export function selectRejudgeDirty(db: Executor): Promise<Row<'mute_rejudge'>[]> {
  return db
    .selectFrom('mute_rejudge')
    .selectAll()
    .where(sql<boolean>`dirty > judged`)
    .orderBy('team_id')
    .execute();
}

/** The earliest window boundary of any team, and whether some team has a re-judge asked for. */
export async function selectRejudgeNext(db: Executor): Promise<number | undefined> {
  const r = await db
    .selectFrom('mute_rejudge')
    .select((eb) => eb.fn.min<number | null>('next_at').as('next'))
    .executeTakeFirst();
  return r?.next == null ? undefined : Number(r.next);
}

export async function insertRejudgeRow(
  db: Executor,
  row: { team_id: string; rules_hash: string; next_at: number | null },
): Promise<void> {
  await db
    .insertInto('mute_rejudge')
    .values({ ...row, dirty: 1, judged: 0, scan_gen: null, cursor: null })
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({
        rules_hash: row.rules_hash,
        next_at: row.next_at,
        dirty: sql<number>`mute_rejudge.dirty + 1`,
      }),
    )
    .execute();
}

/** Stores a team's fingerprint and boundary, asking for a re-judge when `bump`. */
export async function updateRejudgeRules(
  db: Executor,
  teamId: string,
  set: { rules_hash: string; next_at: number | null },
  bump: boolean,
): Promise<void> {
  await db
    .updateTable('mute_rejudge')
    .set({ ...set, ...(bump ? { dirty: sql<number>`dirty + 1` } : {}) })
    .where('team_id', '=', teamId)
    .execute();
}

export async function updateRejudgeRow(
  db: Executor,
  teamId: string,
  set: RowUpdate<'mute_rejudge'>,
): Promise<void> {
  await db.updateTable('mute_rejudge').set(set).where('team_id', '=', teamId).execute();
}

/**
 * Asks for a re-judge of a team's open alerts, inside the caller's transaction (an inhibition
 * source opened or resolved). Counted in SQL, so concurrent askers are all counted.
 */
export async function requestRejudge(db: Executor, teamId: string): Promise<void> {
  await db
    .insertInto('mute_rejudge')
    .values({
      team_id: teamId,
      rules_hash: '',
      next_at: null,
      dirty: 1,
      judged: 0,
      scan_gen: null,
      cursor: null,
    })
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({ dirty: sql<number>`mute_rejudge.dirty + 1` }),
    )
    .execute();
}

/** A team's open alerts that route somewhere, after `cursor` in id order, at most `limit`. */
export function selectOpenAlertsOfTeamAfter(
  db: Executor,
  teamId: string,
  cursor: string,
  limit: number,
): Promise<Row<'alerts'>[]> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '>', cursor)
    .where('status', '<>', sql.lit('resolved'))
    .where('route', 'is not', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** How many open alerts of an incident no muting holds. */
export async function countUnmutedOpenAlertsOfIncident(
  db: Executor,
  incidentId: string,
): Promise<number> {
  const r = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('status', '<>', sql.lit('resolved'))
    .where('muted_kind', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * When an incident was last acknowledged (anyone) and last acknowledged on a muting's behalf
 * (its `incident.muted` timeline entry), from its timeline.
 */
export async function selectLastAcknowledgements(
  db: Executor,
  incidentId: string,
): Promise<{ acknowledged: number | null; muted: number | null }> {
  const rows = await db
    .selectFrom('incident_timeline')
    .select(['kind', (eb) => eb.fn.max<number>('at').as('at')])
    .where('incident_id', '=', incidentId)
    .where('kind', 'in', ['incident.acknowledged', 'incident.muted'])
    .groupBy('kind')
    .execute();
  const at = (kind: string) => {
    const r = rows.find((x) => x.kind === kind);
    return r ? Number(r.at) : null;
  };
  return { acknowledged: at('incident.acknowledged'), muted: at('incident.muted') };
}

/** Every team's id (the first pass after the upgrade). */
export async function selectTeamIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('teams').select('id').execute()).map((r) => r.id);
}
