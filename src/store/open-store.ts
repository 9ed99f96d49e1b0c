import { Migrator, type ControlledTransaction, type Kysely } from 'kysely';
import { CandorError } from '../core/lib/candor-error.ts';
import { dialectOf, dialects, findDialect, type StoreLocation } from './dialects/dialects.ts';
import type { StoreCapabilities } from './dialects/store-dialect.ts';
import { kyselyMigrations } from './migrations/migrations.ts';
import type { Database } from './tables/database.ts';

export type { StoreLocation } from './dialects/dialects.ts';
export type { StoreCapabilities } from './dialects/store-dialect.ts';
export type { Db } from './tables/database.ts';

/** A transaction its caller commits or rolls back itself (an import spanning several chunks). */
export type StoreTransaction = ControlledTransaction<Database>;

export type Store = {
  readonly db: Kysely<Database>;
  readonly location: StoreLocation;
  /** What the database does differently (store/dialects/store-dialect.ts). */
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
 * then `.candor/candor.db` under `cwd`; the dialect that accepts the value parses it (a `schema`
 * query parameter on a PostgreSQL URL selects the schema, default `public`). Throws CandorError
 * `usage` for a URL no dialect accepts, or one its dialect finds malformed.
 */
export function resolveStoreLocation(options: {
  db?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}): StoreLocation {
  const value = options.db ?? options.env['CANDOR_DATABASE_URL'] ?? defaultDatabasePath;
  const dialect = findDialect(value);
  if (dialect) return dialect.parseLocation(value, options.cwd);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1] ?? value;
  const accepted = Object.values(dialects).map((d) => d.locationHint);
  throw new CandorError(
    'usage',
    `database URL: "${scheme}://" is not supported; use ${accepted.join(' or ')}`,
  );
}

/** Describes a location for messages, without credentials. Never throws. */
export function describeStoreLocation(location: StoreLocation): string {
  return dialectOf(location).describe(location);
}

/**
 * Opens the store with its location's dialect and applies pending migrations (unless
 * `migrate: false`). Throws CandorError `database` when it cannot be opened or migrated.
 */
export async function openStore(
  location: StoreLocation,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const dialect = dialectOf(location);
  let opened: Awaited<ReturnType<typeof dialect.open>>;
  try {
    opened = await dialect.open(location, { busyTimeoutMs: options.busyTimeoutMs });
  } catch (error) {
    throw new CandorError(
      'database',
      `cannot open the database at ${describeStoreLocation(location)}`,
      { cause: error },
    );
  }
  const { db, capabilities } = opened;
  const store: Store = {
    db,
    location,
    capabilities,
    isRetryable: (error) => dialect.isRetryable(error),
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
  const schema = dialectOf(store.location).schemaOf?.(store.location);
  if (schema) {
    try {
      await store.db.schema.createSchema(schema).ifNotExists().execute();
    } catch (error) {
      throw wrapDatabaseError(store, error);
    }
  }
  const migrations = kyselyMigrations(store.capabilities);
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'candor_migration',
    migrationLockTableName: 'candor_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
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

/**
 * Runs a write again while it fails only because other writers hold the database, backing off
 * (50 ms doubling to 2 s, with jitter) until `store.writeRetryMs` has passed. Then throws
 * CandorError `database` naming the store and what to do (the dialect's `lockedAdvice`); other
 * errors pass through unchanged. `attempt` must be safe to run again (one transaction that rolled
 * back).
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
            dialectOf(store.location).lockedAdvice,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay));
    }
  }
}
