import type { Kysely } from 'kysely';

/**
 * `notification_rules.is_default`: 1 for the rule Tocsin creates when a person verifies their
 * first contact method while they have no rule (an immediate high-urgency page to it, as
 * PagerDuty's default rules), so that a person is never paged silently. The first high-urgency
 * rule the person adds themselves replaces it. Existing rules are their owners' own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('notification_rules')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notification_rules').dropColumn('is_default').execute();
}
