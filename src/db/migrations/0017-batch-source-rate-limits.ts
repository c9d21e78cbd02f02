import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * A key's rate limit now counts events, not requests: an Alertmanager or Grafana request carries
 * many alerts. Their keys still at the old default (600 requests a minute) get the new default for
 * their type (6,000 events a minute), so a busy Alertmanager, whose webhook does not retry a 429,
 * is not refused where it was let through. Limits someone chose stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update integrations set rate_limit_per_minute = 6000 where type in ('alertmanager', 'grafana') and rate_limit_per_minute = 600`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update integrations set rate_limit_per_minute = 600 where type in ('alertmanager', 'grafana') and rate_limit_per_minute = 6000`.execute(
    db,
  );
}
