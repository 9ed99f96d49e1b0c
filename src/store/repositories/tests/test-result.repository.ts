import { sql } from 'kysely';
import { compareText } from '../../../core/lib/compare-text.ts';
import type {
  Attempt,
  FinalStatus,
  ReportedTest,
  StatusCounts,
} from '../../../core/tests/test-model.ts';
import type { TestRun } from '../../../core/tests/test-run.ts';
import { batches } from '../../lib/batches.ts';
import { insertRows } from '../../lib/insert-rows.ts';
import type { Store } from '../../open-store.ts';
import type { Db } from '../../tables/database.ts';
import type { TestExecutionTable } from '../../tables/test-execution.table.ts';
import type { TestRunTable } from '../../tables/test-run.table.ts';
import type { TestTable } from '../../tables/test.table.ts';
import { placeDigits } from './test-id.ts';
import {
  attemptsColumn,
  attemptsOf,
  propertiesColumn,
  summarizeAttempts,
} from './execution-columns.ts';

/**
 * One test of a report as ingest judged it: its identity (`id` derived from repo and key), what
 * the report said of it, every attempt it made in the report (repeats merged) and the final status.
 */
export type ExecutedTest = {
  id: string;
  key: string;
  test: ReportedTest;
  attempts: Attempt[];
  status: FinalStatus;
};

/** Records the run once; later reports of the same run keep its first metadata. */
export async function ensureRun(
  store: Store,
  db: Db,
  run: TestRun,
  createdAt: string,
): Promise<void> {
  const row: TestRunTable = {
    id: run.id,
    repo: run.repo,
    branch: run.branch ?? null,
    commit_sha: run.commitSha ?? null,
    ci_provider: run.ciProvider ?? null,
    ci_job: run.ciJob ?? null,
    ci_attempt: run.ciAttempt ?? null,
    ci_url: run.ciUrl ?? null,
    variant: run.variant ?? null,
    started_at: run.startedAt,
    created_at: createdAt,
    default_branch: run.defaultBranch ?? null,
  };
  await insertRows(store, db, 'test_runs', [row], ['id']);
}

/** The stored start of a run (ISO-8601 UTC); throws when the run is not stored. */
export async function findRunStart(db: Db, runId: string): Promise<string> {
  const row = await db
    .selectFrom('test_runs')
    .select('started_at')
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  return row.started_at;
}

/**
 * Moves a run's start earlier to `startedAt` (a time its report states), with everything stored
 * under the run's start: its executions, failures and flaky evidence, and the first sightings of
 * the report's tests. Never moves it later. Returns the run's start afterwards.
 */
export async function moveRunStartEarlier(
  db: Db,
  target: { runId: string; reportSeq: number; startedAt: string },
): Promise<string> {
  const { runId, reportSeq, startedAt } = target;
  await db
    .updateTable('test_runs')
    .set({ started_at: startedAt })
    .where('id', '=', runId)
    .where('started_at', '>', startedAt)
    .execute();
  await db
    .updateTable('test_executions')
    .set({ started_at: startedAt })
    .where('report_seq', 'in', (eb) =>
      eb.selectFrom('test_reports').select('seq').where('run_id', '=', runId),
    )
    .where('started_at', '>', startedAt)
    .execute();
  await db
    .updateTable('test_failures')
    .set({ at: startedAt })
    .where('run_id', '=', runId)
    .where('at', '>', startedAt)
    .execute();
  await db
    .updateTable('test_flaky_events')
    .set({ at: startedAt })
    .where('run_id', '=', runId)
    .where('at', '>', startedAt)
    .execute();
  await db
    .updateTable('tests')
    .set({ first_seen_at: startedAt })
    .where('first_seen_at', '>', startedAt)
    .where('id', 'in', (eb) =>
      eb.selectFrom('test_executions').select('test_id').where('report_seq', '=', reportSeq),
    )
    .execute();
  return findRunStart(db, runId);
}

