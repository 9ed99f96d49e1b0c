import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * How many evaluations each watch of `candor serve` had (docs/adr/0026): the lease makes it one
 * per due time across replicas, and this count is how an operator (and the replica test) sees it.
 */
export const watchEvaluationsMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('watches')
      .addColumn('evaluations', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('watches_deployment')
      .on('watches')
      .columns(['service', 'environment', 'deployment'])
      .execute();
  },
};
