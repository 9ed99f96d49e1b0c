import { sql, type Kysely } from 'kysely';
import { batches } from '../lib/batches.ts';
import { testId } from '../repositories/tests/test-id.ts';
import type { Database } from '../tables/database.ts';
import type { StoreMigration } from './store-migration.ts';

/** Every table naming a test by id, besides `tests` itself (moved last). */
const referencingTables = [
  'test_executions',
  'test_failures',
  'test_flaky_events',
  'test_daily_stats',
  'test_state',
] as const;

/** Test identities read per query, so a store of millions of tests is never held at once. */
const pageSize = 10_000;

/**
 * Test ids with locality (docs/adr/0046): each stored test gets the id `testId` now derives from
 * its repo and key (unchanged), whose first digits come from its place, and every row naming it
 * moves with it. One id maps to one id, so nothing merges: rows are updated in place. The tests
 * table moves last, so a migration stopped half-way (SQLite runs DDL outside a transaction) is
 * finished by running it again; a store already keyed so is left as it is.
 */
export const testIdLocalityMigration: StoreMigration = {
  async up(unknownDb: Kysely<unknown>, capabilities) {
    const db = unknownDb as unknown as Kysely<Database>;
    const movesDb = unknownDb as Kysely<{ test_id_moves: { old_id: string; new_id: string } }>;
    await sql`drop table if exists test_id_moves`.execute(db);
    await movesDb.schema
      .createTable('test_id_moves')
      .addColumn('old_id', 'text', (c) => c.primaryKey())
      .addColumn('new_id', 'text', (c) => c.notNull())
      .execute();
    let moved = 0;
    for (let after: string | undefined; ;) {
      let page = db.selectFrom('tests').select(['id', 'repo', 'key']).orderBy('id').limit(pageSize);
      if (after !== undefined) page = page.where('id', '>', after);
      const tests = await page.execute();
      if (tests.length === 0) break;
      after = tests.at(-1)?.id;
      const moves = tests
        .map((test) => ({ old_id: test.id, new_id: testId(test.repo, test.key) }))
        .filter((move) => move.old_id !== move.new_id);
      for (const part of batches(capabilities, moves, 2)) {
        await movesDb.insertInto('test_id_moves').values(part).execute();
      }
      moved += moves.length;
    }
    if (moved > 0) {
      const newIdOf = (table: string, column: string) =>
        sql`(select m.new_id from test_id_moves m where m.old_id = ${sql.ref(`${table}.${column}`)})`;
      const movedIds = sql`(select old_id from test_id_moves)`;
      for (const table of referencingTables) {
        await sql`update ${sql.table(table)} set test_id = ${newIdOf(table, 'test_id')}
          where test_id in ${movedIds}`.execute(db);
      }
      await sql`update tests set id = ${newIdOf('tests', 'id')} where id in ${movedIds}`.execute(
        db,
      );
    }
    await movesDb.schema.dropTable('test_id_moves').execute();
  },
};
