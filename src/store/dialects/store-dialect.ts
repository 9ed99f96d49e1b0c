import type {
  AliasableExpression,
  CreateTableBuilder,
  Expression,
  Kysely,
  RawBuilder,
} from 'kysely';
import type { Database } from '../tables/database.ts';

/** What every store location has: `kind`, the id of its dialect (a key of `dialects`). */
export type LocationBase = { readonly kind: string };

/**
 * What one database does differently, as values and hooks that dialect-neutral code (repositories,
 * migrations, the batching policy) reads, never as `if (dialect === ...)`. Like Kysely's
 * `DialectAdapter`: a new difference is a new documented member here, and every dialect says
 * what it does (docs/adr/0012).
 */
export type StoreCapabilities = {
  /**
   * Most bound parameters one statement may carry: SQLite 32,766 (`SQLITE_MAX_VARIABLE_NUMBER`),
   * PostgreSQL 65,535 (a 16-bit count in the wire protocol). `store/lib/batches.ts` sizes every
   * multi-row statement from it.
   */
  readonly maxParameters: number;
  /**
   * Whether a location can select a schema (a namespace inside one database) whose tables and
   * migration log are apart from the others'; the dialect then has `schemaOf` and `inSchema`.
   * SQLite: no (one file is one store). PostgreSQL: yes (`?schema=`, created on first open).
   */
  readonly supportsSchemas: boolean;
  /**
   * `expression` as an ORDER BY term that sorts text by Unicode code point whatever the
   * database's collation: PostgreSQL sorts by its locale unless told `collate "C"`; SQLite's
   * default BINARY collation already compares UTF-8 bytes, which is code point order.
   * Never throws.
   */
  binaryTextOrder<T>(expression: Expression<T>): Expression<T>;
  /**
   * The aggregate that joins a numeric column's values of a group into one comma-separated text
   * (null for no rows; nulls left out), so a report reads a window's 200,000 values as one string
   * instead of 200,000 rows (docs/adr/0044): SQLite `group_concat`, PostgreSQL `string_agg` of the
   * values as text. Whole numbers below 10^15 (milliseconds) print exactly; `Number` reads them
   * back. Never throws.
   */
  joinNumbers(expression: Expression<number | null>): AliasableExpression<string | null>;
  /**
   * The aggregate that joins a text column's values of a group into one text with no separator,
   * in the order of `orderBy` (null for no rows): SQLite `group_concat(x, '' ORDER BY …)`,
   * PostgreSQL `string_agg(x, '' ORDER BY …)`. A read of many short codes per group (a test's
   * executions in occurrence order, one letter each) is then one row per group. Never throws.
   */
  concatInOrder(
    expression: Expression<string>,
    orderBy: readonly Expression<unknown>[],
  ): AliasableExpression<string | null>;
  /**
   * The column type of raw bytes: SQLite `blob`, PostgreSQL `bytea`. Values go in as a `Buffer`
   * and come back as a `Uint8Array` (SQLite) or a `Buffer` (PostgreSQL). Never throws.
   */
  readonly bytesColumnType: 'blob' | 'bytea';
  /**
   * Migration hook: stores a table's rows in primary-key order where the database can (SQLite
   * `WITHOUT ROWID`), so reading a range of keys is one ordered scan; PostgreSQL has no such
   * table and returns the builder unchanged. Never throws.
   */
  clusterByPrimaryKey<TB extends string, C extends string>(
    builder: CreateTableBuilder<TB, C>,
  ): CreateTableBuilder<TB, C>;
  /**
   * Makes the calling transaction the only writer of the delivery projections until it ends, so
   * two servers on one database never fold the same rows at once (a read-modify-write): SQLite
   * has one writer already (`BEGIN IMMEDIATE`) and does nothing; PostgreSQL takes a
   * transaction-scoped advisory lock. Throws what the database throws.
   */
  serializeWriters(transaction: Kysely<Database>): Promise<void>;
  /**
   * Leaves room in a new table's pages for rows updated again and again (every ingest of a day
   * adds to the same recent daily stats): PostgreSQL fills its pages to half (`fillfactor`), so
   * an update writes its new row version on the same page and no index entry (a HOT update);
   * SQLite updates rows in place and changes nothing.
   */
  leaveRoomForUpdates<TB extends string, C extends string>(
    builder: CreateTableBuilder<TB, C>,
  ): CreateTableBuilder<TB, C>;
  /**
   * Row numbers the database hands out, for a small integer to stand in for a long text key in a
   * large table (a report's number in its executions, docs/adr/0052). `add(db, table, column)` is
   * a migration hook: it adds an integer column numbering the stored rows (1, 2, … in their
   * insertion order where the database knows it) and a unique index `<table>_<column>`. `next`
   * is the value to insert for a new row: a number no other row holds or will be given, also
   * while other writers insert (SQLite: one more than the largest, under its single writer;
   * PostgreSQL: the column is an identity and `next` takes its sequence's next value, which no
   * other transaction can take, committed or not). Numbers only grow; a rolled-back insert may
   * leave a gap. `add` throws what the database throws; `next` never throws.
   */
  readonly rowNumbers: {
    add(db: Kysely<unknown>, table: string, column: string): Promise<void>;
    next(table: string, column: string): RawBuilder<number>;
  };
  /**
   * Whether `WITH moved AS (DELETE … RETURNING …) INSERT … SELECT … FROM moved` runs as one
   * statement, so rows are moved from one table to another exactly once however many writers
   * try at the same time (PostgreSQL: a row another transaction deleted first is skipped, one it
   * updated is moved as updated). False on SQLite, which has no data-modifying WITH and needs
   * none: its single writer makes two statements in a transaction just as safe.
   */
  movesRowsInOneStatement: boolean;
  /**
   * A bulk path for many rows, faster than multi-row INSERTs with parameters where the database
   * has one: PostgreSQL stores them by COPY (`postgres/copy-rows.ts`, docs/adr/0038); SQLite has
   * none (undefined: its prepared multi-row INSERTs are already in process). `values` are the
   * rows' values one after the other, `columns` wide; with `onConflict`, rows whose key is
   * stored already are left out. Resolves false when it cannot take these rows (outside a
   * transaction with `onConflict`, a value it cannot encode): the caller inserts them with
   * parameters. Throws what the database throws.
   */
  copyRows:
    | ((
        db: Kysely<Database>,
        table: string,
        columns: readonly string[],
        values: readonly unknown[],
        onConflict?: readonly string[],
        options?: CopyRowsOptions,
      ) => Promise<boolean>)
    | undefined;
  /**
   * Which of `keys` no row of `table` holds in `column` (a text column with an index: its
   * primary key), in `keys`' order: a probe before an upsert of rows that are mostly stored
   * already, so only the absent ones are written. SQLite does it in process with one JSON
   * parameter (`json_each`): about 0.4 ms for 1,000 keys, where an `INSERT … ON CONFLICT DO
   * NOTHING` of 1,000 stored ten-column rows takes about 3.5 ms (docs/adr/0049). PostgreSQL
   * probes key by key unless `hexPrefix` says the keys come in clusters; then it reads each
   * cluster's stored keys as one range of the index (`postgres/absent-keys.ts`, docs/adr/0050).
   * A key reported absent that is stored after all is possible (a cluster too large to read, a
   * concurrent writer): an upsert after it keeps its conflict clause. Throws what the database
   * throws.
   */
  absentKeys:
    | ((
        db: Kysely<Database>,
        table: string,
        column: string,
        keys: readonly string[],
        options?: AbsentKeysOptions,
      ) => Promise<string[]>)
    | undefined;
  /**
   * Rewrites the store's tables compactly, in place, keeping every row (`candor db vacuum`):
   * SQLite rebuilds the file with `VACUUM`, in the page size a new file gets (16 KiB,
   * docs/adr/0055), and returns to WAL; PostgreSQL runs `VACUUM (ANALYZE)` on each table of the
   * store's schema. Runs outside a transaction. Throws what the database throws (SQLite: busy
   * while another connection has the file open).
   */
  vacuum(db: Kysely<Database>): Promise<VacuumOutcome>;
};

