import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dialectIds, dialects, type DialectId } from '../store/dialects/dialects.ts';
import type { StoreDialect } from '../store/dialects/store-dialect.ts';
import { openStore, type Store, type StoreLocation } from '../store/open-store.ts';

/** Test support: the dialects every storage test runs on, which is every registered dialect. */
export const testDialects: readonly DialectId[] = dialectIds;
export type TestDialect = DialectId;

/** The PostgreSQL server tests use: `CANDOR_TEST_DATABASE_URL`, else the local one. */
export function testPostgresUrl(): string {
  return process.env['CANDOR_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Where a dialect's scratch stores go, and what to remove once one is dropped. */
type ScratchPlace = { value: string; remove?: () => void };

/**
 * Per dialect, the database scratch stores are made in: a file in a new temporary directory, or
 * the test server, where each store gets a schema of its own. Read when a store is opened.
 */
const scratchPlaces = {
  sqlite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-test-'));
    return {
      value: join(dir, 'candor.db'),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  postgres: () => ({ value: testPostgresUrl() }),
} satisfies Record<DialectId, () => ScratchPlace>;

export type TestStore = Store & {
  /** A `--db` value (or `CANDOR_DATABASE_URL`) that opens this same store from another process. */
  url: string;
  /** Closes the store and deletes its file or schema. */
  drop(): Promise<void>;
};

/**
 * A fresh, empty, migrated store of a dialect, through the registry: a new SQLite file, or a new
 * schema on the PostgreSQL test server (dialects with schemas get one per store).
 * Throws CandorError `database` when the database cannot be reached.
 */
export async function openTestStore(dialect: TestDialect): Promise<TestStore> {
  const implementation = dialects[dialect] as unknown as StoreDialect<StoreLocation>;
  const place: ScratchPlace = scratchPlaces[dialect]();
  let location = implementation.parseLocation(place.value, process.cwd());
  if (implementation.inSchema) {
    location = implementation.inSchema(location, `candor_test_${randomUUID().replaceAll('-', '')}`);
  }
  const schema = implementation.schemaOf?.(location);
  let store: Store;
  try {
    store = await openStore(location);
  } catch (error) {
    place.remove?.();
    throw error;
  }
  return {
    ...store,
    url: implementation.toValue(location),
    drop: async () => {
      try {
        if (schema !== undefined) await store.db.schema.dropSchema(schema).cascade().execute();
      } finally {
        await store.close();
        place.remove?.();
      }
    },
  };
}
