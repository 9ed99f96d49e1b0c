import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDialectConformance, type ScratchStore } from '../dialect-conformance.ts';
import { openStore } from '../../open-store.ts';
import { openTestStore } from '../../../testing/open-test-store.ts';
import { sqlitePageSize } from './node-sqlite-dialect.ts';
import { sqliteDialect, type SqliteLocation } from './sqlite-dialect.ts';

/** Runs `work` on a second store of the same file, waiting 1 ms for locks, while another connection holds the write lock. */
async function whileLocked(
  store: ScratchStore<SqliteLocation>,
  work: (impatient: Awaited<ReturnType<typeof openStore>>) => Promise<unknown>,
): Promise<unknown> {
  const other = new DatabaseSync(store.location.path);
  other.exec('begin immediate'); // what a concurrent `candor ingest` holds while it writes
  const impatient = await openStore(store.location, { migrate: false, busyTimeoutMs: 1 });
  try {
    return await work(impatient).then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    other.exec('rollback');
    other.close();
    await impatient.close();
  }
}

const token = () => ({
  id: randomUUID(),
  name: 'locked',
  scopes: 'read',
  secret_sha256: randomUUID(),
  created_at: '2026-11-20T10:00:00.000Z',
  revoked_at: null,
});

runDialectConformance<SqliteLocation>({
  dialect: sqliteDialect,
  openScratch: async () => (await openTestStore('sqlite')) as ScratchStore<SqliteLocation>,
  locations: [
    { value: 'ci.db', location: { kind: 'sqlite', path: '/repo/ci.db' }, described: '/repo/ci.db' },
    {
      value: 'sqlite://ci.db',
      location: { kind: 'sqlite', path: '/repo/ci.db' },
      described: '/repo/ci.db',
    },
    {
      value: 'sqlite:///var/ci.db',
      location: { kind: 'sqlite', path: '/var/ci.db' },
      described: '/var/ci.db',
    },
    {
      value: 'FILE:///var/ci.db',
      location: { kind: 'sqlite', path: '/var/ci.db' },
      described: '/var/ci.db',
    },
    { value: ':memory:', location: { kind: 'sqlite', path: ':memory:' }, described: ':memory:' },
  ],
  foreign: ['postgres://u@h/d', 'postgresql://h/d', 'mysql://root@127.0.0.1/x', 'https://h/db'],
  retryableErrors: [
    {
      name: 'SQLITE_BUSY on a write while another connection holds BEGIN IMMEDIATE',
      provoke: (store) =>
        whileLocked(store, (impatient) =>
          impatient.db.insertInto('api_tokens').values(token()).execute(),
        ),
    },
    {
      name: 'SQLITE_BUSY on BEGIN IMMEDIATE while another connection holds it',
      provoke: (store) =>
        whileLocked(store, (impatient) =>
          impatient.db
            .transaction()
            .execute((trx) => trx.selectFrom('api_tokens').select('id').execute()),
        ),
    },
  ],
  skip: [
    {
      reason: 'SQLite has no schemas: one file is one store (supportsSchemas is false)',
      tests: ['keeps two schemas of one database apart'],
    },
  ],
});

describe('the page size of a store file (docs/adr/0055)', () => {
  const pageSize = (path: string) => {
    const db = new DatabaseSync(path);
    try {
      return (db.prepare('pragma page_size').get() as { page_size: number }).page_size;
    } finally {
      db.close();
    }
  };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-page-size-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  /** A file made at SQLite's former default, 4 KiB pages, in WAL mode, with one row kept. */
  const oldFile = () => {
    const path = join(dir, 'old.db');
    const old = new DatabaseSync(path);
    old.exec('pragma page_size = 4096; pragma journal_mode = wal; create table kept (x integer)');
    old.exec('insert into kept values (42)');
    old.close();
    return path;
  };

  it('makes a new file with 16 KiB pages', async () => {
    const path = join(dir, 'new.db');
    const store = await openStore({ kind: 'sqlite', path });
    await store.close();
    expect(sqlitePageSize).toBe(16_384);
    expect(pageSize(path)).toBe(sqlitePageSize);
  });

  it('leaves the page size of an existing file as it is, and its rows readable', async () => {
    const path = oldFile();
    const store = await openStore({ kind: 'sqlite', path });
    const { rows } = await sql<{ x: number }>`select x from kept`.execute(store.db);
    await store.close();
    expect(rows).toEqual([{ x: 42 }]);
    expect(pageSize(path)).toBe(4096);
  });

  it('gives an existing file 16 KiB pages with vacuum, back in WAL mode, rows kept', async () => {
    const path = oldFile();
    const store = await openStore({ kind: 'sqlite', path });
    try {
      const outcome = await store.capabilities.vacuum(store.db);
      expect(outcome.pageSize).toEqual({ before: 4096, after: sqlitePageSize });
      const { rows } = await sql<{ x: number }>`select x from kept`.execute(store.db);
      expect(rows).toEqual([{ x: 42 }]);
      const { rows: journal } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(
        store.db,
      );
      expect(journal).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await store.close();
    }
    expect(pageSize(path)).toBe(sqlitePageSize);
  });

  it('refuses to vacuum while another connection has the file open, changing nothing', async () => {
    const path = join(dir, 'shared.db');
    const store = await openStore({ kind: 'sqlite', path });
    const other = new DatabaseSync(path);
    try {
      other.prepare('select count(*) from api_tokens').get();
      await expect(store.capabilities.vacuum(store.db)).rejects.toThrow(/locked|another process/);
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(rows).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      other.close();
      await store.close();
    }
  });
});
