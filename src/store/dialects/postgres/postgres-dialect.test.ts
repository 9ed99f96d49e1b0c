import { randomUUID } from 'node:crypto';
import { sql, type ControlledTransaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runDialectConformance, type ScratchStore } from '../dialect-conformance.ts';
import type { Database } from '../../tables/database.ts';
import { openTestStore } from '../../../testing/open-test-store.ts';
import { postgresDialect, type PostgresLocation } from './postgres-dialect.ts';

type Scratch = ScratchStore<PostgresLocation>;

/** Two rows to fight over. */
async function insertTokens(store: Scratch, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await store.db
    .insertInto('api_tokens')
    .values(
      ids.map((id) => ({
        id,
        name: 'contended',
        scopes: 'read',
        secret_sha256: randomUUID(),
        created_at: '2026-11-20T10:00:00.000Z',
        revoked_at: null,
      })),
    )
    .execute();
  return ids;
}

const rename = (db: Scratch['db'] | ControlledTransaction<Database>, id: string, name: string) =>
  db.updateTable('api_tokens').set({ name }).where('id', '=', id).execute();

/** The error a statement fails with, after rolling its transaction back; undefined if it worked. */
const failureOf = (trx: ControlledTransaction<Database>, statement: Promise<unknown>) =>
  statement.then(
    () => undefined,
    async (error: unknown) => {
      await trx.rollback().execute();
      return error;
    },
  );

const rollBack = async (trx: ControlledTransaction<Database>) => {
  if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
};

runDialectConformance<PostgresLocation>({
  dialect: postgresDialect,
  openScratch: async () => (await openTestStore('postgres')) as Scratch,
  locations: [
    {
      value: 'postgres://u@h:5432/d?schema=ci',
      location: { kind: 'postgres', url: 'postgres://u@h:5432/d', schema: 'ci' },
      described: 'postgres://u@h:5432/d (schema ci)',
    },
    {
      value: 'postgresql://u:secret@h/d',
      location: { kind: 'postgres', url: 'postgresql://u:secret@h/d' },
      described: 'postgresql://u@h/d',
    },
    {
      value: 'POSTGRES://h/d?sslmode=require',
      location: { kind: 'postgres', url: 'postgres://h/d?sslmode=require' },
      described: 'postgres://h/d?sslmode=require',
    },
  ],
  // ICU's root locale: PostgreSQL builds with ICU (the usual packages) have it.
  localeCollation: 'und-x-icu',
  foreign: ['ci.db', 'sqlite://ci.db', ':memory:', 'mysql://root@127.0.0.1/x', 'postgres:/x'],
  retryableErrors: [
    {
      name: 'a serialisation failure (40001): a repeatable-read update of a row changed since',
      async provoke(store) {
        const [id] = (await insertTokens(store, 1)) as [string];
        const trx = await store.db
          .startTransaction()
          .setIsolationLevel('repeatable read')
          .execute();
        try {
          await trx.selectFrom('api_tokens').select('id').where('id', '=', id).execute();
          await rename(store.db, id, 'changed by another writer');
          return await failureOf(trx, rename(trx, id, 'mine'));
        } finally {
          await rollBack(trx);
        }
      },
    },
    {
      name: 'a deadlock (40P01): two transactions each waiting for the row the other holds',
      async provoke(store) {
        const [first, second] = (await insertTokens(store, 2)) as [string, string];
        const a = await store.db.startTransaction().execute();
        const b = await store.db.startTransaction().execute();
        try {
          await rename(a, first, 'a');
          await rename(b, second, 'b');
          const errors = await Promise.all([
            failureOf(a, rename(a, second, 'a')),
            failureOf(b, rename(b, first, 'b')),
          ]);
          return errors.find((error) => error !== undefined);
        } finally {
          await rollBack(a);
          await rollBack(b);
        }
      },
    },
  ],
});

describe('leaveRoomForUpdates on PostgreSQL', () => {
  it('makes the recent daily stats with half-full pages, so updates stay on their page', async () => {
    const store = await openTestStore('postgres');
    try {
      const { rows } = await sql<{ options: string[] | null }>`select reloptions as options
        from pg_class where oid = 'test_daily_recent'::regclass`.execute(store.db);
      expect(rows[0]?.options).toEqual(['fillfactor=50']);
    } finally {
      await store.drop();
    }
  });
});
