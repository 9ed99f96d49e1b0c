import { compareText } from '../../../core/lib/compare-text.ts';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { Attempt, StatusCounts } from '../../../core/tests/test-model.ts';
import type {
  Database,
  TestExecutionTable,
  TestReportTable,
  TestRunTable,
  TestTable,
} from '../../schema.ts';
import type { Store } from '../../open-store.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row INSERT: large enough to amortise round trips, small enough for any dialect. */
function batchSize(store: Store, columns: number): number {
  return Math.max(1, Math.min(1_000, Math.floor(store.capabilities.maxParameters / columns)));
}

/** SQL of multi-row inserts by shape, compiled by Kysely once per store (it is the hot path). */
const insertSql = new WeakMap<Store, Map<string, string>>();

async function insertInBatches<T extends keyof Database>(
  store: Store,
  db: Db,
  table: T,
  rows: Database[T][],
  onConflict?: (keyof Database[T] & string)[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first) as (keyof Database[T] & string)[];
  const size = batchSize(store, columns.length);
  let cache = insertSql.get(store);
  if (!cache) insertSql.set(store, (cache = new Map<string, string>()));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const shape = `${table}|${columns.join(',')}|${chunk.length}|${onConflict?.join(',') ?? ''}`;
    let text = cache.get(shape);
    if (text === undefined) {
      const placeholders = chunk.map(() => Object.fromEntries(columns.map((c) => [c, null])));
      // Kysely's generic insert types cannot follow a table chosen at run time.
      const query = db.insertInto(table).values(placeholders as never);
      text = (
        onConflict ? query.onConflict((oc) => oc.columns(onConflict).doNothing()) : query
      ).compile().sql;
      cache.set(shape, text);
    }
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of columns) parameters.push(row[column]);
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/** Records the run once; later reports of the same run keep its first metadata. */
export async function ensureRun(store: Store, db: Db, run: TestRunTable): Promise<void> {
  await insertInBatches(store, db, 'test_runs', [run], ['id']);
}

/** Records test identities not seen before. */
export async function upsertTests(store: Store, db: Db, tests: TestTable[]): Promise<void> {
  const sorted = tests.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await insertInBatches(store, db, 'tests', sorted, ['id']);
}

export async function findReportByContent(
  db: Db,
  runId: string,
  contentSha256: string,
): Promise<TestReportTable | undefined> {
  return db
    .selectFrom('test_reports')
    .selectAll()
    .where('run_id', '=', runId)
    .where('content_sha256', '=', contentSha256)
    .executeTakeFirst();
}

export async function insertReport(store: Store, db: Db, report: TestReportTable): Promise<void> {
  await insertInBatches(store, db, 'test_reports', [report]);
}

export async function updateReportCounts(
  db: Db,
  reportId: string,
  counts: StatusCounts & { testCases: number; systemic: boolean },
): Promise<void> {
  await db
    .updateTable('test_reports')
    .set({
      systemic: counts.systemic ? 1 : 0,
      test_cases: counts.testCases,
      tests: counts.tests,
      passed: counts.passed,
      failed: counts.failed,
      skipped: counts.skipped,
      flaky: counts.flaky,
    })
    .where('id', '=', reportId)
    .execute();
}

/** Executions already stored for these tests in this report (a test repeated later in a report). */
export async function findReportExecutions(
  db: Db,
  reportId: string,
  testIds: string[],
): Promise<Pick<TestExecutionTable, 'test_id' | 'status' | 'attempts' | 'duration_ms'>[]> {
  if (testIds.length === 0) return [];
  return db
    .selectFrom('test_executions')
    .select(['test_id', 'status', 'attempts', 'duration_ms'])
    .where('report_id', '=', reportId)
    .where('test_id', 'in', testIds)
    .execute();
}

