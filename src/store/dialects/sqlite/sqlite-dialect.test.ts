import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { runDialectConformance, type ScratchStore } from '../dialect-conformance.ts';
import { openStore } from '../../open-store.ts';
import { openTestStore } from '../../../testing/open-test-store.ts';
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
