import type { Kysely } from 'kysely';

/**
 * Wrong verification codes entered for a contact method: after five the code is void, so a
 * six-digit code cannot be guessed (a user could otherwise claim someone else's phone number or
 * address by trying codes, and have Tocsin page it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('contact_methods')
    .addColumn('verification_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contact_methods').dropColumn('verification_attempts').execute();
}
