import { sql, type Kysely } from 'kysely';

/**
 * On-call: schedules and overrides, escalation policies, the escalation state of each paging
 * incident, the outbox of notification intents and messages, contact methods, personal
 * notification rules, and calendar feed tokens.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('layers_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schedules_team').on('schedules').column('team_id').execute();

  await db.schema
    .createTable('schedule_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('schedule_id', 'text', (c) =>
      c.notNull().references('schedules.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('schedule_overrides_range')
    .on('schedule_overrides')
    .columns(['schedule_id', 'end_at'])
    .execute();

  await db.schema
    .createTable('escalation_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('repeat_count', 'integer', (c) => c.notNull())
    .addColumn('levels_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().unique().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    // Bumped when the incident is reassigned to a policy: page keys of the new run differ.
    .addColumn('epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('escalations_due')
    .on('escalations')
    .columns(['status', 'next_at'])
    .execute();

  await db.schema
    .createTable('notification_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('level', 'integer')
    .addColumn('round', 'integer')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notification_intents_user')
    .on('notification_intents')
    .columns(['user_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_intents_incident')
    .on('notification_intents')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('intent_id', 'text', (c) =>
      c.notNull().references('notification_intents.id').onDelete('cascade'),
    )
    .addColumn('contact_method_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbox_due')
    .on('outbox_messages')
    .columns(['send_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('contact_methods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    .addColumn('verification_hash', 'text')
    .addColumn('verification_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_methods_user')
    .on('contact_methods')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('notification_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('contact_method_id', 'text', (c) =>
      c.notNull().references('contact_methods.id').onDelete('cascade'),
    )
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('delay_minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notification_rules_user')
    .on('notification_rules')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('calendar_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
}

/** Drops the on-call tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'calendar_tokens',
    'notification_rules',
    'contact_methods',
    'outbox_messages',
    'notification_intents',
    'escalations',
    'escalation_policies',
    'schedule_overrides',
    'schedules',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
