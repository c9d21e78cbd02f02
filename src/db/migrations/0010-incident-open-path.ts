import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../prepared-query.js';

/**
 * The path that opens an incident from an alert, measured under load (bench:ingest, critical).
 *
 * An index on `incident_services(service_id)`: before opening an incident, ingesting looks for an
 * open incident that lists the alert's service as impacted, and without it that was a scan of
 * every incident's impacted services, growing with each incident.
 *
 * A partial index on the open incidents without a war room: the war-room module looks for them on
 * every engine wake-up (each ingest group with new work is one), and scanned every open incident.
 * Likewise an index on incidents by severity and resolution time, for the postmortem module's look
 * for resolved SEV incidents without a draft, which scanned every incident.
 *
 * Postgres numbers incidents from a sequence instead of the `counters` row. The row is locked by
 * the first incident a transaction opens until that transaction commits, so ingest groups that
 * open incidents queued behind each other; a sequence hands out numbers without a lock. A number
 * taken by a transaction that rolls back is skipped (a gap, as with any Postgres sequence).
 * SQLite has one writer, so its counter row costs nothing and stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('incident_services_service')
    .on('incident_services')
    .columns(['service_id', 'incident_id'])
    .execute();
  await db.schema
    .createIndex('incidents_needing_war_room')
    .on('incidents')
    .columns(['severity', 'created_at'])
    .where((eb) =>
      eb.and([
        eb(sql.ref('war_room_json'), 'is', null),
        eb(sql.ref('status'), '<>', sql.lit('resolved')),
      ]),
    )
    .execute();
  await db.schema
    .createIndex('incidents_severity_resolved')
    .on('incidents')
    .columns(['severity', 'resolved_at'])
    .execute();
  if (!isPostgres(db)) return;
  await sql`create sequence incident_number_seq`.execute(db);
  // Continue after the last number handed out by the counter.
  await sql`select setval('incident_number_seq',
    coalesce((select value from counters where name = 'incident_number'), 0) + 1, false)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_severity_resolved').execute();
  await db.schema.dropIndex('incidents_needing_war_room').execute();
  await db.schema.dropIndex('incident_services_service').execute();
  if (!isPostgres(db)) return;
  await sql`insert into counters (name, value)
    select 'incident_number', last_value - (case when is_called then 0 else 1 end)
    from incident_number_seq
    on conflict (name) do update set value = excluded.value`.execute(db);
  await sql`drop sequence incident_number_seq`.execute(db);
}
