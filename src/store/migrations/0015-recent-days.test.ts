import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestReport } from '../../app/tests/ingest-report.ts';
import { bufferSource } from '../../app/tests/report-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { recentDaysMigration } from './0015-recent-days.ts';

/** Indexes on `test_daily_recent` besides its primary key, by name. */
async function recentIndexes(store: TestStore): Promise<string[]> {
  const { rows } =
    store.location.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'index' and tbl_name = 'test_daily_recent' and sql is not null`.execute(
          store.db,
        )
      : await sql<{ name: string }>`select indexname as name from pg_indexes
          where tablename = 'test_daily_recent' and schemaname = current_schema()
            and indexname <> 'test_daily_recent_pk'`.execute(store.db);
  return rows.map((r) => r.name).sort();
}

const recentDays = async (store: TestStore) =>
  (await store.db.selectFrom('test_daily_recent_days').select('day').orderBy('day').execute()).map(
    (r) => r.day,
  );

const ingest = (store: TestStore, runId: string, startedAt: string) =>
  ingestReport(store, {
    run: { id: runId, repo: 'acme/shop', startedAt },
    source: bufferSource(
      `${runId}.xml`,
      Buffer.from('<testsuite name="s"><testcase classname="c" name="t"/></testsuite>'),
    ),
    format: 'auto',
    allowEmpty: false,
    now: '2026-11-20T12:00:00.000Z',
  });

const migrate = (store: TestStore) =>
  recentDaysMigration.up(store.db as unknown as Kysely<unknown>, store.capabilities);

// Migration 0015 (docs/adr/0055): the recent days in a table of their own, the index on day gone.
describe.each(testDialects)('migration 0015-recent-days on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    // A late report of the 10th waits beside the 12th's rows, so two days are recent.
    await ingest(store, 'a', '2026-11-12T09:00:00.000Z');
    await ingest(store, 'b', '2026-11-10T09:00:00.000Z');
    // The store as candor wrote it before 0015: the index on day, no list of days.
    await sql`drop table test_daily_recent_days`.execute(store.db);
    await sql`create index test_daily_recent_day on test_daily_recent (day)`.execute(store.db);
    expect(await recentIndexes(store)).toEqual(['test_daily_recent_day']);
    await migrate(store);
  });
  afterAll(() => store.drop());

  it('lists the days the recent daily stats hold and drops the index on day', async () => {
    expect(await recentDays(store)).toEqual(['2026-11-10', '2026-11-12']);
    expect(await recentIndexes(store)).toEqual([]);
  });

  it('finishes or repeats without change when run again', async () => {
    await migrate(store);
    expect(await recentDays(store)).toEqual(['2026-11-10', '2026-11-12']);
    expect(await recentIndexes(store)).toEqual([]);
  });

  it('settles the listed days at the next ingest of a later day', async () => {
    await ingest(store, 'c', '2026-11-13T09:00:00.000Z');
    expect(await recentDays(store)).toEqual(['2026-11-13']);
    const settled = await store.db
      .selectFrom('test_daily_stats')
      .select('day')
      .orderBy('day')
      .execute();
    expect(settled.map((r) => r.day)).toEqual(['2026-11-10', '2026-11-12']);
  });
});