/** Records the identities of tests not seen before (first seen at the run's start). */
export async function upsertTests(
  store: Store,
  db: Db,
  run: TestRun,
  tests: readonly ExecutedTest[],
): Promise<void> {
  // In key order, so concurrent writers take row locks in the same order.
  const sorted = [...tests].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Only tests not stored yet are written: in CI's steady state (the same suite again) that is
  // none, and no row is built (docs/adr/0049). Ids of one place are neighbours, so a dialect may
  // read a place's stored ids as one range (docs/adr/0050). The conflict clause stays.
  const { absentKeys } = store.capabilities;
  const absent =
    absentKeys &&
    new Set(
      await absentKeys(
        db,
        'tests',
        'id',
        sorted.map((test) => test.id),
        { hexPrefix: placeDigits },
      ),
    );
  const toWrite = absent === undefined ? sorted : sorted.filter((test) => absent.has(test.id));
  const rows: TestTable[] = toWrite.map(({ id, key, test }) => ({
    id,
    repo: run.repo,
    key,
    name: test.name,
    classname: test.classname ?? null,
    file: test.file ?? null,
    line: test.line ?? null,
    suite: test.suitePath.length > 0 ? test.suitePath.join(' > ') : null,
    variant: run.variant ?? null,
    first_seen_at: run.startedAt,
  }));
  await insertRows(store, db, 'tests', rows, ['id'], { probedAbsent: absent !== undefined });
}

/** A stored report: its id, the reader that read it, and its counts of distinct tests. */
export type StoredReport = StatusCounts & { id: string; format: string; testCases: number };

/** The report of a run with this content, if it is stored. */
export async function findReportByContent(
  db: Db,
  runId: string,
  contentSha256: string,
): Promise<StoredReport | undefined> {
  const row = await db
    .selectFrom('test_reports')
    .select(['id', 'format', 'tests', 'passed', 'failed', 'skipped', 'flaky', 'test_cases'])
    .where('run_id', '=', runId)
    .where('content_sha256', '=', contentSha256)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        format: row.format,
        tests: row.tests,
        passed: row.passed,
        failed: row.failed,
        skipped: row.skipped,
        flaky: row.flaky,
        testCases: row.test_cases,
      };
}

/** A report about to be stored; its counts start at zero (`updateReportCounts`). */
export type NewReport = {
  id: string;
  runId: string;
  path: string;
  format: string;
  contentSha256: string;
  sizeBytes: number;
  ingestedAt: string;
};

/**
 * Stores a report's row, its counts at zero until `updateReportCounts`. Returns the number the
 * database gave it, what its executions name it by (docs/adr/0052).
 */
