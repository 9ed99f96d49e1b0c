import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/** The delivery event ledger: one row per (source, id), occurred and received times apart. */
export const deliveryEventsMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('delivery_events')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('commits', 'text')
      .addColumn('deployment', 'text')
      .addColumn('incident', 'text')
      .addColumn('result', 'text')
      .addColumn('attributes', 'text')
      .addPrimaryKeyConstraint('delivery_events_pk', ['source', 'id'])
      .execute();
    await db.schema
      .createIndex('delivery_events_service_time')
      .on('delivery_events')
      .columns(['service', 'occurred_at'])
      .execute();
    await db.schema
      .createIndex('delivery_events_time')
      .on('delivery_events')
      .columns(['occurred_at'])
      .execute();
  },
};
