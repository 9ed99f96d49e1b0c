import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Aggregates kept at ingest time so flaky reports and budgets never scan raw executions
 * (docs/adr/0007): daily counts per test, failures (rare), flaky evidence, per-test state.
 */
export const flakyAggregatesMigration: StoreMigration = {
  async up(db: Kysely<unknown>, capabilities) {
    await db.schema.alterTable('test_runs').addColumn('default_branch', 'text').execute();
    // Properties a report records on a test (seed, order, ...), kept for non-passing tests only.
    await db.schema.alterTable('test_executions').addColumn('properties', 'text').execute();
    await db.schema
      .alterTable('test_reports')
      .addColumn('systemic', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('test_daily_stats')
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
      // Keyed by test first, and stored in key order where the dialect can (clusterByPrimaryKey),
      // so the window query sums each test's days in one ordered scan instead of sorting
      // (docs/adr/0007).
      .addPrimaryKeyConstraint('test_daily_stats_pk', ['test_id', 'day', 'on_default_branch'])
      .$call((builder) => capabilities.clusterByPrimaryKey(builder))
      .execute();

    await db.schema
      .createTable('daily_totals')
      .addColumn('repo', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('on_default_branch', 'integer', (c) => c.notNull())
      .addColumn('executions', 'integer', (c) => c.notNull())
      .addColumn('flaky', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('daily_totals_pk', ['repo', 'day', 'on_default_branch'])
      .execute();

    await db.schema
      .createTable('test_failures')
      .addColumn('test_id', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('systemic', 'integer', (c) => c.notNull())
      .addColumn('duration_ms', 'double precision')
      .addColumn('message', 'text')
      .addColumn('properties', 'text')
      .execute();
    await db.schema
      .createIndex('test_failures_test')
      .on('test_failures')
      .columns(['test_id', 'at'])
      .execute();
    await db.schema
      .createIndex('test_failures_commit')
      .on('test_failures')
      .columns(['commit_sha'])
      .execute();
    await db.schema.createIndex('test_failures_at').on('test_failures').columns(['at']).execute();
    await db.schema
      .createIndex('test_failures_report')
      .on('test_failures')
      .columns(['report_id'])
      .execute();

    await db.schema
      .createTable('test_flaky_events')
      .addColumn('test_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text')
      .addColumn('other_run_id', 'text')
      .execute();
    await db.schema
      .createIndex('test_flaky_events_at')
      .on('test_flaky_events')
      .columns(['at'])
      .execute();
    await db.schema
      .createIndex('test_flaky_events_test')
      .on('test_flaky_events')
      .columns(['test_id', 'at'])
      .execute();

    await db.schema
      .createTable('test_state')
      .addColumn('test_id', 'text', (c) => c.primaryKey())
      .addColumn('last_status', 'text', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addColumn('last_flaky_at', 'text')
      .addColumn('clean_since_flaky', 'integer', (c) => c.notNull())
      .addColumn('default_fail_streak', 'integer', (c) => c.notNull())
      .execute();
  },
};