/** Replaces the executions of these tests in a report with the given rows. */
export async function writeExecutions(
  store: Store,
  db: Db,
  rows: TestExecutionTable[],
  replaceTestIds: string[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  if (replaceTestIds.length > 0) {
    await db
      .deleteFrom('test_executions')
      .where('report_id', '=', first.report_id)
      .where('test_id', 'in', replaceTestIds)
      .execute();
  }
  await insertInBatches(store, db, 'test_executions', rows);
}

/** The attempts of a stored execution; a null column is one passing attempt. */
export function attemptsOf(row: Pick<TestExecutionTable, 'attempts' | 'duration_ms'>): Attempt[] {
  if (row.attempts !== null) return JSON.parse(row.attempts) as Attempt[];
  return [
    row.duration_ms === null
      ? { status: 'passed' }
      : { status: 'passed', durationMs: row.duration_ms },
  ];
}

/** The attempts column for a row: null for one passing attempt (most rows), else JSON. */
export function attemptsColumn(attempts: Attempt[]): string | null {
  return attempts.length === 1 && attempts[0]?.status === 'passed'
    ? null
    : JSON.stringify(attempts);
}

export type RunSummary = TestRunTable & StatusCounts & { reports: number };

/**
 * The latest runs with counts of distinct tests by final status; a test seen in several reports
 * of a run is combined: flaky anywhere, or passed in one and failed in another, is flaky.
 */
export async function listRuns(
  db: Db,
  options: { limit: number; repo?: string | undefined },
): Promise<RunSummary[]> {
  let query = db
    .selectFrom('test_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(options.limit);
  if (options.repo !== undefined) query = query.where('repo', '=', options.repo);
  const runs = await query.execute();
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const perTest = db
    .selectFrom('test_executions')
    .select([
      'run_id',
      'test_id',
      sql<number>`max(case when status = 'flaky' or status = 'passed' then 1 else 0 end)`.as(
        'has_pass',
      ),
      sql<number>`max(case when status = 'flaky' or status = 'failed' then 1 else 0 end)`.as(
        'has_fail',
      ),
      sql<number>`max(case when status = 'flaky' then 1 else 0 end)`.as('has_flaky'),
    ])
    .where('report_id', 'in', (eb) =>
      eb.selectFrom('test_reports').select('id').where('run_id', 'in', ids),
    )
    .groupBy(['run_id', 'test_id'])
    .as('t');
  const counts = await db
    .selectFrom(perTest)
    .select([
      't.run_id',
      sql<number>`count(*)`.as('tests'),
      sql<number>`sum(case when has_flaky = 1 or (has_pass = 1 and has_fail = 1) then 1 else 0 end)`.as(
        'flaky',
      ),
      sql<number>`sum(case when has_flaky = 0 and has_fail = 1 and has_pass = 0 then 1 else 0 end)`.as(
        'failed',
      ),
      sql<number>`sum(case when has_flaky = 0 and has_pass = 1 and has_fail = 0 then 1 else 0 end)`.as(
        'passed',
      ),
      sql<number>`sum(case when has_pass = 0 and has_fail = 0 then 1 else 0 end)`.as('skipped'),
    ])
    .groupBy('t.run_id')
    .execute();
  const reports = await db
    .selectFrom('test_reports')
    .select(['run_id', sql<number>`count(*)`.as('reports')])
    .where('run_id', 'in', ids)
    .groupBy('run_id')
    .execute();
  const countsByRun = new Map(counts.map((c) => [c.run_id, c]));
  const reportsByRun = new Map(reports.map((r) => [r.run_id, Number(r.reports)]));
  return runs.map((run) => {
    const c = countsByRun.get(run.id);
    return {
      ...run,
      reports: reportsByRun.get(run.id) ?? 0,
      tests: Number(c?.tests ?? 0),
      passed: Number(c?.passed ?? 0),
      failed: Number(c?.failed ?? 0),
      skipped: Number(c?.skipped ?? 0),
      flaky: Number(c?.flaky ?? 0),
    };
  });
}

export type TestHistoryEntry = {
  test: TestTable;
  executions: (Pick<
    TestExecutionTable,
    'run_id' | 'status' | 'duration_ms' | 'attempt_count' | 'failed_attempts' | 'started_at'
  > &
    Pick<TestRunTable, 'branch' | 'commit_sha' | 'variant'> & { attempts: Attempt[] })[];
};

/**
 * One test's history, newest first. `key` is matched exactly; when nothing matches exactly, every
 * variant of it (`key [variant]`) is returned.
 */
export async function findTestHistory(
  db: Db,
  options: { key: string; repo?: string | undefined; limit: number },
): Promise<TestHistoryEntry[]> {
  const find = (match: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
    match(base()).execute();
  const base = () => {
    let q = db.selectFrom('tests').selectAll();
    if (options.repo !== undefined) q = q.where('repo', '=', options.repo);
    return q;
  };
  let tests = await find((q) => q.where('key', '=', options.key));
  if (tests.length === 0) {
    const prefix = `${options.key} [`;
    tests = (
      await find((q) => q.where('key', '>=', prefix).where('key', '<', `${prefix}\uffff`))
    ).filter((t) => t.key.startsWith(prefix) && t.key.endsWith(']'));
  }
  const entries: TestHistoryEntry[] = [];
  for (const test of tests.sort(
    (a, b) => compareText(a.key, b.key) || compareText(a.repo, b.repo),
  )) {
    const executions = await db
      .selectFrom('test_executions as e')
      .innerJoin('test_runs as r', 'r.id', 'e.run_id')
      .select([
        'e.run_id',
        'e.status',
        'e.duration_ms',
        'e.attempt_count',
        'e.failed_attempts',
        'e.attempts',
        'e.started_at',
        'r.branch',
        'r.commit_sha',
        'r.variant',
      ])
      .where('e.test_id', '=', test.id)
      .orderBy('e.started_at', 'desc')
      .orderBy('e.run_id')
      .limit(options.limit)
      .execute();
    entries.push({ test, executions: executions.map((e) => ({ ...e, attempts: attemptsOf(e) })) });
  }
  return entries;
}
