import { CompiledQuery } from 'kysely';
import type { CopyRowsOptions } from '../dialects/store-dialect.ts';
import type { Store } from '../open-store.ts';
import type { Database, Db } from '../tables/database.ts';
import { batches } from './batches.ts';

/** SQL of multi-row inserts by shape, compiled by Kysely once per store (it is the hot path). */
const insertSql = new WeakMap<Store, Map<string, string>>();

/** Fewer rows than this are not worth a COPY's extra statements (a temporary table, an INSERT). */
const minRowsToCopy = 64;

/**
 * Inserts rows in statements sized by the batching policy, each compiled once per shape (table,
 * columns, row count, conflict target) and then run with new parameters, so a prepared statement
 * is reused. Every row must have the columns of the first, in the same order. With `onConflict`,
 * rows whose key is already stored are left out. Many rows go the dialect's bulk path when it has
 * one (`copyRows`: PostgreSQL COPY), with `options` (rows probed absent). Throws what the database throws.
 */
export async function insertRows<T extends keyof Database>(
  store: Store,
  db: Db,
  table: T,
  rows: readonly Database[T][],
  onConflict?: (keyof Database[T] & string)[],
  options?: CopyRowsOptions,
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first) as (keyof Database[T] & string)[];
  let cache = insertSql.get(store);
  if (!cache) insertSql.set(store, (cache = new Map<string, string>()));
  const { copyRows } = store.capabilities;
  if (copyRows !== undefined && rows.length >= minRowsToCopy) {
    const values = valuesOf(rows, columns);
    if (await copyRows(db, table, columns, values, onConflict, options)) return;
  }
  for (const chunk of batches(store.capabilities, rows, columns.length)) {
    const shape = `${table}|${columns.join(',')}|${chunk.length}|${onConflict?.join(',') ?? ''}`;
    let text = cache.get(shape);
    if (text === undefined) {
      const placeholders = chunk.map(() => Object.fromEntries(columns.map((c) => [c, null])));
      // Kysely's generic insert types cannot follow a table chosen at run time.
      const query = db.insertInto(table).values(placeholders as never);
      text = (
        onConflict ? query.onConflict((oc) => oc.columns(onConflict).doNothing()) : query
      ).compile().sql;
      cache.set(shape, text);
    }
    await db.executeQuery(CompiledQuery.raw(text, valuesOf(chunk, columns)));
  }
}

/** The rows' values one after the other, in an array made at its size (no growth as it fills). */
function valuesOf<R>(rows: readonly R[], columns: readonly (keyof R)[]): unknown[] {
  const values = new Array<unknown>(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const column of columns) values[i++] = row[column];
  return values;
}