/** What `vacuum` did: the tables' bytes before and after, and SQLite's page sizes. */
export type VacuumOutcome = {
  /** Tables vacuumed (every table of the store). */
  tables: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Bytes per page before and after, where the database has one page size per store. */
  pageSize?: { before: number; after: number };
};

/** What the caller knows of the rows given to `copyRows`. */
export type CopyRowsOptions = {
  /**
   * With `onConflict`: `absentKeys` just found these rows' keys absent, so they are written
   * straight into the table (PostgreSQL: COPY in a savepoint), and by the conflict-safe path
   * only when one turns out to be stored after all (docs/adr/0050).
   */
  probedAbsent?: boolean;
};

/** How the keys given to `absentKeys` are laid out. */
export type AbsentKeysOptions = {
  /**
   * The keys are lower-case hexadecimal, and keys sharing their first `hexPrefix` digits are
   * stored next to each other (test ids: 12 digits of their place, docs/adr/0046).
   */
  hexPrefix?: number;
};

/** Options of `StoreDialect.open`. */
export type DialectOpenOptions = {
  /**
   * How long one statement waits for another connection's lock before it fails with a retryable
   * error (milliseconds; SQLite's busy timeout, default 30 s). PostgreSQL waits for row locks
   * until it gets them or detects a deadlock, and ignores it.
   */
  busyTimeoutMs?: number | undefined;
};

