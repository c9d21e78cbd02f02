import { type Kysely } from 'kysely';

/**
 * After the incident: postmortems (one per incident, sections as JSON, a lower-cased search
 * text), their reviewers and comments, action items (owner, priority, due date, status, the
 * overdue reminder and tracker-sync timers, the exported issue's key and link), and service
 * reviews (burn-in and periodic to-dos with a reminder timer); time-window indexes for reports.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('postmortems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().unique().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sections_json', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('review_meeting_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .addColumn('published_at', 'bigint')
    .addColumn('published_by', 'text')
    .execute();
  await db.schema
    .createIndex('postmortems_team')
    .on('postmortems')
    .columns(['team_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('postmortem_reviewers')
    .addColumn('postmortem_id', 'text', (c) =>
      c.notNull().references('postmortems.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addPrimaryKeyConstraint('postmortem_reviewers_pk', ['postmortem_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('postmortem_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('postmortem_id', 'text', (c) =>
      c.notNull().references('postmortems.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('section', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('postmortem_comments_pm')
    .on('postmortem_comments')
    .columns(['postmortem_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('postmortem_id', 'text', (c) =>
      c.notNull().references('postmortems.id').onDelete('cascade'),
    )
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    // Timer: the next overdue reminder to the owner (null when closed or no due date).
    .addColumn('remind_at', 'bigint')
    .addColumn('tracker', 'text')
    .addColumn('external_key', 'text')
    .addColumn('external_url', 'text')
    .addColumn('external_state', 'text')
    .addColumn('synced_at', 'bigint')
    // Timer: the next poll of the tracker for the state (null when not exported).
    .addColumn('sync_at', 'bigint')
    .addColumn('sync_error', 'text')
    .execute();
  await db.schema
    .createIndex('action_items_postmortem')
    .on('action_items')
    .column('postmortem_id')
    .execute();
  await db.schema
    .createIndex('action_items_team')
    .on('action_items')
    .columns(['team_id', 'status'])
    .execute();
  await db.schema
    .createIndex('action_items_remind')
    .on('action_items')
    .column('remind_at')
    .execute();
  await db.schema.createIndex('action_items_sync').on('action_items').column('sync_at').execute();

  await db.schema
    .createTable('service_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checklist_json', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('remind_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text')
    .addUniqueConstraint('service_reviews_unique', ['service_id', 'kind', 'due_at'])
    .execute();
  await db.schema
    .createIndex('service_reviews_remind')
    .on('service_reviews')
    .column('remind_at')
    .execute();

  // Reports read incidents, alerts and pages by time window.
  await db.schema.createIndex('incidents_created').on('incidents').column('created_at').execute();
  await db.schema.createIndex('alerts_first_seen').on('alerts').column('first_seen_at').execute();
  await db.schema
    .createIndex('notification_intents_created')
    .on('notification_intents')
    .column('created_at')
    .execute();
}

/** Drops the postmortem tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of ['notification_intents_created', 'alerts_first_seen', 'incidents_created']) {
    await db.schema.dropIndex(i).ifExists().execute();
  }
  for (const t of [
    'service_reviews',
    'action_items',
    'postmortem_comments',
    'postmortem_reviewers',
    'postmortems',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
