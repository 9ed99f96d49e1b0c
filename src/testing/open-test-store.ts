import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store, type StoreLocation } from '../store/open-store.ts';

/** Test support: the dialects every repository test runs on. */
export const testDialects = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof testDialects)[number];

/** The PostgreSQL server tests use: `CANDOR_TEST_DATABASE_URL`, else the local one. */
export const testPostgresUrl =
  process.env['CANDOR_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestStore = Store & {
  /** A `--db` value (or `CANDOR_DATABASE_URL`) that opens this same store from another process. */
  url: string;
  /** Closes the store and deletes its file or schema. */
  drop(): Promise<void>;
};

/** A fresh, empty, migrated store: a temporary SQLite file, or a new PostgreSQL schema. */
export async function openTestStore(dialect: TestDialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'candor-test-'));
    const location: StoreLocation = { kind: 'sqlite', path: join(dir, 'candor.db') };
    const store = await openStore(location);
    return {
      ...store,
      url: location.path,
      drop: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `candor_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openStore({ kind: 'postgres', url: testPostgresUrl, schema });
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema);
  return {
    ...store,
    url: url.toString(),
    drop: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
