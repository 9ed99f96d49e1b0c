import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestReport } from '../../app/tests/ingest-report.ts';
import { bufferSource } from '../../app/tests/report-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { executionsByReportNumberMigration } from './0014-executions-by-report-number.ts';

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

const columns = [
  'test_id',
  'status',
  'duration_ms',
  'attempt_count',
  'failed_attempts',
  'attempts',
  'started_at',
  'properties',
] as const;

/** Every execution with the ids of its report and run, sorted: what the migration must keep. */
async function executionsWithIds(store: TestStore): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select p.id as report_id, p.run_id, ${sql.join(columns.map((c) => sql.ref(`e.${c}`)))}
    from test_executions e join test_reports p on p.seq = e.report_seq`.execute(store.db);
  return rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
}

/** The store as candor wrote it before 0014: executions naming report and run by their ids. */
async function ageToTextIds(store: TestStore): Promise<void> {
  const db = store.db;
  await sql`create table test_executions_old (report_id text not null, test_id text not null,
    run_id text not null, status text not null, duration_ms double precision,
    attempt_count integer not null, failed_attempts integer not null, attempts text,
    started_at text not null, properties text)`.execute(db);
  await sql`insert into test_executions_old
    select p.id, e.test_id, p.run_id, e.status, e.duration_ms, e.attempt_count, e.failed_attempts,
      e.attempts, e.started_at, e.properties
    from test_executions e join test_reports p on p.seq = e.report_seq`.execute(db);
  await sql`drop table test_executions`.execute(db);
  await sql`alter table test_executions_old rename to test_executions`.execute(db);
  await sql`create index test_executions_report on test_executions (report_id)`.execute(db);
  await sql`create index test_executions_run on test_executions (run_id)`.execute(db);
  await sql`create index test_executions_test_order
    on test_executions (test_id, started_at, run_id, report_id, status)`.execute(db);
  await sql`drop index test_reports_seq`.execute(db);
  await sql`alter table test_reports drop column seq`.execute(db);
}

const report = (failing: string) =>
  `<testsuites><testsuite name="A">
    <testcase classname="c.A" name="t1" time="0.5"/><testcase classname="c.A" name="t2"/>
    <testcase classname="c.A" name="${failing}"><failure message="boom"/></testcase>
    <testcase classname="c.A" name="${failing}"/>
  </testsuite></testsuites>`;

const ingest = (store: TestStore, runId: string, failing: string, path: string) =>
  ingestReport(store, {
    run: {
      id: runId,
      repo: 'acme/shop',
      startedAt: `2026-11-1${runId.length}T10:00:00.000Z`,
      branch: 'main',
      defaultBranch: 'main',
      commitSha: 'c1',
    },
    source: bufferSource(path, Buffer.from(report(failing))),
    format: 'auto',
    allowEmpty: false,
    now: '2026-11-20T12:00:00.000Z',
  });

const migrate = (store: TestStore) =>
  executionsByReportNumberMigration.up(store.db as unknown as Kysely<unknown>, store.capabilities);

// Migration 0014 (docs/adr/0052): executions name their report by its number; the run is the
// report's.
describe.each(testDialects)('migration 0014-executions-by-report-number on %s', (dialect) => {
  let store: TestStore;
  let before: string[];
  beforeAll(async () => {
    store = await openTestStore(dialect);
    // Two runs, the second of two reports: a retry, a failure, same-commit evidence.
    await ingest(store, 'a', 't3', 'a.xml');
    await ingest(store, 'bb', 't2', 'b1.xml');
    await ingest(store, 'bb', 't1', 'b2.xml');
    before = await executionsWithIds(store);
    await ageToTextIds(store);
    await migrate(store);
  });
  afterAll(() => store.drop());

  it('numbers every report and keeps every execution, naming its report by number', async () => {
    expect(before).toHaveLength(9);
    expect(await executionsWithIds(store)).toEqual(before);
    const seqs = (await store.db.selectFrom('test_reports').select('seq').execute()).map((r) =>
      Number(r.seq),
    );
    expect(seqs.sort()).toEqual([1, 2, 3]);
  });

  it('indexes executions by report number and by test in occurrence order, and no longer by run', async () => {
    expect(await executionIndexes(store)).toEqual({
      test_executions_report: ['report_seq'],
      test_executions_test_order: ['test_id', 'started_at', 'report_seq', 'status'],
    });
  });

  it('changes nothing when run again', async () => {
    await migrate(store);
    expect(await executionsWithIds(store)).toEqual(before);
  });

  it('finishes a migration stopped after the old table was dropped', async () => {
    await ageToTextIds(store);
    // What the migration has done by the time it drops the old table, then stops.
    await store.capabilities.rowNumbers.add(
      store.db as unknown as Kysely<unknown>,
      'test_reports',
      'seq',
    );
    await sql`create table test_executions_numbered (report_seq integer not null,
      test_id text not null, status text not null, duration_ms double precision,
      attempt_count integer not null, failed_attempts integer not null, attempts text,
      started_at text not null, properties text)`.execute(store.db);
    await sql`insert into test_executions_numbered
      select p.seq, e.test_id, e.status, e.duration_ms, e.attempt_count, e.failed_attempts,
        e.attempts, e.started_at, e.properties
      from test_executions e join test_reports p on p.id = e.report_id`.execute(store.db);
    await sql`drop table test_executions`.execute(store.db);
    await migrate(store);
    expect(await executionsWithIds(store)).toEqual(before);
    expect(Object.keys(await executionIndexes(store)).sort()).toEqual([
      'test_executions_report',
      'test_executions_test_order',
    ]);
  });

  it('lets the next ingest number its report above the others and read it back', async () => {
    const file = await ingest(store, 'ccc', 't3', 'c.xml');
    expect(file.errors).toEqual([]);
    const seq = await store.db
      .selectFrom('test_reports')
      .select('seq')
      .where('run_id', '=', 'ccc')
      .executeTakeFirstOrThrow();
    expect(Number(seq.seq)).toBe(4);
    const mine = await store.db
      .selectFrom('test_executions')
      .select('status')
      .where('report_seq', '=', seq.seq)
      .execute();
    expect(mine.map((r) => r.status).sort()).toEqual(['flaky', 'passed', 'passed']);
  });
});
