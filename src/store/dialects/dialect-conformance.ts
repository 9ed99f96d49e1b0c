import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCandorError } from '../../core/lib/candor-error.ts';
import { batches } from '../lib/batches.ts';
import { openStore, retryWrites, type Store } from '../open-store.ts';
import type { ApiTokenTable } from '../tables/api-token.table.ts';
import { nulReplacement } from './nul-safe-dialect.ts';
import type { StoreLocation } from './dialects.ts';
import type { StoreDialect } from './store-dialect.ts';

/** A fresh, empty, migrated store for the suite; `drop()` closes it and removes its data. */
export type ScratchStore<L extends StoreLocation> = Store & {
  readonly location: L;
  drop(): Promise<void>;
};

/** A way to make the database itself fail with "another writer holds the lock". */
export type RetryableErrorSample<L extends StoreLocation> = {
  /** What it provokes, e.g. `SQLITE_BUSY while another connection holds BEGIN IMMEDIATE`. */
  name: string;
  /** Makes the error happen on `store`'s database and returns it; leaves no lock behind. */
  provoke(store: ScratchStore<L>): Promise<unknown>;
};

/** The cases of the suite, by name: what `skip` may name. */
export const dialectConformanceTests = [
  'accepts its own locations and reads them',
  'refuses the locations of other dialects',
  'names a location again with toValue',
  'describes a location without credentials',
  'declares schema support consistently',
  'declares movesRowsInOneStatement truthfully',
  'carries maxParameters parameters in one statement',
  'stores a NUL character as U+2400 and finds it by the text as sent',
  'orders text by code point with binaryTextOrder',
  "joins a group's text in the order asked with concatInOrder",
  'finds the keys a table does not hold with absentKeys',
  'finds absent keys that come in hexadecimal clusters with absentKeys',
  'keeps a table made with clusterByPrimaryKey keyed and ordered',
  'numbers rows with rowNumbers, also for writers at the same time',
  'streams every row in chunks',
  'vacuums the store keeping every row, and writes after it',
  'tells a lock held by another writer from a constraint violation',
  'retryWrites runs a write again after a retryable failure',
  'retryWrites gives up after writeRetryMs naming the store and what to do',
  'keeps two schemas of one database apart',
] as const;
export type DialectConformanceTest = (typeof dialectConformanceTests)[number];

export type DialectConformanceOptions<L extends StoreLocation> = {
  dialect: StoreDialect<L>;
  /** A fresh store of this dialect per call. */
  openScratch(): Promise<ScratchStore<L>>;
  /**
   * `--db` values this dialect accepts, each with the location it names when read from `/repo`
   * and how `describe` shows it.
   */
  locations: readonly { value: string; location: L; described: string }[];
  /** Values this dialect must leave to others (other dialects' locations, unknown schemes). */
  foreign: readonly string[];
  /**
   * A collation of this database that does not sort by code point (a locale's), for the ordering
   * case to declare its column with: `binaryTextOrder` must win over it. Without one, the column
   * has the database's default collation.
   */
  localeCollation?: string;
  /** At least one real retryable error, made in the test. */
  retryableErrors: readonly [RetryableErrorSample<L>, ...RetryableErrorSample<L>[]];
  /**
   * Cases that cannot hold for this dialect, each with the reason, which its readme repeats.
   * A skipped case is not registered at all.
   */
  skip?: readonly { reason: string; tests: readonly DialectConformanceTest[] }[];
};

let tokens = 0;
/** An api_tokens row (a table every store has, with text columns and a unique key). */
function tokenRow(overrides: Partial<ApiTokenTable> = {}): ApiTokenTable {
  const n = ++tokens;
  return {
    id: `t${n}-${randomUUID()}`,
    name: `token ${n}`,
    scopes: 'read',
    secret_sha256: randomUUID(),
    created_at: '2026-11-20T10:00:00.000Z',
    revoked_at: null,
    ...overrides,
  };
}

/**
 * The behaviour every store dialect must have (Hono's shared router suite, for databases):
 * registers one `describe` with an `it` per case, on a scratch store of the dialect. Each
 * dialect's own test calls it with its samples.
 */
