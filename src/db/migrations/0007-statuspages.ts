import { type Kysely } from 'kysely';

/**
 * Status pages: the pages (access, branding, custom domain, time zone), their components (group,
 * links to services and checks, an optional status set by hand), public incidents and scheduled
 * maintenance (written separately from internal incidents; `next_at` is the maintenance timer the
 * engine reads), their public updates, subscribers, and the notices owed to them (an outbox).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('status_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('logo_url', 'text')
    .addColumn('brand_color', 'text', (c) => c.notNull())
    .addColumn('custom_domain', 'text', (c) => c.unique())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('ip_allow_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_pages_team').on('status_pages').column('team_id').execute();

  await db.schema
    .createTable('status_components')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) =>
      c.notNull().references('status_pages.id').onDelete('cascade'),
    )
    .addColumn('group_name', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('manual_status', 'text')
    .addColumn('service_ids_json', 'text', (c) => c.notNull())
    .addColumn('check_ids_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_components_page')
    .on('status_components')
    .column('page_id')
    .execute();

  // Public incidents and maintenance share one table (`kind`), as Statuspage's API shapes them.
  await db.schema
    .createTable('status_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) =>
      c.notNull().references('status_pages.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('component_ids_json', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'bigint')
    .addColumn('scheduled_until', 'bigint')
    .addColumn('auto_transition', 'integer', (c) => c.notNull())
    .addColumn('notify_before_ms', 'bigint')
    .addColumn('notice_sent_at', 'bigint')
    .addColumn('next_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_events_page')
    .on('status_events')
    .columns(['page_id', 'created_at'])
    .execute();
  await db.schema.createIndex('status_events_next').on('status_events').column('next_at').execute();

  await db.schema
    .createTable('status_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) =>
      c.notNull().references('status_events.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_updates_event')
    .on('status_updates')
    .columns(['event_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('status_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) =>
      c.notNull().references('status_pages.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('component_ids_json', 'text')
    .addColumn('secret', 'text')
    .addColumn('confirm_token_hash', 'text')
    // Unsubscribe links must be rebuilt for every notice, so the token is kept; it can only
    // unsubscribe this one address.
    .addColumn('unsubscribe_token', 'text', (c) => c.notNull().unique())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('status_subscribers_address', ['page_id', 'kind', 'address'])
    .execute();
  await db.schema
    .createIndex('status_subscribers_confirm')
    .on('status_subscribers')
    .column('confirm_token_hash')
    .execute();

  // One row per (notice, subscriber): the outbox the engine drains, retried with backoff.
  await db.schema
    .createTable('status_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) =>
      c.notNull().references('status_pages.id').onDelete('cascade'),
    )
    .addColumn('subscriber_id', 'text', (c) =>
      c.notNull().references('status_subscribers.id').onDelete('cascade'),
    )
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('status_notices_dedup', ['subscriber_id', 'dedup_key'])
    .execute();
  await db.schema
    .createIndex('status_notices_next')
    .on('status_notices')
    .column('next_at')
    .execute();
}

/** Drops the status page tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'status_notices',
    'status_subscribers',
    'status_updates',
    'status_events',
    'status_components',
    'status_pages',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
