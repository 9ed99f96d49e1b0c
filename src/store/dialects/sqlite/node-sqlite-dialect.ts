import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

export type NodeSqliteDialectConfig = {
  /** File path, or `:memory:`. */
  path: string;
  /** Milliseconds a writer waits for another process's lock before failing. Default 30 s. */
  busyTimeoutMs?: number;
};

/**
 * A Kysely dialect over Node's built-in `node:sqlite` (no native addon to build).
 * One connection per process, serialised by a mutex; WAL journal so readers in other processes
 * are never blocked by a writer; transactions start with BEGIN IMMEDIATE so two writers queue on
 * the busy timeout instead of failing with SQLITE_BUSY on lock upgrade.
 */
export class NodeSqliteDialect implements Dialect {
  readonly #config: NodeSqliteDialectConfig;

  constructor(config: NodeSqliteDialectConfig) {
    this.#config = config;
  }

  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new NodeSqliteDriver(this.#config);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

/**
 * Bytes per page of a new store file (docs/adr/0055). At SQLite's default, 4 KiB, the commit of a
 * 100k-case report writes four times as many WAL frames and took twice as long; a single-event
 * write costs a little more at 16 KiB.
 */
export const sqlitePageSize = 16_384;

class NodeSqliteDriver implements Driver {
  readonly #config: NodeSqliteDialectConfig;
  #connection?: NodeSqliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release?: () => void;

  constructor(config: NodeSqliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const db = new DatabaseSync(this.#config.path);
    // Applies to a new file only (before its first table; an existing one keeps its own).
    db.exec(`PRAGMA page_size = ${sqlitePageSize}`);
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(this.#config.busyTimeoutMs ?? 30_000)}`);
    if (this.#config.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA cache_size = -32768');
    db.exec('PRAGMA foreign_keys = ON');
    this.#connection = new NodeSqliteConnection(db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection as NodeSqliteConnection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#release?.();
  }

  async destroy(): Promise<void> {
    this.#connection?.close();
  }
}

/** Prepared statements kept; a 1,000-row INSERT compiles to a large program, so keep few. */
const statementCacheSize = 32;

class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, { statement: StatementSync; returnsRows: boolean }>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  #prepare(sql: string): { statement: StatementSync; returnsRows: boolean } {
    let statement = this.#statements.get(sql);
    if (statement) {
      // Refresh recency: Map iteration order is insertion order.
      this.#statements.delete(sql);
    } else {
      const prepared = this.#db.prepare(sql);
      statement = { statement: prepared, returnsRows: prepared.columns().length > 0 };
      if (this.#statements.size >= statementCacheSize) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, returnsRows } = this.#prepare(compiledQuery.sql);
    const parameters = toSqliteValues(compiledQuery.parameters);
    if (returnsRows) {
      return { rows: statement.all(...parameters) as R[] };
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  /** Rows in chunks of `chunkSize`, read from SQLite as they are consumed. */
  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 1_000,
  ): AsyncIterableIterator<QueryResult<R>> {
    // A statement of its own: the cached one may be run again while this one is being iterated.
    const statement = this.#db.prepare(compiledQuery.sql);
    let rows: R[] = [];
    for (const row of statement.iterate(...toSqliteValues(compiledQuery.parameters))) {
      rows.push(row as R);
      if (rows.length >= chunkSize) {
        yield { rows };
        rows = [];
      }
    }
    if (rows.length > 0) yield { rows };
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}

/** Converts only the values node:sqlite cannot bind (the hot path passes thousands at once). */
function toSqliteValues(values: readonly unknown[]): SQLInputValue[] {
  let converted: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined || typeof value === 'boolean' || value instanceof Date) {
      converted ??= values.slice();
      converted[i] = toSqliteValue(value);
    }
  }
  return (converted ?? values) as SQLInputValue[];
}

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}