/** A database opened by a dialect: Kysely over it (NUL-safe), and what it can do. */
export type OpenedDatabase = {
  readonly db: Kysely<Database>;
  readonly capabilities: StoreCapabilities;
};

/**
 * A database candor can store its data in: how a location is written, opened and described, and
 * what the database does differently (`capabilities` from `open`, `isRetryable`). Dialect-neutral
 * code reaches a dialect through the registry (`dialects.ts`), never by importing it.
 * Implementations live in `store/dialects/<id>/` and pass `runDialectConformance`.
 */
export type StoreDialect<L extends LocationBase = LocationBase> = {
  /** The registry key, and the `kind` of this dialect's locations. */
  readonly id: L['kind'];
  /** One line: what database, through which driver. */
  readonly description: string;
  /**
   * How a user writes a location of this dialect, for the message listing what `--db` accepts:
   * `a postgres:// URL`.
   */
  readonly locationHint: string;
  /** What to tell a user whose writes stayed locked by other writers past the deadline. */
  readonly lockedAdvice: string;
  /**
   * Whether a `--db` (or `CANDOR_DATABASE_URL`) value names a location of this dialect. At most
   * one dialect accepts a value. Never throws.
   */
  accepts(value: string): boolean;
  /**
   * The location a value this dialect accepts names; a relative path is taken from `cwd`.
   * Throws CandorError `usage` when the value is malformed (an invalid schema name).
   */
  parseLocation(value: string, cwd: string): L;
  /**
   * The value naming `location` again, credentials included: `parseLocation(toValue(l))` is `l`.
   * For another process (a child's `--db`), never for display. Never throws.
   */
  toValue(location: L): string;
  /** The location for messages and logs, without credentials. Never throws. */
  describe(location: L): string;
  /**
   * The schema a location selects, undefined for the database's default one. Present exactly
   * when `supportsSchemas`. Never throws.
   */
  schemaOf?(location: L): string | undefined;
  /**
   * The same database, in schema `schema` (a plain SQL identifier). Present exactly when
   * `supportsSchemas`. Never throws.
   */
  inSchema?(location: L, schema: string): L;
  /**
   * Opens the database (connections are made on first use) wrapped by `nulSafeDialect`.
   * Throws what the driver throws; `openStore` wraps it in CandorError `database`.
   */
  open(location: L, options: DialectOpenOptions): Promise<OpenedDatabase>;
  /**
   * True when a statement failed only because another writer held a lock (SQLite busy or locked;
   * a PostgreSQL deadlock or serialisation failure): running its transaction again may work.
   * False for anything else, constraint violations included. Never throws.
   */
  isRetryable(error: unknown): boolean;
};
