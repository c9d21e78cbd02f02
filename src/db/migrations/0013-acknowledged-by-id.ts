import type { Kysely } from 'kysely';

/**
 * Who first acknowledged an incident, as a user id beside the name already kept: the on-call
 * load report counts a person's time to acknowledge by who they are, not by a display name two
 * people may share. Null for acknowledgements by integrations, API keys and Tocsin itself, and
 * for incidents acknowledged before this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('acknowledged_by_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('acknowledged_by_id').execute();
}
