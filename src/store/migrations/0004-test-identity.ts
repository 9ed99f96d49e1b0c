import { sql, type Kysely } from 'kysely';
import { isAbsolutePath, repoRelativePath } from '../../core/tests/repo-relative-path.ts';
import { testKey } from '../../core/tests/test-key.ts';
import { batches } from '../lib/batches.ts';
import { testId } from '../repositories/tests/test-id.ts';
import type { Database } from '../tables/database.ts';
import type { TestStateTable } from '../tables/test-state.table.ts';
import type { TestTable } from '../tables/test.table.ts';
import type { StoreMigration } from './store-migration.ts';

/** The tables whose rows name a test by id and have no key of their own on it. */
const plainTables = ['test_executions', 'test_failures', 'test_flaky_events'] as const;

/**
 * The identity of docs/adr/0015 for stored tests: each test's key is computed again from what
 * was stored of it (file, suite, classname, name, variant), its file and an absolute classname
 * made repository-relative (CI checkout prefixes stripped: the roots of old ingests are not
 * known), and its id from the new key. Rows of the tests whose id changes move to the new id:
 * executions, failures and flaky events as they are, daily stats summed per day, the state of
 * the latest one kept. Tests that now share a key (one file under two checkout folders) become
 * one; tests the old key merged stay one (what each repeat was cannot be known any more).
 * Idempotent: a store already keyed so is left as it is.
 */
export const testIdentityMigration: StoreMigration = {
  async up(unknownDb: Kysely<unknown>, capabilities) {
    const db = unknownDb as unknown as Kysely<Database>;
    const tests = await db.selectFrom('tests').selectAll().orderBy('first_seen_at').execute();
    const moves: { from: string; to: TestTable }[] = [];
    const renames: TestTable[] = [];
    for (const test of tests) {
      const next = rekeyed(test);
      if (next.id !== test.id) moves.push({ from: test.id, to: next });
      else if (
        next.key !== test.key ||
        next.file !== test.file ||
        next.classname !== test.classname
      )
        renames.push(next);
    }
    for (const next of renames) {
      await db
        .updateTable('tests')
        .set({ key: next.key, file: next.file, classname: next.classname })
        .where('id', '=', next.id)
        .execute();
    }
    if (moves.length === 0) return;

    await db.schema
      .createTable('test_id_moves')
      .addColumn('old_id', 'text', (c) => c.primaryKey())
      .addColumn('new_id', 'text', (c) => c.notNull())
      .execute();
    const movesDb = unknownDb as Kysely<{ test_id_moves: { old_id: string; new_id: string } }>;
    for (const part of batches(capabilities, moves, 2)) {
      await movesDb
        .insertInto('test_id_moves')
        .values(part.map((m) => ({ old_id: m.from, new_id: m.to.id })))
        .execute();
    }
    const moved = sql`(select old_id from test_id_moves)`;
    const newIdOf = (table: string) =>
      sql`(select m.new_id from test_id_moves m where m.old_id = ${sql.ref(`${table}.test_id`)})`;

    // Identities: the old rows go first, so a new key that was another test's old key is free.
    await sql`delete from tests where id in ${moved}`.execute(db);
    for (const part of batches(capabilities, moves, 10)) {
      await db
        .insertInto('tests')
        .values(part.map((m) => m.to))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    for (const table of plainTables) {
      await sql`update ${sql.table(table)} set test_id = ${newIdOf(table)} where test_id in ${moved}`.execute(
        db,
      );
    }

    // Daily stats are keyed by test and day: summed into the new id's days.
    await sql`create table test_daily_stats_moved as
      select m.new_id as test_id, d.day, d.on_default_branch, d.executions, d.passed, d.failed,
        d.flaky, d.skipped, d.systemic_failures, d.flips, d.duration_ms_sum, d.duration_count
      from test_daily_stats d join test_id_moves m on m.old_id = d.test_id`.execute(db);
    await sql`delete from test_daily_stats where test_id in ${moved}`.execute(db);
    await sql`insert into test_daily_stats (test_id, day, on_default_branch, executions, passed,
        failed, flaky, skipped, systemic_failures, flips, duration_ms_sum, duration_count)
      select test_id, day, on_default_branch, sum(executions), sum(passed), sum(failed), sum(flaky),
        sum(skipped), sum(systemic_failures), sum(flips), sum(duration_ms_sum), sum(duration_count)
      from test_daily_stats_moved group by test_id, day, on_default_branch
      on conflict (test_id, day, on_default_branch) do update set
        executions = test_daily_stats.executions + excluded.executions,
        passed = test_daily_stats.passed + excluded.passed,
        failed = test_daily_stats.failed + excluded.failed,
        flaky = test_daily_stats.flaky + excluded.flaky,
        skipped = test_daily_stats.skipped + excluded.skipped,
        systemic_failures = test_daily_stats.systemic_failures + excluded.systemic_failures,
        flips = test_daily_stats.flips + excluded.flips,
        duration_ms_sum = test_daily_stats.duration_ms_sum + excluded.duration_ms_sum,
        duration_count = test_daily_stats.duration_count + excluded.duration_count`.execute(db);
    await db.schema.dropTable('test_daily_stats_moved').execute();

    // State: the latest of the tests that became one, with their latest flaky evidence.
    const newIds = new Map(moves.map((m) => [m.from, m.to.id]));
    const states = new Map<string, TestStateTable>();
    for (const ids of batches(capabilities, [...newIds.keys()], 1)) {
      for (const row of await db
        .selectFrom('test_state')
        .selectAll()
        .where('test_id', 'in', ids)
        .execute()) {
        const id = newIds.get(row.test_id) as string;
        const kept = states.get(id);
        const lastFlaky = [kept?.last_flaky_at ?? null, row.last_flaky_at]
          .filter((at): at is string => at !== null)
          .sort()
          .at(-1);
        const latest = kept === undefined || row.last_at > kept.last_at ? row : kept;
        states.set(id, { ...latest, test_id: id, last_flaky_at: lastFlaky ?? null });
      }
    }
    await sql`delete from test_state where test_id in ${moved}`.execute(db);
    for (const part of batches(capabilities, [...states.values()], 6)) {
      await db
        .insertInto('test_state')
        .values(part)
        .onConflict((oc) =>
          oc.column('test_id').doUpdateSet((eb) => ({
            last_flaky_at: eb.ref('excluded.last_flaky_at'),
          })),
        )
        .execute();
    }
    await db.schema.dropTable('test_id_moves').execute();
  },
};

/** A stored test under the identity of docs/adr/0015. */
function rekeyed(test: TestTable): TestTable {
  const file = test.file === null ? null : repoRelativePath(test.file);
  const classname =
    test.classname !== null && isAbsolutePath(test.classname)
      ? repoRelativePath(test.classname)
      : test.classname;
  const key = testKey(
    {
      name: test.name,
      ...(classname === null ? {} : { classname }),
      ...(file === null ? {} : { file }),
      suitePath: test.suite === null ? [] : test.suite.split(' > '),
    },
    test.variant ?? undefined,
  );
  return { ...test, id: testId(test.repo, key), key, file, classname };
}
