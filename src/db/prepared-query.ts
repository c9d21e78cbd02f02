import {
  CompiledQuery,
  PostgresAdapter,
  type Compilable,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { Executor } from './database.js';
import type { Database, NewRow } from './schema.js';

/** A hole in a query built once; each run binds a value for it. */
class Slot<K> {
  constructor(readonly key: K) {}
}

/** SQL text and parameters of a query compiled for one dialect; slots stand for run-time values. */
interface Template<K> {
  sql: string;
  parameters: ReadonlyArray<Slot<K> | unknown>;
}

/**
 * Builds and compiles once per dialect (keyed by the adapter's class, which transactions share);
 * returns the compiled template.
 */
function compileOnce<K>(
  templates: Map<unknown, Template<K>>,
  db: Executor,
  build: (db: Executor, slot: (key: K) => Slot<K>) => Compilable<unknown>,
): Template<K> {
  const dialectKey = db.getExecutor().adapter.constructor;
  let template = templates.get(dialectKey);
  if (!template) {
    const compiled = build(db, (key) => new Slot(key)).compile();
    template = { sql: compiled.sql, parameters: compiled.parameters };
    templates.set(dialectKey, template);
  }
  return template;
}

/** Runs a template with each slot bound by `bind` (a value left undefined is bound as NULL). */
function runTemplate<K, R>(
  db: Executor,
  template: Template<K>,
  bind: (key: K) => unknown,
): Promise<QueryResult<R>> {
  const parameters = template.parameters.map((p) =>
    p instanceof Slot ? (bind(p.key as K) ?? null) : p,
  );
  return db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters) as CompiledQuery<R>);
}

/**
 * A query built with Kysely's builders once per dialect and then run with new values, for the
 * few statements the ingest path runs per event. Building and compiling a query costs tens of
 * microseconds (measured: an alert insert of 33 columns ~40 µs, a one-row select ~30 µs), more
 * than SQLite takes to run it; a prepared query costs an array map. The builder passes `slot(name)`
 * wherever a value goes; each run supplies `values[name]` for it (undefined is bound as NULL).
 * The builder must not branch on values: the SQL is fixed at the first run.
 */
export function preparedQuery<V extends Record<string, unknown>, R>(
  build: (db: Executor, slot: <K extends keyof V & string>(name: K) => V[K]) => Compilable<R>,
): (db: Executor, values: V) => Promise<QueryResult<R>> {
  const templates = new Map<unknown, Template<string>>();
  const buildWithSlots = (db: Executor, slot: (key: string) => Slot<string>) =>
    build(db, <K extends keyof V & string>(name: K) => slot(name) as unknown as V[K]);
  return (db, values) =>
    runTemplate<string, R>(
      db,
      compileOnce(templates, db, buildWithSlots),
      (name) => (values as Record<string, unknown>)[name],
    );
}

/**
 * Inserts rows into `table`, setting exactly `columns` (a column missing from a row is NULL), in
 * multi-row statements of at most `chunk` rows: one statement (one round trip on Postgres) per
 * chunk instead of one per row. One template per row count, each built once.
 */
export function preparedInsertMany<T extends keyof Database>(
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  chunk = 100,
): (db: Executor, rows: ReadonlyArray<NewRow<T>>) => Promise<void> {
  type Key = readonly [number, string];
  const templatesByCount = new Map<number, Map<unknown, Template<Key>>>();
  return async (db, rows) => {
    for (let start = 0; start < rows.length; start += chunk) {
      const part = rows.slice(start, start + chunk) as ReadonlyArray<Record<string, unknown>>;
      let templates = templatesByCount.get(part.length);
      if (!templates) templatesByCount.set(part.length, (templates = new Map()));
      const template = compileOnce<Key>(
        templates,
        db,
        (d, slot) =>
          d
            .insertInto(table)
            .values(
              part.map((_, i) =>
                Object.fromEntries(columns.map((c) => [c, slot([i, c])])),
              ) as never,
            ) as never,
      );
      await runTemplate(db, template, ([i, c]) => part[i]![c]);
    }
  };
}

/** A prepared insert of one row (see preparedInsertMany). */
export function preparedInsert<T extends keyof Database>(
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
): (db: Executor, row: NewRow<T>) => Promise<void> {
  const insert = preparedInsertMany(table, columns);
  return (db, row) => insert(db, [row]);
}

/** True when the executor talks to Postgres (for the few statements that differ by dialect). */
export function isPostgres(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
