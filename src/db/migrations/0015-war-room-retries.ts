import type { Kysely } from 'kysely';

/**
 * War rooms are retried. `war_room_tries` holds, per incident, how many tries at opening its
 * Slack war room were made and when the next may start: after a transient failure the backoff,
 * while one runs the end of the node's claim (neither another node nor the next pass starts a
 * second try before it ends or its claim runs out), and the channel name the first try asked for
 * (retries ask for the same one, though the title changed). The incident's `war_room_json`
 * stays null until the room is opened or given up.
 *
 * Open incidents whose room failed transiently before this migration (a Slack 5xx, a rate limit,
 * a timeout that may have left a channel nobody was told about) are tried again, as retries: a
 * channel of the room's name the app is in is adopted rather than duplicated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('war_room_tries')
    .addColumn('incident_id', 'text', (c) =>
      c.primaryKey().references('incidents.id').onDelete('cascade'),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('channel_name', 'text')
    .execute();
  const k = db as Kysely<{
    incidents: {
      id: string;
      status: string;
      war_room_json: string | null;
      war_room_channel_id: string | null;
    };
    war_room_tries: {
      incident_id: string;
      attempts: number;
      due_at: number | null;
      channel_name: string | null;
    };
  }>;
  const failed = await k
    .selectFrom('incidents')
    .select(['id', 'war_room_json'])
    .where('status', '<>', 'resolved')
    .where('war_room_channel_id', 'is', null)
    .where('war_room_json', 'is not', null)
    .execute();
  const transient = /^slack: (http_5\d\d|ratelimited|timeout|request_failed|bad_answer)$/;
  for (const row of failed) {
    let error: unknown;
    try {
      error = (JSON.parse(row.war_room_json!) as { error?: unknown }).error;
    } catch {
      continue;
    }
    if (typeof error !== 'string' || !transient.test(error)) continue;
    await k
      .updateTable('incidents')
      .set({ war_room_json: null })
      .where('id', '=', row.id)
      .execute();
    await k
      .insertInto('war_room_tries')
      .values({ incident_id: row.id, attempts: 1, due_at: null, channel_name: null })
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('war_room_tries').execute();
}
