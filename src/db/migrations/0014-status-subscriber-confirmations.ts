import { sql, type Kysely } from 'kysely';

/**
 * Status page subscriptions that cannot be abused through the public form:
 * - `pending_component_ids_json`: the component choice a re-subscribe asked for, applied only
 *   when its confirmation link is followed (anyone can post an address; only its owner can
 *   confirm). SQL NULL: nothing pending; the JSON `null`: every component.
 * - `confirm_sent_at`: when the last confirmation mail was queued. A repeat within minutes sends
 *   none (no mail-bombing an address), the link expires after it, and an address that never
 *   confirms is deleted then (unconfirmed rows must not pile up). Rows waiting for confirmation
 *   before this migration count from when they were created.
 * - an index on notices by page and time, to count a page's confirmation mails in the last hour.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('status_subscribers')
    .addColumn('pending_component_ids_json', 'text')
    .execute();
  await db.schema.alterTable('status_subscribers').addColumn('confirm_sent_at', 'bigint').execute();
  await sql`update status_subscribers set confirm_sent_at = created_at where confirm_token_hash is not null`.execute(
    db,
  );
  await db.schema
    .createIndex('status_subscribers_confirm_sent')
    .on('status_subscribers')
    .column('confirm_sent_at')
    .execute();
  await db.schema
    .createIndex('status_notices_page')
    .on('status_notices')
    .columns(['page_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('status_notices_page').execute();
  await db.schema.dropIndex('status_subscribers_confirm_sent').execute();
  await db.schema.alterTable('status_subscribers').dropColumn('confirm_sent_at').execute();
  await db.schema
    .alterTable('status_subscribers')
    .dropColumn('pending_component_ids_json')
    .execute();
}
