import { type Kysely } from 'kysely';

/**
 * Notifications: notifier settings (secrets encrypted), delivery bookkeeping on the outbox
 * (vendor reference, delivery receipt, fallback chain, digest, the incident status a message
 * last showed), the delivery log, single-use action tokens for one-click links, and each
 * notifier's health (consecutive failures → the outage banner and Tocsin's own alert).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifier_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('outbox_messages').addColumn('provider_ref', 'text').execute();
  await db.schema.alterTable('outbox_messages').addColumn('delivered_at', 'bigint').execute();
  await db.schema.alterTable('outbox_messages').addColumn('fallback_from', 'text').execute();
  await db.schema
    .alterTable('outbox_messages')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('page'))
    .execute();
  await db.schema.alterTable('outbox_messages').addColumn('digest_json', 'text').execute();
  await db.schema.alterTable('outbox_messages').addColumn('rendered_status', 'text').execute();
  await db.schema.alterTable('outbox_messages').addColumn('claimed_at', 'bigint').execute();
  // A distribution list's address (no contact method behind it).
  await db.schema.alterTable('outbox_messages').addColumn('address', 'text').execute();
  await db.schema
    .createIndex('outbox_provider_ref')
    .on('outbox_messages')
    .column('provider_ref')
    .execute();
  await db.schema.createIndex('outbox_intent').on('outbox_messages').column('intent_id').execute();

  await db.schema
    .createTable('delivery_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) =>
      c.notNull().references('outbox_messages.id').onDelete('cascade'),
    )
    .addColumn('incident_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('detail', 'text')
    .execute();
  await db.schema
    .createIndex('delivery_attempts_incident')
    .on('delivery_attempts')
    .columns(['incident_id', 'at'])
    .execute();
  await db.schema
    .createIndex('delivery_attempts_user')
    .on('delivery_attempts')
    .columns(['user_id', 'at'])
    .execute();
  await db.schema
    .createIndex('delivery_attempts_message')
    .on('delivery_attempts')
    .column('message_id')
    .execute();

  await db.schema
    .createTable('action_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notifier_health')
    .addColumn('notifier_id', 'text', (c) => c.primaryKey())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('failing_since', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('last_success_at', 'bigint')
    .addColumn('outage', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops the notification tables and columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['notifier_health', 'action_tokens', 'delivery_attempts', 'notifier_settings']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.dropIndex('outbox_intent').ifExists().execute();
  await db.schema.dropIndex('outbox_provider_ref').ifExists().execute();
  for (const c of [
    'address',
    'claimed_at',
    'rendered_status',
    'digest_json',
    'kind',
    'fallback_from',
    'delivered_at',
    'provider_ref',
  ]) {
    await db.schema.alterTable('outbox_messages').dropColumn(c).execute();
  }
}
