import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Recent daily stats (docs/adr/0050): `test_daily_recent`, the same columns and key as
 * `test_daily_stats`, where ingest folds each report. It holds the days since the last ingest's
 * day began (one or two days of rows: small enough to stay in SQLite's page cache), so folding
 * 100k tests dirties a few megabytes instead of a page of `test_daily_stats` per test (on a store
 * with 30 days of a 100k-test suite: 1.9 s of fold and 0.8 s more commit per ingest, for 0.15 s
 * on an empty store). An ingest on a later day first moves the earlier days into
 * `test_daily_stats` in one ordered pass. Reads sum both. Stored stats stay where they are.
 */
export const recentDailyStatsMigration: StoreMigration = {
  async up(db: Kysely<unknown>, capabilities) {
    await db.schema
      .createTable('test_daily_recent')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('on_default_branch', 'integer', (c) => c.notNull())
      .addColumn('test_id', 'text', (c) => c.notNull())
      .addColumn('executions', 'integer', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('failed', 'integer', (c) => c.notNull())
      .addColumn('flaky', 'integer', (c) => c.notNull())
      .addColumn('skipped', 'integer', (c) => c.notNull())
      .addColumn('systemic_failures', 'integer', (c) => c.notNull())
      .addColumn('flips', 'integer', (c) => c.notNull())
      .addColumn('duration_ms_sum', 'double precision', (c) => c.notNull())
      .addColumn('duration_count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('test_daily_recent_pk', ['test_id', 'day', 'on_default_branch'])
      .$call((builder) => capabilities.clusterByPrimaryKey(builder))
      // Each ingest of a day adds to the same rows: PostgreSQL keeps their updates on the page.
      .$call((builder) => capabilities.leaveRoomForUpdates(builder))
      .execute();
    // Which days are waiting to be settled, without a scan of the table.
    await db.schema
      .createIndex('test_daily_recent_day')
      .on('test_daily_recent')
      .columns(['day'])
      .execute();
  },
};
