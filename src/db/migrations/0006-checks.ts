import { type Kysely } from 'kysely';

/**
 * Checks: the checks themselves (schedule, thresholds, confirmed state and streak counters, the
 * heartbeat token's hash, `next_run_at` as the timer the engine reads), raw results, their
 * minute and hour rollups with latency histograms, outage and pause periods (what uptime is
 * computed from), and the rollup watermarks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('service_id', 'text', (c) =>
      c.notNull().references('services.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('interval_ms', 'bigint', (c) => c.notNull())
    .addColumn('timeout_ms', 'bigint', (c) => c.notNull())
    .addColumn('grace_ms', 'bigint', (c) => c.notNull())
    .addColumn('cron', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('failures_to_alert', 'integer', (c) => c.notNull())
    .addColumn('successes_to_resolve', 'integer', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('allow_private', 'integer', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('token_prefix', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_changed_at', 'bigint')
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('failing_since', 'bigint')
    .addColumn('successes', 'integer', (c) => c.notNull())
    .addColumn('passing_since', 'bigint')
    .addColumn('cert_warning', 'text')
    .addColumn('last_at', 'bigint')
    .addColumn('last_ok', 'integer')
    .addColumn('last_latency_us', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('last_ping_at', 'bigint')
    .addColumn('next_run_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('checks_next_run').on('checks').column('next_run_at').execute();
  await db.schema.createIndex('checks_service').on('checks').column('service_id').execute();
  await db.schema.createIndex('checks_team').on('checks').column('team_id').execute();

  // No id: a result is (check, instant); the index serves every read and the cascade.
  await db.schema
    .createTable('check_results')
    .addColumn('check_id', 'text', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('latency_us', 'bigint')
    .addColumn('error', 'text')
    .addColumn('details_json', 'text')
    .execute();
  await db.schema
    .createIndex('check_results_check_at')
    .on('check_results')
    .columns(['check_id', 'at'])
    .execute();
  // Rollups and retention read results by time across all checks.
  await db.schema.createIndex('check_results_at').on('check_results').column('at').execute();

  await db.schema
    .createTable('check_rollups')
    .addColumn('check_id', 'text', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('resolution_ms', 'bigint', (c) => c.notNull())
    .addColumn('bucket_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('latency_count', 'integer', (c) => c.notNull())
    .addColumn('latency_sum_us', 'bigint', (c) => c.notNull())
    .addColumn('latency_min_us', 'bigint')
    .addColumn('latency_max_us', 'bigint')
    .addColumn('histogram_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('check_rollups_pk', ['check_id', 'resolution_ms', 'bucket_at'])
    .execute();
  await db.schema
    .createIndex('check_rollups_bucket')
    .on('check_rollups')
    .columns(['resolution_ms', 'bucket_at'])
    .execute();

  await db.schema
    .createTable('check_periods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('check_id', 'text', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('cause', 'text')
    .execute();
  await db.schema
    .createIndex('check_periods_check')
    .on('check_periods')
    .columns(['check_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('check_periods_ended')
    .on('check_periods')
    .column('ended_at')
    .execute();

  await db.schema
    .createTable('check_rollup_marks')
    .addColumn('resolution_ms', 'bigint', (c) => c.primaryKey())
    .addColumn('done_until', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops the check tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'check_rollup_marks',
    'check_periods',
    'check_rollups',
    'check_results',
    'checks',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
