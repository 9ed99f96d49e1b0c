import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { CandorError } from '../core/lib/candor-error.ts';
import { migrations } from './migrations/migrations.ts';
import { nulSafeDialect } from './dialects/nul-safe-dialect.ts';
import type { Database } from './schema.ts';
import { NodeSqliteDialect } from './dialects/sqlite/node-sqlite-dialect.ts';

/** Where the data lives: an embedded SQLite file, or a shared PostgreSQL database. */
export type StoreLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema?: string };

/** Dialect differences as capabilities, not `if (dialect === ...)` spread through the code. */
export type StoreCapabilities = {
  /** Most bound parameters one statement may carry. */
  maxParameters: number;
};

export type Store = {
  readonly db: Kysely<Database>;
  readonly location: StoreLocation;
  readonly capabilities: StoreCapabilities;
  /** True when a write failed only because another writer held a lock: running it again may work. */
  isRetryable(error: unknown): boolean;
  /** How long a write is retried while other writers hold the database (milliseconds). */
  readonly writeRetryMs: number;
  close(): Promise<void>;
};

export type OpenStoreOptions = {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** SQLite: how long one statement waits for another process's lock (default 30 s). */
  busyTimeoutMs?: number;
  /** How long a write is retried while other writers hold the database (default 10 min). */
  writeRetryMs?: number;
};

export const defaultDatabasePath = '.candor/candor.db';

/**
 * Chooses the store: `--db` (a path, or a `postgres://` URL) wins, then `CANDOR_DATABASE_URL`,
 * then `.candor/candor.db` under `cwd`. A `schema` query parameter on a PostgreSQL URL selects
 * the schema (default `public`).
 */
export function resolveStoreLocation(options: {
  db?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}): StoreLocation {
  const value = options.db ?? options.env['CANDOR_DATABASE_URL'] ?? defaultDatabasePath;
  if (/^postgres(ql)?:\/\//i.test(value)) {
    const url = new URL(value);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new CandorError(
        'usage',
        `database URL: schema "${schema}" is not a plain SQL identifier`,
      );
    }
    return schema
      ? { kind: 'postgres', url: url.toString(), schema }
      : { kind: 'postgres', url: url.toString() };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1];
  if (
    scheme !== undefined &&
    scheme.toLowerCase() !== 'sqlite' &&
    scheme.toLowerCase() !== 'file'
  ) {
    throw new CandorError(
      'usage',
      `database URL: "${scheme}://" is not supported; use a SQLite file path (or sqlite://path) or a postgres:// URL`,
    );
  }
  const path = value.replace(/^(sqlite|file):(\/\/)?/i, '');
  return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(options.cwd, path) };
}

/** Describes a location for messages, without credentials. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return location.path;
  const url = new URL(location.url);
  url.password = '';
  url.username = url.username ? url.username : '';
  return url.toString() + (location.schema ? ` (schema ${location.schema})` : '');
}

const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/**
 * Opens the store and applies pending migrations (unless `migrate: false`).
 * Throws CandorError `database` when it cannot be opened or migrated.
 */
export async function openStore(
  location: StoreLocation,
  options: OpenStoreOptions = {},
): Promise<Store> {
  let db: Kysely<Database>;
  let capabilities: StoreCapabilities;
  try {
    if (location.kind === 'sqlite') {
      if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
      db = new Kysely<Database>({
        dialect: nulSafeDialect(
          new NodeSqliteDialect({
            path: location.path,
            ...(options.busyTimeoutMs !== undefined
              ? { busyTimeoutMs: options.busyTimeoutMs }
              : {}),
          }),
        ),
      });
      capabilities = { maxParameters: 32_766 };
    } else {
      const pool = new pg.Pool({
        connectionString: location.url,
        max: 8,
        connectionTimeoutMillis: 10_000,
        ...(location.schema ? { options: `-c search_path=${location.schema}` } : {}),
      });
      // The cursor lets reads stream (`.stream()`) instead of holding every row at once.
      db = new Kysely<Database>({
        dialect: nulSafeDialect(new PostgresDialect({ pool, cursor: Cursor })),
      });
      capabilities = { maxParameters: 65_535 };
    }
  } catch (error) {
    throw new CandorError(
      'database',
      `cannot open the database at ${describeStoreLocation(location)}`,
      {
        cause: error,
      },
    );
  }
  const store: Store = {
    db,
    location,
    capabilities,
    isRetryable: location.kind === 'sqlite' ? isSqliteBusy : isPostgresRetryable,
    writeRetryMs: options.writeRetryMs ?? 600_000,
    close: () => db.destroy(),
  };
  if (options.migrate !== false) {
    try {
      await migrateStore(store);
    } catch (error) {
      await db.destroy().catch(() => undefined);
      throw error;
    }
  }
  return store;
}

/** Applies pending migrations; returns the names applied. Throws CandorError `database`. */
export async function migrateStore(store: Store): Promise<string[]> {
  if (store.location.kind === 'postgres' && store.location.schema) {
    try {
      await store.db.schema.createSchema(store.location.schema).ifNotExists().execute();
    } catch (error) {
      throw wrapDatabaseError(store, error);
    }
  }
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider,
    migrationTableName: 'candor_migration',
    migrationLockTableName: 'candor_migration_lock',
    ...(store.location.kind === 'postgres' && store.location.schema
      ? { migrationTableSchema: store.location.schema }
      : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw wrapDatabaseError(store, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function wrapDatabaseError(store: Store, error: unknown): CandorError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CandorError(
    'database',
    `cannot open or migrate the database at ${describeStoreLocation(store.location)}: ${reason}`,
    { cause: error },
  );
}

/** SQLITE_BUSY or SQLITE_LOCKED (with their extended codes): another connection holds the lock. */
function isSqliteBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
}

/** PostgreSQL deadlock or serialisation failure: the transaction can simply run again. */
function isPostgresRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs a write again while it fails only because other writers hold the database, backing off
 * (50 ms doubling to 2 s, with jitter) until `store.writeRetryMs` has passed. Then throws
 * CandorError `database` naming the store and what to do; other errors pass through unchanged.
 * `attempt` must be safe to run again (one transaction that rolled back).
 */
export async function retryWrites<T>(store: Store, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!store.isRetryable(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= store.writeRetryMs) {
        throw new CandorError(
          'database',
          `${describeStoreLocation(store.location)} stayed locked by other writers for ${Math.round(waited / 1_000)} s; ` +
            (store.location.kind === 'sqlite'
              ? 'run fewer jobs writing to one SQLite file at once, or use PostgreSQL (CANDOR_DATABASE_URL) for parallel jobs'
              : 'try again, or look for long transactions holding locks'),
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay));
    }
  }
}
