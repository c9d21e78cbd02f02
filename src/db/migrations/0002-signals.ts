import { sql, type Kysely } from 'kysely';

/**
 * Signals: integrations and their keys, alerts and their events, change events, muting
 * (silences, maintenance windows, inhibition rules), event rules, and the minimal incident the
 * pipeline opens or joins (the incidents work extends it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').addColumn('escalation_policy_id', 'text').execute();
  await db.schema
    .alterTable('services')
    .addColumn('tags_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('services')
    .addColumn('settings_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('service_dependencies')
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addColumn('depends_on_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('service_dependencies_pk', ['service_id', 'depends_on_id'])
    .execute();

  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_event_at', 'bigint')
    .addColumn('disabled_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('integrations_service')
    .on('integrations')
    .column('service_id')
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text')
    .addColumn('response_due_at', 'bigint')
    .addColumn('alert_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_alert_at', 'bigint')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .execute();
  // One open incident per (service, group key): alerts of a group join it, and two nodes opening
  // it at once cannot make two (the loser retries and joins).
  await db.schema
    .createIndex('incidents_open_group')
    .on('incidents')
    .columns(['service_id', 'group_key'])
    .unique()
    .where(sql.ref('status'), '<>', 'resolved')
    .execute();
  await db.schema
    .createIndex('incidents_team_status')
    .on('incidents')
    .columns(['team_id', 'status'])
    .execute();

  await db.schema
    .createTable('incident_timeline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text')
    .execute();
  await db.schema
    .createIndex('incident_timeline_incident')
    .on('incident_timeline')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text')
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('component', 'text')
    .addColumn('group_name', 'text')
    .addColumn('class', 'text')
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('details_json', 'text')
    .addColumn('links_json', 'text')
    .addColumn('images_json', 'text')
    .addColumn('client', 'text')
    .addColumn('client_url', 'text')
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('route', 'text')
    .addColumn('suppressed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('muted_kind', 'text')
    .addColumn('muted_by', 'text')
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addColumn('raw_json', 'text')
    .execute();
  // At most one open alert per (service, dedup key): the database enforces dedup even when two
  // nodes take the same event at once.
  await db.schema
    .createIndex('alerts_open_dedup')
    .on('alerts')
    .columns(['service_id', 'dedup_key'])
    .unique()
    .where(sql.ref('status'), '<>', 'resolved')
    .execute();
  await db.schema
    .createIndex('alerts_service_dedup')
    .on('alerts')
    .columns(['service_id', 'dedup_key', 'id'])
    .execute();
  await db.schema.createIndex('alerts_team_id').on('alerts').columns(['team_id', 'id']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();
  await db.schema
    .createIndex('alerts_ends_at')
    .on('alerts')
    .columns(['status', 'ends_at'])
    .execute();

  await db.schema
    .createTable('alert_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('alert_events_alert')
    .on('alert_events')
    .columns(['alert_id', 'id'])
    .execute();

  await db.schema
    .createTable('change_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('details_json', 'text')
    .addColumn('links_json', 'text')
    .addColumn('raw_json', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('change_events_service')
    .on('change_events')
    .columns(['service_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('silences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('matchers_json', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('silences_team_ends')
    .on('silences')
    .columns(['team_id', 'ends_at'])
    .execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('service_ids_json', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_team_ends')
    .on('maintenance_windows')
    .columns(['team_id', 'ends_at'])
    .execute();

  await db.schema
    .createTable('inhibit_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source_matchers_json', 'text', (c) => c.notNull())
    .addColumn('target_matchers_json', 'text', (c) => c.notNull())
    .addColumn('equal_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('event_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('matchers_json', 'text', (c) => c.notNull())
    .addColumn('actions_json', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops the signals tables and columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'counters',
    'event_rules',
    'inhibit_rules',
    'maintenance_windows',
    'silences',
    'change_events',
    'alert_events',
    'alerts',
    'incident_timeline',
    'incidents',
    'integrations',
    'service_dependencies',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  for (const c of ['settings_json', 'tags_json', 'escalation_policy_id']) {
    await db.schema.alterTable('services').dropColumn(c).execute();
  }
}
