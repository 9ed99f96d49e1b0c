import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Post-deploy watches run by `candor serve`: their state and a lease (owner and expiry), so that
 * with several replicas on one database exactly one evaluates each watch (docs/adr/0027).
 */
export const watchesMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('watches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('deployed_at', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('every_ms', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('report', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .execute();
    await db.schema
      .createIndex('watches_service_time')
      .on('watches')
      .columns(['service', 'created_at'])
      .execute();
  },
};
