import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../prepared-query.js';

/**
 * The ingest fast path's schema. What ingesting reads and rarely changes (teams' names, services and their settings,
 * integrations, event rules, silences, maintenance windows, inhibition rules) is cached in memory;
 * one counter says when to drop the caches. Triggers bump it on every write to those tables, so
 * no code path (a service, the CLI, a restore, another node) can forget to. An integration's
 * `last_event_at` touch does not count: it changes nothing ingesting decides on.
 */
const watched: Array<{ table: string; updateOf?: string[] }> = [
  { table: 'teams', updateOf: ['name'] },
  { table: 'services' },
  {
    table: 'integrations',
    updateOf: [
      'service_id',
      'type',
      'name',
      'key_hash',
      'config_json',
      'rate_limit_per_minute',
      'disabled_at',
    ],
  },
  { table: 'event_rules' },
  { table: 'silences' },
  { table: 'maintenance_windows' },
  { table: 'inhibit_rules' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // Two alert indexes become partial: most alerts (PagerDuty events, low severities) have no
  // incident and no endsAt, and an insert no longer pays for their entries. The queries that use
  // them (an incident's alerts; open alerts past their endsAt) imply the conditions.
  await db.schema.dropIndex('alerts_incident').execute();
  await db.schema
    .createIndex('alerts_incident')
    .on('alerts')
    .column('incident_id')
    .where(sql.ref('incident_id'), 'is not', null)
    .execute();
  await db.schema.dropIndex('alerts_ends_at').execute();
  await db.schema
    .createIndex('alerts_open_ends_at')
    .on('alerts')
    .column('ends_at')
    .where((eb) =>
      eb.and([
        eb(sql.ref('status'), '<>', sql.lit('resolved')),
        eb(sql.ref('ends_at'), 'is not', null),
      ]),
    )
    .execute();

  await db.schema
    .createTable('config_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into config_version (id, version) values (1, 0)`.execute(db);
  const bump = 'update config_version set version = version + 1 where id = 1';
  if (isPostgres(db)) {
    await sql
      .raw(
        `create function tocsin_bump_config_version() returns trigger language plpgsql as $$ ` +
          `begin ${bump}; return null; end $$`,
      )
      .execute(db);
    for (const { table, updateOf } of watched) {
      const update = updateOf ? `update of ${updateOf.join(', ')}` : 'update';
      await sql
        .raw(
          `create trigger ${table}_config_version after insert or delete or ${update} on ${table} ` +
            `for each statement execute function tocsin_bump_config_version()`,
        )
        .execute(db);
    }
    return;
  }
  for (const { table, updateOf } of watched) {
    const events = ['insert', 'delete', updateOf ? `update of ${updateOf.join(', ')}` : 'update'];
    for (const [i, event] of events.entries()) {
      await sql
        .raw(
          `create trigger ${table}_config_version_${i} after ${event} on ${table} ` +
            `begin ${bump}; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    for (const { table } of watched)
      await sql.raw(`drop trigger if exists ${table}_config_version on ${table}`).execute(db);
    await sql.raw('drop function if exists tocsin_bump_config_version()').execute(db);
  } else {
    for (const { table } of watched)
      for (const i of [0, 1, 2])
        await sql.raw(`drop trigger if exists ${table}_config_version_${i}`).execute(db);
  }
  await db.schema.dropTable('config_version').execute();
  await db.schema.dropIndex('alerts_open_ends_at').execute();
  await db.schema
    .createIndex('alerts_ends_at')
    .on('alerts')
    .columns(['status', 'ends_at'])
    .execute();
  await db.schema.dropIndex('alerts_incident').execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();
}
