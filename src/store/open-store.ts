import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { CandorError } from '../core/candor-error.ts';
import { migrations } from './migrations/migrations.ts';
import type { Database } from './schema.ts';
import { NodeSqliteDialect } from './sqlite/node-sqlite-dialect.ts';

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
  close(): Promise<void>;
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
  const path = value.replace(/^sqlite:(\/\/)?/i, '');
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
  options: { migrate?: boolean } = {},
): Promise<Store> {
  let db: Kysely<Database>;
  let capabilities: StoreCapabilities;
  try {
    if (location.kind === 'sqlite') {
      if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
      db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ path: location.path }) });
      capabilities = { maxParameters: 32_766 };
    } else {
      const pool = new pg.Pool({
        connectionString: location.url,
        max: 8,
        connectionTimeoutMillis: 10_000,
        ...(location.schema ? { options: `-c search_path=${location.schema}` } : {}),
      });
      // The cursor lets reads stream (`.stream()`) instead of holding every row at once.
      db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
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
  const store: Store = { db, location, capabilities, close: () => db.destroy() };
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
