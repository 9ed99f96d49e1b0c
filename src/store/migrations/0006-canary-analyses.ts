import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Canary analyses run by `candor serve` (POST /api/v1/canaries): their state lives here, so
 * every replica on one database answers the same verdict.
 */
export const canaryAnalysesMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('canary_analyses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text')
      .addColumn('deployment', 'text')
      .addColumn('baseline', 'text', (c) => c.notNull())
      .addColumn('canary', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('report', 'text')
      .execute();
    await db.schema
      .createIndex('canary_analyses_service_time')
      .on('canary_analyses')
      .columns(['service', 'started_at'])
      .execute();
  },
};
