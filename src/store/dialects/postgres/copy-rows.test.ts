import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../testing/open-test-store.ts';
import { insertRows } from '../../lib/insert-rows.ts';
import type { TestTable } from '../../tables/test.table.ts';
import { copyRows, copyText } from './copy-rows.ts';

/** Text COPY's format and PostgreSQL's text type make trouble of, one per row and all at once. */
const hostile = [
  'a\tb',
  'line\nbreak',
  'carriage\r\nreturn',
  'back\\slash',
  'nul\0in the middle',
  '\\N',
  '\\.',
  'emoji 🦀 and 𝄞',
  '',
  '\\t\\n literally',
  'all: \t\n\\\0\\N🦀',
];

const rowsOf = (prefix: string): TestTable[] =>
  Array.from({ length: 70 }, (_, i) => {
    const text = hostile[i % hostile.length] as string;
    return {
      id: `${prefix}${String(i).padStart(3, '0')}`,
      repo: 'r',
      key: `${prefix}${i} ${text}`,
      name: text,
      classname: i % 3 === 0 ? null : text,
      file: text,
      line: i % 2 === 0 ? null : i,
      suite: `${text} > ${text}`,
      variant: null,
      first_seen_at: '2026-12-01T00:00:00.000Z',
    };
  });

const stored = async (store: TestStore, prefix: string) =>
  (
    await store.db
      .selectFrom('tests')
      .selectAll()
      .where('id', 'like', `${prefix}%`)
      .orderBy('id')
      .execute()
  ).map(({ id, key, ...row }) => ({
    id: id.slice(prefix.length),
    key: key.slice(prefix.length),
    ...row,
  }));

describe('copyText', () => {
  it('writes tabs between values, a newline after each row and \\N for null', () => {
    expect(copyText(['a', 1, null, 'b', 2.5, true], 3)).toBe('a\t1\t\\N\nb\t2.5\tt\n');
  });

  it('escapes backslash, tab, newline and carriage return, and replaces NUL with U+2400', () => {
    expect(copyText(['\\N', 'a\tb\nc\rd\\e\0f'], 2)).toBe('\\\\N\ta\\tb\\nc\\rd\\\\e\u2400f\n');
  });

  it.each([[{ a: 1 }], [Buffer.from('x')], [new Date(0)], [Number.NaN], [Infinity]])(
    'has no text for %o (the caller inserts it with parameters)',
    (value) => {
      expect(copyText(['x', value], 2)).toBeUndefined();
    },
  );
});

describe('COPY on PostgreSQL', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('postgres');
  });
  afterAll(async () => {
    await store.drop();
  });

  it('stores hostile text exactly as parameterised inserts store it', async () => {
    // Kysely's own path: one row per statement, parameters through nulSafeDialect.
    for (const row of rowsOf('k-')) await store.db.insertInto('tests').values(row).execute();
    await store.db.transaction().execute(async (trx) => {
      expect(
        await copyRows(trx, 'tests', Object.keys(rowsOf('c-')[0] ?? {}), flat(rowsOf('c-'))),
      ).toBe(true);
    });
    const byKysely = await stored(store, 'k-');
    expect(byKysely).toHaveLength(70);
    expect(byKysely.some((row) => row.name.includes('\u2400'))).toBe(true);
    expect(await stored(store, 'c-')).toEqual(byKysely);
  });

  it('goes through COPY for many rows from insertRows, leaving out keys already stored', async () => {
    const rows = rowsOf('u-');
    await store.db.transaction().execute(async (trx) => {
      await insertRows(store, trx, 'tests', rows.slice(0, 10), ['id']);
      const renamed = rows.map((row) => ({ ...row, name: 'second' }));
      await insertRows(store, trx, 'tests', renamed, ['id']);
      // A second batch in the same transaction reuses the emptied temporary table.
      await insertRows(store, trx, 'tests', renamed, ['id']);
    });
    const after = await stored(store, 'u-');
    expect(after).toHaveLength(70);
    expect(after.filter((row) => row.name === 'second')).toHaveLength(60);
    expect(after.slice(0, 10).map((row) => row.name)).toEqual(
      rows.slice(0, 10).map((row) => row.name.replaceAll('\0', '\u2400')),
    );
  });

  it('writes rows probed absent straight in, and takes the conflict-safe path when one is stored after all', async () => {
    const rows = rowsOf('p-');
    await insertRows(store, store.db, 'tests', rows.slice(0, 5));
    await store.db.transaction().execute(async (trx) => {
      const renamed = rows.map((row) => ({ ...row, name: 'probed' }));
      await insertRows(store, trx, 'tests', renamed, ['id'], { probedAbsent: true });
      // The savepoint undid only the failed COPY: the transaction goes on.
      await insertRows(store, trx, 'tests', rowsOf('q-'), ['id'], { probedAbsent: true });
    });
    const after = await stored(store, 'p-');
    expect(after).toHaveLength(70);
    expect(after.filter((row) => row.name === 'probed')).toHaveLength(65);
    expect(await stored(store, 'q-')).toHaveLength(70);
  });

  it('waits for a concurrent writer of a row probed absent, then leaves that row out', async () => {
    const rows = rowsOf('w-');
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    const first = store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tests')
        .values({ ...(rows[30] as TestTable), name: 'first writer' })
        .execute();
      firstInserted();
      await firstMayCommit;
    });
    await inserted;
    const second = store.db.transaction().execute(async (trx) => {
      await insertRows(store, trx, 'tests', rows, ['id'], { probedAbsent: true });
    });
    // Whether the second COPY is already waiting on the row or starts after the commit, it
    // meets a unique violation and falls back.
    setTimeout(commitFirst, 200);
    await Promise.all([first, second]);
    const after = await stored(store, 'w-');
    expect(after).toHaveLength(70);
    expect(after[30]?.name).toBe('first writer');
  });

  it('declines an upsert outside a transaction, so the caller inserts with parameters', async () => {
    const rows = rowsOf('o-');
    expect(await copyRows(store.db, 'tests', Object.keys(rows[0] ?? {}), flat(rows), ['id'])).toBe(
      false,
    );
    await insertRows(store, store.db, 'tests', rows, ['id']);
    expect(await stored(store, 'o-')).toHaveLength(70);
  });

  it('rolls the COPY back with its transaction', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insertRows(store, trx, 'tests', rowsOf('r-'));
        expect(await stored(store, 'r-')).toHaveLength(0); // not visible outside the transaction
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await stored(store, 'r-')).toHaveLength(0);
  });

  it('fails with what PostgreSQL says for a row it refuses, and the connection stays usable', async () => {
    const rows = rowsOf('n-').map((row, i) => (i === 40 ? { ...row, name: null } : row));
    await expect(
      store.db.transaction().execute((trx) => insertRows(store, trx, 'tests', rows as TestTable[])),
    ).rejects.toThrow(/null value in column "name"/);
    expect(await stored(store, 'n-')).toHaveLength(0);
    await insertRows(store, store.db, 'tests', rowsOf('n-'));
    expect(await stored(store, 'n-')).toHaveLength(70);
  });
});

function flat(rows: readonly TestTable[]): unknown[] {
  return rows.flatMap((row) => Object.values(row));
}
