import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';

/**
 * Every migration, in order. One set serves SQLite and Postgres: migrations use only the schema
 * builder's portable column types (text, integer, bigint). Adding one = one file + one line here.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
};
