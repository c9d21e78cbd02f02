import { type Kysely } from 'kysely';

/**
 * Incident response: severity, priority, impact, the mitigated step and its time, war room and
 * conference link, update reminders (a timer column) on incidents; impacted services, roles,
 * role checklists, note attachments, stakeholder updates and subscribers, customer tickets, and
 * organisation settings (severity and role definitions, reminder intervals).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const add = (
    name: string,
    type: 'text' | 'bigint' | 'integer',
    notNullDefault?: string | number,
  ) =>
    db.schema
      .alterTable('incidents')
      .addColumn(name, type, (c) =>
        notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault),
      )
      .execute();
  await add('description', 'text', '');
  await add('severity', 'text');
  await add('priority', 'text');
  await add('business_impact', 'text', '');
  await add('customer_impacting', 'integer', 0);
  await add('source', 'text', 'alert');
  await add('declared_by', 'text');
  await add('mitigated_at', 'bigint');
  await add('mitigated_by', 'text');
  await add('conference_url', 'text');
  await add('war_room_json', 'text');
  await add('war_room_channel_id', 'text');
  await add('last_update_at', 'bigint');
  await add('reminder_at', 'bigint');
  await add('updated_at', 'bigint', 0);
  await db.schema
    .createIndex('incidents_war_room_channel')
    .on('incidents')
    .column('war_room_channel_id')
    .execute();
  await db.schema
    .createIndex('incidents_reminder')
    .on('incidents')
    .columns(['reminder_at'])
    .execute();

  await db.schema
    .createTable('incident_services')
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('incident_services_pk', ['incident_id', 'service_id'])
    .execute();

  await db.schema
    .createTable('incident_roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('incident_roles_unique', ['incident_id', 'role', 'user_id'])
    .execute();

  await db.schema
    .createTable('incident_checklist')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text')
    .execute();
  await db.schema
    .createIndex('incident_checklist_incident')
    .on('incident_checklist')
    .columns(['incident_id', 'role', 'position'])
    .execute();

  await db.schema
    .createTable('incident_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('timeline_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // Base64: one portable column type on both stores; attachments are capped at 2 MB.
    .addColumn('data_base64', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_attachments_incident')
    .on('incident_attachments')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('incident_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_updates_incident')
    .on('incident_updates')
    .columns(['incident_id', 'at'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['kind', 'subject_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_email', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text')
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('tickets_team')
    .on('tickets')
    .columns(['team_id', 'created_at'])
    .execute();
  await db.schema.createIndex('tickets_incident').on('tickets').column('incident_id').execute();

  await db.schema
    .createTable('org_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops the response tables and columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'org_settings',
    'tickets',
    'subscriptions',
    'incident_updates',
    'incident_attachments',
    'incident_checklist',
    'incident_roles',
    'incident_services',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.dropIndex('incidents_reminder').ifExists().execute();
  await db.schema.dropIndex('incidents_war_room_channel').ifExists().execute();
  for (const c of [
    'updated_at',
    'reminder_at',
    'last_update_at',
    'war_room_channel_id',
    'war_room_json',
    'conference_url',
    'mitigated_by',
    'mitigated_at',
    'declared_by',
    'source',
    'customer_impacting',
    'business_impact',
    'priority',
    'severity',
    'description',
  ]) {
    await db.schema.alterTable('incidents').dropColumn(c).execute();
  }
}
