import type { Kysely } from 'kysely';

/**
 * A status page's own message templates: the text a poster starts from for each incident and
 * maintenance status, stored with the page (JSON, only the statuses changed from Tocsin's
 * defaults; NULL = all defaults), so every editor of the page starts from the same words.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('status_pages').addColumn('message_templates_json', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('status_pages').dropColumn('message_templates_json').execute();
}
