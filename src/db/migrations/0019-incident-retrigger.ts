import type { Kysely } from 'kysely';

/**
 * The re-trigger timer of an acknowledged incident (PagerDuty's acknowledgement timeout and
 * snooze): `retrigger_at`, when it goes back to triggered and escalation restarts at level 1 if
 * it is still acknowledged; `retrigger_reason` (`ack_timeout` | `snooze`); `retrigger_set_at`,
 * when the timer was set (the acknowledgement or the snooze). The index serves the engine's scan
 * of due timers. Existing incidents get no timer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, type] of [
    ['retrigger_at', 'bigint'],
    ['retrigger_reason', 'text'],
    ['retrigger_set_at', 'bigint'],
  ] as const)
    await db.schema.alterTable('incidents').addColumn(name, type).execute();
  await db.schema
    .createIndex('incidents_retrigger')
    .on('incidents')
    .column('retrigger_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_retrigger').ifExists().execute();
  for (const name of ['retrigger_set_at', 'retrigger_reason', 'retrigger_at'])
    await db.schema.alterTable('incidents').dropColumn(name).execute();
}
