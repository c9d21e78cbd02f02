import { sql, type Kysely } from 'kysely';

/**
 * Re-judging the muting of open alerts when muting changes (the `mute-rejudge` engine module,
 * ADR 0004 addendum 2026-11-22b). One row per team with muting rules: a fingerprint of the rules
 * in force when last looked at (`rules_hash`), the next instant a silence or maintenance window
 * of the team starts or ends (`next_at`), a request counter (`dirty`, bumped in SQL by whoever
 * asks for a re-judge: a rule change found by the module, a boundary passing, an inhibition
 * source opening or resolving on the ingest path) and the request a finished scan served
 * (`judged`); a scan under way keeps the request it serves (`scan_gen`) and the last alert id it
 * judged (`cursor`), so a restart continues it. `mute_rejudge_state` holds the configuration
 * counter (migration 0009) the module last compared the fingerprints at.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mute_rejudge')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('rules_hash', 'text', (c) => c.notNull())
    .addColumn('next_at', 'bigint')
    .addColumn('dirty', 'bigint', (c) => c.notNull())
    .addColumn('judged', 'bigint', (c) => c.notNull())
    .addColumn('scan_gen', 'bigint')
    .addColumn('cursor', 'text')
    .execute();
  await db.schema
    .createTable('mute_rejudge_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('config_version', 'bigint', (c) => c.notNull())
    .execute();
  // -1: no counter value seen yet, so the first pass fingerprints every team's rules.
  await sql`insert into mute_rejudge_state (id, config_version) values (1, -1)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mute_rejudge_state').execute();
  await db.schema.dropTable('mute_rejudge').execute();
}
