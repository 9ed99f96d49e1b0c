import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/** Test runs, test identities, reports, executions with attempts, API tokens. */
export const testResultsMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('test_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('repo', 'text', (c) => c.notNull())
      .addColumn('branch', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('ci_provider', 'text')
      .addColumn('ci_job', 'text')
      .addColumn('ci_attempt', 'text')
      .addColumn('ci_url', 'text')
      .addColumn('variant', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('test_runs_started_at')
      .on('test_runs')
      .columns(['started_at'])
      .execute();

    await db.schema
      .createTable('tests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('repo', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('classname', 'text')
      .addColumn('file', 'text')
      .addColumn('line', 'integer')
      .addColumn('suite', 'text')
      .addColumn('variant', 'text')
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('tests_key_repo', ['key', 'repo'])
      .execute();

    await db.schema
      .createTable('test_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) =>
        c.notNull().references('test_runs.id').onDelete('cascade'),
      )
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('content_sha256', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('test_cases', 'integer', (c) => c.notNull())
      .addColumn('tests', 'integer', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('failed', 'integer', (c) => c.notNull())
      .addColumn('skipped', 'integer', (c) => c.notNull())
      .addColumn('flaky', 'integer', (c) => c.notNull())
      .addColumn('ingested_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('test_reports_run_content', ['run_id', 'content_sha256'])
      .execute();

    await db.schema
      .createTable('test_executions')
      // No foreign key: checking it costs a look-up per row on the hot path, and executions are
      // only ever written in their report's transaction (docs/adr/0003).
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('test_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'double precision')
      .addColumn('attempt_count', 'integer', (c) => c.notNull())
      .addColumn('failed_attempts', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .execute();
    // No primary key: ingest merges repeated identities itself, and a unique (report, test) index
    // would be one more b-tree written in random order (docs/adr/0003). The report index is
    // written in order (one report at a time), the test index is what history queries need.
    await db.schema
      .createIndex('test_executions_report')
      .on('test_executions')
      .columns(['report_id'])
      .execute();
    await db.schema
      .createIndex('test_executions_test')
      .on('test_executions')
      .columns(['test_id'])
      .execute();
    await db.schema
      .createIndex('test_executions_run')
      .on('test_executions')
      .columns(['run_id'])
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('secret_sha256', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
  },
};
