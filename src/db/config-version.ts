import type { Kysely } from 'kysely';
import { preparedQuery } from './prepared-query.js';
import type { Database } from './schema.js';

const selectVersion = preparedQuery<Record<string, never>, { version: number }>((db) =>
  db.selectFrom('config_version').select('version').where('id', '=', 1),
);

/**
 * Reads the configuration counter (migration 0009) for the in-memory caches of the ingest path.
 * Reads are shared: callers that ask while a read is in flight get its answer, so a burst of
 * requests costs one query (a round trip on Postgres) rather than one each.
 */
export class ConfigVersion {
  private inFlight: Promise<number> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** The counter now (or as of a read that began moments ago, while this call was waiting). */
  current(): Promise<number> {
    if (!this.inFlight) {
      this.inFlight = selectVersion(this.db, {})
        .then((r) => Number(r.rows[0]?.version ?? 0))
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  /** A fresh read (not shared), for a decision that must see every write committed before it. */
  async fresh(): Promise<number> {
    return Number((await selectVersion(this.db, {})).rows[0]?.version ?? 0);
  }
}
