import { postgresDialect } from './postgres/postgres-dialect.ts';
import { sqliteDialect } from './sqlite/sqlite-dialect.ts';
import type { StoreDialect } from './store-dialect.ts';

/**
 * Every store dialect by id: the only way to one (nothing imports an implementation). Adding a
 * dialect is a folder `store/dialects/<id>/` and one line here (docs/adr/0012).
 */
export const dialects = {
  sqlite: sqliteDialect,
  postgres: postgresDialect,
} satisfies Record<string, StoreDialect>;

export type DialectId = keyof typeof dialects;
export const dialectIds = Object.keys(dialects) as DialectId[];

type LocationOf<D> = D extends { parseLocation(value: string, cwd: string): infer L } ? L : never;

/** Where the data lives: a location of one of the dialects, tagged by its `kind`. */
export type StoreLocation = { [K in DialectId]: LocationOf<(typeof dialects)[K]> }[DialectId];

/** The dialect of a location. Never throws. */
export function dialectOf<L extends StoreLocation>(location: L): StoreDialect<L> {
  // The registry is keyed by `kind`: the entry found is the dialect of exactly this location type.
  return dialects[location.kind] as unknown as StoreDialect<L>;
}

/** The dialect that accepts a `--db` value, or undefined when none does. Never throws. */
export function findDialect(value: string): StoreDialect<StoreLocation> | undefined {
  for (const id of dialectIds) {
    const dialect = dialects[id] as unknown as StoreDialect<StoreLocation>;
    if (dialect.accepts(value)) return dialect;
  }
  return undefined;
}