export function runDialectConformance<L extends StoreLocation>(
  options: DialectConformanceOptions<L>,
): void {
  const { dialect } = options;
  const skipped = new Set<string>();
  for (const { reason, tests } of options.skip ?? []) {
    if (reason.trim() === '') throw new Error(`a skip of ${tests.join(', ')} needs a reason`);
    for (const test of tests) skipped.add(test);
  }
  const test = (name: DialectConformanceTest, body: () => Promise<void> | void) => {
    if (!skipped.has(name)) it(name, body);
  };

  describe(`store dialect ${dialect.id} (conformance)`, () => {
    let store: ScratchStore<L>;
    beforeAll(async () => {
      store = await options.openScratch();
    });
    afterAll(async () => {
      await store.drop();
    });

    /**
     * Runs `work` with `count` scratch tables of one text primary key `k`, holding `rows` (the
     * first table) and nothing (the others), then drops them.
     */
    const withKeyTables = async (
      count: number,
      rows: readonly string[],
      work: (tables: string[]) => Promise<void>,
    ) => {
      const tables = Array.from(
        { length: count },
        () => `conformance_${randomUUID().replaceAll('-', '')}`,
      );
      const db = store.db.withTables<Record<string, { k: string }>>();
      for (const table of tables) {
        await db.schema
          .createTable(table)
          .addColumn('k', 'text', (c) => c.primaryKey())
          .execute();
      }
      try {
        if (rows.length > 0)
          await db
            .insertInto(tables[0]!)
            .values(rows.map((k) => ({ k })))
            .execute();
        await work(tables);
      } finally {
        for (const table of tables) await db.schema.dropTable(table).execute();
      }
    };

    test('accepts its own locations and reads them', () => {
      for (const sample of options.locations) {
        expect(dialect.accepts(sample.value), sample.value).toBe(true);
        expect(dialect.parseLocation(sample.value, '/repo')).toEqual(sample.location);
        expect(sample.location.kind).toBe(dialect.id);
      }
    });

    test('refuses the locations of other dialects', () => {
      for (const value of options.foreign) expect(dialect.accepts(value), value).toBe(false);
    });

    test('names a location again with toValue', () => {
      for (const { location } of [...options.locations, { location: store.location }]) {
        expect(dialect.parseLocation(dialect.toValue(location), '/elsewhere')).toEqual(location);
      }
    });

    test('describes a location without credentials', () => {
      for (const sample of options.locations) {
        expect(dialect.describe(sample.location)).toBe(sample.described);
      }
    });

    test('declares schema support consistently', () => {
      const supported = store.capabilities.supportsSchemas;
      expect(dialect.schemaOf !== undefined).toBe(supported);
      expect(dialect.inSchema !== undefined).toBe(supported);
    });

    test('declares movesRowsInOneStatement truthfully', async () => {
      await withKeyTables(2, ['a', 'b'], async ([from, to]) => {
        const db = store.db.withTables<Record<string, { k: string }>>();
        const move = sql`with moved as (delete from ${sql.table(from!)} where k < 'b' returning k)
          insert into ${sql.table(to!)} (k) select k from moved`.execute(store.db);
        if (store.capabilities.movesRowsInOneStatement) {
          await move;
          const left = await db.selectFrom(from!).select('k').execute();
          const moved = await db.selectFrom(to!).select('k').execute();
          expect([left, moved]).toEqual([[{ k: 'b' }], [{ k: 'a' }]]);
        } else {
          await expect(move).rejects.toThrow();
        }
      });
    });

    test('carries maxParameters parameters in one statement', async () => {
      const ids = Array.from({ length: store.capabilities.maxParameters }, (_, i) => `id-${i}`);
      const row = await store.db
        .selectFrom('api_tokens')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('id', 'in', ids)
        .executeTakeFirstOrThrow();
      expect(Number(row.n)).toBe(0);
    });

    test('stores a NUL character as U+2400 and finds it by the text as sent', async () => {
      await store.db
        .insertInto('delivery_events')
        .values({
          source: 'nul',
          id: 'e\u00001',
          type: 'deploy_started',
          occurred_at: '2026-11-20T10:00:00.000Z',
          received_at: '2026-11-20T10:00:00.000Z',
          service: 'a\u0000b',
          environment: null,
          commit_sha: null,
          commits: null,
          deployment: null,
          incident: null,
          result: null,
          attributes: JSON.stringify({ note: 'x\u0000y' }),
        })
        .execute();
      const rows = await store.db
        .selectFrom('delivery_events')
        .selectAll()
        .where('service', '=', 'a\u0000b')
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: `e${nulReplacement}1`, service: `a${nulReplacement}b` });
      // JSON text escapes NUL itself, so attributes keep it exactly.
      expect(JSON.parse(rows[0]!.attributes!)).toEqual({ note: 'x\u0000y' });
    });

    test('orders text by code point with binaryTextOrder', async () => {
      // Upper case before lower (not a locale's order); U+FF21 before U+1F600, which UTF-16
      // code units would put the other way round.
      const names = ['\u{1F600}', 'b', 'é', 'B', '\uFF21', 'a', 'Z', '_', '1'];
      const byCodePoint = ['1', 'B', 'Z', '_', 'a', 'b', 'é', '\uFF21', '\u{1F600}'];
      const { localeCollation } = options;
      const table = `conformance_${randomUUID().replaceAll('-', '')}`;
      const db = store.db.withTables<Record<string, { name: string }>>();
      await db.schema
        .createTable(table)
        .addColumn('name', 'text', (c) =>
          localeCollation === undefined ? c : c.modifyEnd(sql`collate ${sql.id(localeCollation)}`),
        )
        .execute();
      try {
        await db
          .insertInto(table)
          .values(names.map((name) => ({ name })))
          .execute();
        const ordered = async (binary: boolean) =>
          (
            await db
              .selectFrom(table)
              .select('name')
              .orderBy(
                binary ? store.capabilities.binaryTextOrder(sql.ref('name')) : sql.ref('name'),
              )
              .execute()
          ).map((r) => r.name);
        expect(await ordered(true)).toEqual(byCodePoint);
        // The sample collation bites: without binaryTextOrder the order is another.
        if (localeCollation !== undefined) expect(await ordered(false)).not.toEqual(byCodePoint);
      } finally {
        await db.schema.dropTable(table).execute();
      }
    });

    test("joins a group's text in the order asked with concatInOrder", async () => {
      const table = `conformance_${randomUUID().replaceAll('-', '')}`;
      const db = store.db.withTables<Record<string, { g: string; at: number; code: string }>>();
      await db.schema
        .createTable(table)
        .addColumn('g', 'text', (c) => c.notNull())
        .addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .execute();
      try {
        // Inserted out of order; two codes of one group share a time (the second key decides).
        await db
          .insertInto(table)
          .values([
            { g: 'a', at: 3, code: 'c' },
            { g: 'b', at: 1, code: 'x' },
            { g: 'a', at: 1, code: 'a' },
            { g: 'a', at: 2, code: 'y' },
            { g: 'a', at: 2, code: 'b' },
          ])
          .execute();
        const rows = await db
          .selectFrom(table)
          .select([
            'g',
            store.capabilities
              .concatInOrder(sql.ref('code'), [sql.ref('at'), sql.ref('code')])
              .as('codes'),
          ])
          .groupBy('g')
          .orderBy('g')
          .execute();
        expect(rows).toEqual([
          { g: 'a', codes: 'abyc' },
          { g: 'b', codes: 'x' },
        ]);
      } finally {
        await db.schema.dropTable(table).execute();
      }
    });

    test('finds the keys a table does not hold with absentKeys', async () => {
      const { absentKeys } = store.capabilities;
      if (absentKeys === undefined)
        throw new Error(`${dialect.id} has no absentKeys: skip this case with the reason`);
      const stored = ['b', 'it\'s "quoted"', 'ü \\ ☃', '10'];
      await withKeyTables(1, stored, async ([table]) => {
        const keys = ['z', 'b', 'it\'s "quoted"', 'a', 'ü \\ ☃', '1', '10', 'z2'];
        expect(await absentKeys(store.db, table!, 'k', keys)).toEqual(['z', 'a', '1', 'z2']);
        expect(await absentKeys(store.db, table!, 'k', stored)).toEqual([]);
        expect(await absentKeys(store.db, table!, 'k', [])).toEqual([]);
        // More keys than a statement may carry parameters: the keys are not one parameter each.
        const many = Array.from(
          { length: store.capabilities.maxParameters + 1 },
          (_, i) => `m${i}`,
        );
        expect(await absentKeys(store.db, table!, 'k', many)).toEqual(many);
      });
    });

    test('finds absent keys that come in hexadecimal clusters with absentKeys', async () => {
      const { absentKeys } = store.capabilities;
      if (absentKeys === undefined)
        throw new Error(`${dialect.id} has no absentKeys: skip this case with the reason`);
      // Clusters of four digits: two small ones, and one holding far more keys than asked for.
      const big = Array.from({ length: 300 }, (_, i) => `cccc${i.toString(16).padStart(4, '0')}`);
      const stored = ['aaaa0001', 'aaaa00ff', 'bbbb1234', 'aaab0000', 'aaa', ...big];
      await withKeyTables(1, stored, async ([table]) => {
        const keys = ['bbbb0000', 'aaaa00ff', 'dddd0001', 'aaaa0001', 'aaaa0002', 'cccc0007'];
        keys.push('aaaf', 'cccc9999', 'bbbb1234', 'aaa0');
        const absent = await absentKeys(store.db, table!, 'k', keys, { hexPrefix: 4 });
        // Every absent key, in the keys' order; a key of a cluster too large to read may be
        // reported absent too (the caller's upsert keeps its conflict clause).
        expect(absent.filter((k) => !k.startsWith('cccc'))).toEqual([
          'bbbb0000',
          'dddd0001',
          'aaaa0002',
          'aaaf',
          'aaa0',
        ]);
        expect(absent).toContain('cccc9999');
        const known = ['aaaa0001', 'bbbb1234'];
        expect(await absentKeys(store.db, table!, 'k', known, { hexPrefix: 4 })).toEqual([]);
        expect(await absentKeys(store.db, table!, 'k', [], { hexPrefix: 4 })).toEqual([]);
      });
    });

    test('numbers rows with rowNumbers, also for writers at the same time', async () => {
      const { rowNumbers } = store.capabilities;
      await withKeyTables(1, ['a', 'b', 'c'], async ([table]) => {
        const name = table!;
        const db = store.db.withTables<Record<string, { k: string; n: number }>>();
        await rowNumbers.add(db as never, name, 'n');
        const numbered = async () =>
          (await db.selectFrom(name).select(['k', 'n']).orderBy('k').execute()).map((r) => ({
            k: r.k,
            n: Number(r.n),
          }));
        const before = await numbered();
        expect(before.map((r) => r.n).sort()).toEqual([1, 2, 3]);
        const insert = (k: string, trx: typeof db = db) =>
          trx
            .insertInto(name)
            .values({ k, n: rowNumbers.next(name, 'n') })
            .execute();
        await insert('d');
        // Two writers at once (PostgreSQL: both transactions open before either commits).
        let release!: () => void;
        const bothInserted = new Promise<void>((resolve) => (release = resolve));
        let inserted = 0;
        const writer = (k: string) =>
          db.transaction().execute(async (trx) => {
            await insert(k, trx);
            if (++inserted === 2) release();
            await Promise.race([bothInserted, new Promise((r) => setTimeout(r, 200))]);
          });
        await Promise.all([writer('e'), writer('f')]);
        // A rolled-back insert takes no row; the next one still gets a number of its own.
        await db
          .transaction()
          .execute(async (trx) => {
            await insert('g', trx);
            throw new Error('roll back');
          })
          .catch(() => undefined);
        await insert('h');
        const after = await numbered();
        expect(after.map((r) => r.k)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'h']);
        const numbers = after.map((r) => r.n);
        expect(new Set(numbers).size).toBe(numbers.length);
        for (const n of numbers) expect(Number.isInteger(n)).toBe(true);
        const byKey = new Map(after.map((r) => [r.k, r.n]));
        // New rows get numbers above the stored ones, in the order they were inserted.
        expect(byKey.get('d')).toBe(4);
        expect(Math.min(byKey.get('e')!, byKey.get('f')!)).toBeGreaterThan(4);
        expect(byKey.get('h')).toBeGreaterThan(Math.max(byKey.get('e')!, byKey.get('f')!));
        // The unique index refuses a number given twice.
        await expect(db.insertInto(name).values({ k: 'x', n: 1 }).execute()).rejects.toThrow();
      });
    });

    test('keeps a table made with clusterByPrimaryKey keyed and ordered', async () => {
      const table = `conformance_${randomUUID().replaceAll('-', '')}`;
      const db = store.db.withTables<Record<string, { k: string; n: number }>>();
      await db.schema
        .createTable(table)
        .addColumn('k', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['k'])
        .$call((builder) => store.capabilities.clusterByPrimaryKey(builder))
        .execute();
      try {
        await db
          .insertInto(table)
          .values([
            { k: 'b', n: 2 },
            { k: 'a', n: 1 },
          ])
          .execute();
        const duplicate = await db
          .insertInto(table)
          .values({ k: 'a', n: 3 })
          .execute()
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(duplicate).toBeInstanceOf(Error);
        const rows = await db.selectFrom(table).select(['k', 'n']).orderBy('k').execute();
        expect(rows).toEqual([
          { k: 'a', n: 1 },
          { k: 'b', n: 2 },
        ]);
      } finally {
        await db.schema.dropTable(table).execute();
      }
    });

    test('vacuums the store keeping every row, and writes after it', async () => {
      const rows = Array.from({ length: 300 }, () => tokenRow());
      for (const part of batches(store.capabilities, rows, 6)) {
        await store.db.insertInto('api_tokens').values(part).execute();
      }
      const gone = rows.slice(0, 200).map((row) => row.id);
      for (const part of batches(store.capabilities, gone, 1)) {
        await store.db.deleteFrom('api_tokens').where('id', 'in', part).execute();
      }
      const kept = (
        await store.db.selectFrom('api_tokens').select('id').orderBy('id').execute()
      ).map((row) => row.id);
      const outcome = await store.capabilities.vacuum(store.db);
      expect(outcome.tables).toBeGreaterThan(10);
      expect(outcome.bytesBefore).toBeGreaterThan(0);
      expect(outcome.bytesAfter).toBeGreaterThan(0);
      const after = await store.db.selectFrom('api_tokens').select('id').orderBy('id').execute();
      expect(after.map((row) => row.id)).toEqual(kept);
      await store.db.insertInto('api_tokens').values(tokenRow()).execute();
      const count = await store.db
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(kept.length + 1);
    });

    test('streams every row in chunks', async () => {
      const scopes = `stream-${randomUUID()}`;
      const rows = Array.from({ length: 2_500 }, () => tokenRow({ scopes }));
      for (const part of batches(store.capabilities, rows, 6)) {
        await store.db.insertInto('api_tokens').values(part).execute();
      }
      const query = store.db
        .selectFrom('api_tokens')
        .select('id')
        .where('scopes', '=', scopes)
        .orderBy('id');
      const streamed: string[] = [];
      for await (const row of query.stream(1_000)) streamed.push(row.id);
      expect(streamed).toEqual(rows.map((r) => r.id).sort());
      const chunks: number[] = [];
      for await (const result of store.db.getExecutor().stream(query.compile(), 1_000)) {
        chunks.push(result.rows.length);
      }
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(2_500);
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...chunks)).toBeLessThanOrEqual(1_000);
    });

    describe('tells a lock held by another writer from a constraint violation', () => {
      if (skipped.has('tells a lock held by another writer from a constraint violation')) return;
      it.each(options.retryableErrors.map((sample) => [sample.name, sample] as const))(
        'isRetryable is true for %s',
        async (_name, sample) => {
          const error = await sample.provoke(store);
          expect(error).toBeInstanceOf(Error);
          expect(dialect.isRetryable(error)).toBe(true);
        },
      );

      it('isRetryable is false for a unique key violation and for what is no database error', async () => {
        const row = tokenRow();
        await store.db.insertInto('api_tokens').values(row).execute();
        const violation = await store.db
          .insertInto('api_tokens')
          .values({ ...row, secret_sha256: randomUUID() })
          .execute()
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(violation).toBeInstanceOf(Error);
        expect(dialect.isRetryable(violation)).toBe(false);
        for (const other of [undefined, null, 'busy', 5, new Error('database is locked')]) {
          expect(dialect.isRetryable(other)).toBe(false);
        }
      });
    });

    test('retryWrites runs a write again after a retryable failure', async () => {
      const [sample] = options.retryableErrors;
      let attempts = 0;
      const result = await retryWrites(store, async () => {
        attempts++;
        if (attempts === 1) throw await sample.provoke(store);
        return 'written';
      });
      expect({ result, attempts }).toEqual({ result: 'written', attempts: 2 });
    });

    test('retryWrites gives up after writeRetryMs naming the store and what to do', async () => {
      const [sample] = options.retryableErrors;
      const impatient: Store = { ...store, writeRetryMs: 0 };
      const error: unknown = await retryWrites(impatient, async () => {
        throw await sample.provoke(store);
      }).catch((e: unknown) => e);
      expect(isCandorError(error) && error.code).toBe('database');
      const message = (error as Error).message;
      expect(message.startsWith(`${dialect.describe(store.location)} stayed locked`)).toBe(true);
      expect(message).toMatch(/ stayed locked by other writers for \d+ s; /);
      expect(message.endsWith(`; ${dialect.lockedAdvice}`)).toBe(true);
      expect(dialect.isRetryable((error as Error).cause)).toBe(true);
    });

    test('keeps two schemas of one database apart', async () => {
      if (dialect.inSchema === undefined || dialect.schemaOf === undefined) {
        throw new Error(`${dialect.id} has no schemas: skip this case, with the reason`);
      }
      const schema = `conformance_${randomUUID().replaceAll('-', '')}`;
      const location = dialect.inSchema(store.location, schema);
      expect(dialect.schemaOf(location)).toBe(schema);
      const other = await openStore(location);
      try {
        await store.db.insertInto('api_tokens').values(tokenRow()).execute();
        const there = await other.db.selectFrom('api_tokens').select('id').execute();
        expect(there).toEqual([]);
        const applied = await other.db.selectFrom('candor_migration').select('name').execute();
        expect(applied.length).toBeGreaterThan(0);
      } finally {
        await other.db.schema.dropSchema(schema).cascade().execute();
        await other.close();
      }
    });
  });
}
