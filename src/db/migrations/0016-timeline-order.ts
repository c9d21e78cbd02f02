import type { Kysely } from 'kysely';

/**
 * The timeline is read in time order (then id), a page at a time from the newest: an index on
 * (incident_id, at, id) serves both without sorting an incident's entries, which can run to tens
 * of thousands. The old (incident_id, id) index stays for "the last written entry".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('incident_timeline_incident_at')
    .on('incident_timeline')
    .columns(['incident_id', 'at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incident_timeline_incident_at').execute();
}
