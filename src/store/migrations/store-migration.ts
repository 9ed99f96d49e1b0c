import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../dialects/store-dialect.ts';

/**
 * One migration: Kysely's, plus the dialect's capabilities, so a migration that has to differ
 * between databases asks a capability (`clusterByPrimaryKey`) instead of testing which one it is.
 */
export type StoreMigration = {
  /** Applies the change; throws what the database throws (the migrator rolls back where it can). */
  up(db: Kysely<unknown>, capabilities: StoreCapabilities): Promise<void>;
};
