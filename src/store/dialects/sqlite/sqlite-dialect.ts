import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Database } from '../../tables/database.ts';
import { nulSafeDialect } from '../nul-safe-dialect.ts';
import type { StoreCapabilities, StoreDialect } from '../store-dialect.ts';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { vacuumSqlite } from './vacuum-sqlite.ts';

/** An embedded SQLite file (or `:memory:`). */
export type SqliteLocation = { kind: 'sqlite'; path: string };

const capabilities: StoreCapabilities = {
  maxParameters: 32_766,
  supportsSchemas: false,
  // BINARY, SQLite's default collation, compares UTF-8 bytes: code point order already.
  binaryTextOrder: (expression) => expression,
  // REAL values print with 15 significant digits: whole milliseconds print exactly.
  bytesColumnType: 'blob',
  joinNumbers: (expression) => sql<string | null>`group_concat(${expression})`,
  concatInOrder: (expression, orderBy) =>
    sql<string | null>`group_concat(${expression}, '' order by ${sql.join(orderBy)})`,
  clusterByPrimaryKey: (builder) => builder.modifyEnd(sql`without rowid`),
  rowNumbers: {
    // The rowid is the insertion order; the column keeps it however VACUUM renumbers rowids.
    add: async (db, table, column) => {
      await sql`alter table ${sql.table(table)} add column ${sql.ref(column)} integer`.execute(db);
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = rowid`.execute(db);
      await sql`create unique index ${sql.id(`${table}_${column}`)} on ${sql.table(table)} (${sql.ref(column)})`.execute(
        db,
      );
    },
    // One writer at a time (BEGIN IMMEDIATE): nobody else can take the same number meanwhile.
    next: (table, column) =>
      sql<number>`(select coalesce(max(${sql.ref(column)}), 0) + 1 from ${sql.table(table)})`,
  },
  // No data-modifying WITH; one writer at a time moves rows safely in two statements.
  movesRowsInOneStatement: false,
  // Rows are updated in place: no fill factor to set.
  leaveRoomForUpdates: (builder) => builder,
  serializeWriters: async () => {
    // BEGIN IMMEDIATE already made this transaction the only writer.
  },
  // Prepared multi-row INSERTs run in process already: there is no faster bulk path.
  copyRows: undefined,
  // One JSON parameter of keys, read by json_each: no bound value per key (docs/adr/0049).
  absentKeys: async (db, table, column, keys) => {
    if (keys.length === 0) return [];
    const { rows } = await sql<{
      value: string;
    }>`select j.value as value from json_each(${JSON.stringify(keys)}) as j
      where not exists (select 1 from ${sql.table(table)} as t where ${sql.ref(`t.${column}`)} = j.value)
      order by j.key`.execute(db);
    return rows.map((row) => row.value);
  },
  vacuum: vacuumSqlite,
};

/** A scheme other than the ones SQLite locations may carry means another dialect, or none. */
const schemePattern = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** SQLite through `node:sqlite` (sqlite/readme.md): the default, embedded store. */
export const sqliteDialect = {
  id: 'sqlite',
  description: "an embedded SQLite file, through Node's built-in node:sqlite",
  locationHint: 'a SQLite file path (or sqlite://path)',
  lockedAdvice:
    'run fewer jobs writing to one SQLite file at once, or use PostgreSQL (CANDOR_DATABASE_URL) for parallel jobs',

  accepts(value) {
    const scheme = schemePattern.exec(value)?.[1]?.toLowerCase();
    return scheme === undefined || scheme === 'sqlite' || scheme === 'file';
  },

  parseLocation(value, cwd) {
    const path = value.replace(/^(sqlite|file):(\/\/)?/i, '');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) };
  },

  toValue: (location) => location.path,

  describe: (location) => location.path,

  async open(location, options) {
    if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
    const db = new Kysely<Database>({
      dialect: nulSafeDialect(
        new NodeSqliteDialect({
          path: location.path,
          ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
        }),
      ),
    });
    return { db, capabilities };
  },

  /** SQLITE_BUSY or SQLITE_LOCKED (with their extended codes): another connection holds the lock. */
  isRetryable(error) {
    const code = (error as { errcode?: unknown } | null | undefined)?.errcode;
    return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
  },
} satisfies StoreDialect<SqliteLocation>;