export async function insertReport(store: Store, db: Db, report: NewReport): Promise<number> {
  const { seq } = await db
    .insertInto('test_reports')
    .values({
      id: report.id,
      seq: store.capabilities.rowNumbers.next('test_reports', 'seq'),
      run_id: report.runId,
      path: report.path,
      format: report.format,
      content_sha256: report.contentSha256,
      size_bytes: report.sizeBytes,
      test_cases: 0,
      tests: 0,
      passed: 0,
      failed: 0,
      skipped: 0,
      flaky: 0,
      ingested_at: report.ingestedAt,
      systemic: 0,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(seq);
}

/** Saves a report's counts of distinct tests, and whether it was systemic (ADR 7). */
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

/** What is stored of a test's execution in a report: its final status and attempts. */
export type StoredExecution = { testId: string; status: FinalStatus; attempts: Attempt[] };

/** Executions already stored for these tests in this report (a test repeated later in a report). */
export async function findReportExecutions(
  store: Store,
  db: Db,
  reportSeq: number,
  testIds: readonly string[],
): Promise<StoredExecution[]> {
  const found: StoredExecution[] = [];
  for (const ids of batches(store.capabilities, testIds, 1, 1)) {
    const rows = await db
      .selectFrom('test_executions')
      .select(['test_id', 'status', 'attempts', 'duration_ms'])
      .where('report_seq', '=', reportSeq)
      .where('test_id', 'in', ids)
      .execute();
    for (const row of rows) {
      found.push({ testId: row.test_id, status: row.status, attempts: attemptsOf(row) });
    }
  }
  return found;
}

/**
 * Stores the executions of these tests in a report, replacing those stored before for
 * `replaceTestIds` (tests merged again).
 */
export async function writeExecutions(
  store: Store,
  db: Db,
  report: { reportSeq: number; run: TestRun },
  tests: readonly ExecutedTest[],
  replaceTestIds: readonly string[],
): Promise<void> {
  if (tests.length === 0) return;
  const { reportSeq, run } = report;
  for (const ids of batches(store.capabilities, replaceTestIds, 1, 1)) {
    await db
      .deleteFrom('test_executions')
      .where('report_seq', '=', reportSeq)
      .where('test_id', 'in', ids)
      .execute();
  }
  const rows = tests.map(({ id, test, attempts, status }): TestExecutionTable => {
    const { durationMs, failedAttempts } = summarizeAttempts(attempts);
    return {
      report_seq: reportSeq,
      test_id: id,
      status,
      duration_ms: durationMs,
      attempt_count: attempts.length,
      failed_attempts: failedAttempts,
      attempts: attemptsColumn(attempts),
      started_at: run.startedAt,
      properties: propertiesColumn(test, status === 'passed'),
    };
  });
  await insertRows(store, db, 'test_executions', rows);
}

/** A stored run with counts of its distinct tests by final status and its number of reports. */
export type RunSummary = StatusCounts & {
  id: string;
  repo: string;
  branch: string | null;
  commitSha: string | null;
  ciProvider: string | null;
  ciJob: string | null;
  ciAttempt: string | null;
  ciUrl: string | null;
  variant: string | null;
  startedAt: string;
  createdAt: string;
  defaultBranch: string | null;
  reports: number;
};

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
    .selectFrom('test_executions as e')
    .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
    .select([
      'p.run_id',
      'e.test_id',
      sql<number>`max(case when status = 'flaky' or status = 'passed' then 1 else 0 end)`.as(
        'has_pass',
      ),
      sql<number>`max(case when status = 'flaky' or status = 'failed' then 1 else 0 end)`.as(
        'has_fail',
      ),
      sql<number>`max(case when status = 'flaky' then 1 else 0 end)`.as('has_flaky'),
    ])
    .where('p.run_id', 'in', ids)
    .groupBy(['p.run_id', 'e.test_id'])
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
      id: run.id,
      repo: run.repo,
      branch: run.branch,
      commitSha: run.commit_sha,
      ciProvider: run.ci_provider,
      ciJob: run.ci_job,
      ciAttempt: run.ci_attempt,
      ciUrl: run.ci_url,
      variant: run.variant,
      startedAt: run.started_at,
      createdAt: run.created_at,
      defaultBranch: run.default_branch,
      reports: reportsByRun.get(run.id) ?? 0,
      tests: Number(c?.tests ?? 0),
      passed: Number(c?.passed ?? 0),
      failed: Number(c?.failed ?? 0),
      skipped: Number(c?.skipped ?? 0),
      flaky: Number(c?.flaky ?? 0),
    };
  });
}

/** A stored test identity. */
export type StoredTest = {
  id: string;
  repo: string;
  key: string;
  name: string;
  classname: string | null;
  file: string | null;
  line: number | null;
  suite: string | null;
  variant: string | null;
  firstSeenAt: string;
};

/** One execution of a test in its history, with its run's branch, commit and variant. */
export type HistoryExecution = {
  runId: string;
  status: FinalStatus;
  durationMs: number | null;
  attemptCount: number;
  failedAttempts: number;
  startedAt: string;
  branch: string | null;
  commitSha: string | null;
  variant: string | null;
  attempts: Attempt[];
};

export type TestHistoryEntry = { test: StoredTest; executions: HistoryExecution[] };

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
      .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
      .innerJoin('test_runs as r', 'r.id', 'p.run_id')
      .select([
        'p.run_id',
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
      .orderBy('p.run_id')
      .limit(options.limit)
      .execute();
    entries.push({
      test: toStoredTest(test),
      executions: executions.map((e) => ({
        runId: e.run_id,
        status: e.status,
        durationMs: e.duration_ms,
        attemptCount: e.attempt_count,
        failedAttempts: e.failed_attempts,
        startedAt: e.started_at,
        branch: e.branch,
        commitSha: e.commit_sha,
        variant: e.variant,
        attempts: attemptsOf(e),
      })),
    });
  }
  return entries;
}

function toStoredTest(row: TestTable): StoredTest {
  return {
    id: row.id,
    repo: row.repo,
    key: row.key,
    name: row.name,
    classname: row.classname,
    file: row.file,
    line: row.line,
    suite: row.suite,
    variant: row.variant,
    firstSeenAt: row.first_seen_at,
  };
}
