import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';

/** The indexes of `test_executions` and their columns, in order, as the database lists them. */
async function executionIndexes(store: TestStore): Promise<Record<string, string[]>> {
  if (store.location.kind === 'sqlite') {
    const names = await sql<{ name: string }>`
      select name from sqlite_master where type = 'index' and tbl_name = 'test_executions'`.execute(
      store.db,
    );
    const out: Record<string, string[]> = {};
    for (const { name } of names.rows)
      out[name] = (
        await sql<{
          name: string;
        }>`select name from pragma_index_info(${name}) order by seqno`.execute(store.db)
      ).rows.map((r) => r.name);
    return out;
  }
  const rows = await sql<{ name: string; column: string }>`
    select i.relname as name, a.attname as column
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    cross join lateral unnest(x.indkey) with ordinality as k(attnum, position)
    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
    where t.relname = 'test_executions' and n.nspname = current_schema()
    order by i.relname, k.position`.execute(store.db);
  const out: Record<string, string[]> = {};
  for (const row of rows.rows) (out[row.name] ??= []).push(row.column);
  return out;
}

// Migration 0012 (docs/adr/0048): a test's executions are one index range in occurrence order,
// with the status, in place of the index on the test alone.
describe.each(testDialects)('migration 0012 on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(() => store.drop());

  it('indexes executions by test, start, run, report and status, and drops the test-only index', async () => {
    const indexes = await executionIndexes(store);
    expect(indexes['test_executions_test_order']).toEqual([
      'test_id',
      'started_at',
      'run_id',
      'report_id',
      'status',
    ]);
    expect(indexes['test_executions_test']).toBeUndefined();
    expect(indexes['test_executions_report']).toEqual(['report_id']);
  });
});
