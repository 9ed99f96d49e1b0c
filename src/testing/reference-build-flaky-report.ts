// Test support: the flaky report as it was built before streaming (issue 7): everything in
// memory. Kept as the reference the streaming build must agree with. Not used by candor itself.
import { compareText } from '../core/lib/compare-text.ts';
import {
  classifyTest,
  defaultClassifyOptions,
  type ClassifyOptions,
  type TestClassification,
} from '../core/flaky/classify-test.ts';
import { computeFlakeBudget } from '../core/flaky/flake-budget.ts';
import { flakyHints } from '../core/flaky/flaky-hints.ts';
import type { Store } from '../store/open-store.ts';
import { sql, type Kysely } from 'kysely';
import type { TestWindowStats } from '../core/flaky/classify-test.ts';
import type { FlakyReport, FlakyTestEntry } from '../app/flaky/build-flaky-report.ts';
import {
  loadDailyTotals,
  loadEvidence,
  loadFailureSamples,
  loadSystemicRuns,
  type WindowQuery,
} from '../store/repositories/flaky/flaky-report.repository.ts';
import type { Database } from '../store/tables/database.ts';

const classificationOrder: Record<TestClassification, number> = {
  flaky: 0,
  broken: 1,
  'insufficient-data': 2,
  healthy: 3,
};

/**
 * Classifies every test seen in the window and computes the flake budget, from the ingest-time
 * aggregates. `branch` equal to `defaultBranch` reads the default-branch aggregates; another
 * branch reads raw executions (slower).
 */
export async function referenceBuildFlakyReport(
  store: Store,
  options: {
    now: Date;
    windowMs: number;
    branch?: string | undefined;
    defaultBranch: string;
    repo?: string | undefined;
    maxBudget: number;
    classify?: Partial<ClassifyOptions>;
    ownersOf: (file: string) => string[];
  },
): Promise<FlakyReport> {
  const to = options.now.toISOString();
  const from = new Date(options.now.getTime() - options.windowMs).toISOString();
  const query: WindowQuery = { from, to, repo: options.repo };
  if (options.branch !== undefined) {
    if (options.branch === options.defaultBranch) query.defaultBranchOnly = true;
    else query.branch = options.branch;
  }
  const classify = { ...defaultClassifyOptions, ...options.classify };
  const stats = await loadWindowStats(store.db, query);
  const ownersOf = (file: string | null) => (file === null ? [] : options.ownersOf(file));
  const entries = stats.map((s) => {
    const verdict = classifyTest(s, options.now, classify);
    const entry: FlakyTestEntry = {
      key: s.key,
      name: s.name,
      suite: s.suite,
      file: s.file,
      classification: verdict.classification,
      flakyRate: verdict.flakyRate,
      executions: s.executions,
      failures: s.failed,
      flakyExecutions: verdict.flakyExecutions,
      signals: verdict.signals,
      lastFlakyAt: s.lastFlakyAt,
      owners: ownersOf(s.file),
    };
    return { entry, testId: s.testId };
  });
  const notable = entries.filter(
    (e) => e.entry.classification === 'flaky' || e.entry.classification === 'broken',
  );
  const ids = notable.map((e) => e.testId);
  const evidence = await loadEvidence(store, ids, query);
  const failures = await loadFailureSamples(store, ids, query);
  const failuresByTest = new Map<string, typeof failures>();
  for (const failure of failures) {
    const list = failuresByTest.get(failure.testId) ?? [];
    list.push(failure);
    failuresByTest.set(failure.testId, list);
  }
  for (const { entry, testId } of notable) {
    entry.evidence = evidence.get(testId) ?? [];
    entry.hints = flakyHints(failuresByTest.get(testId) ?? []);
  }
  const budget = computeFlakeBudget({
    tests: stats,
    max: options.maxBudget,
    daily: query.branch === undefined ? await loadDailyTotals(store, query) : [],
    sameCommitByDay: await loadSameCommitByDay(store.db, query),
    ownersOf: (test) => ownersOf(test.file),
  });
  return {
    window: { from, to },
    tests: entries
      .map((e) => e.entry)
      .sort(
        (a, b) =>
          classificationOrder[a.classification] - classificationOrder[b.classification] ||
          b.flakyRate - a.flakyRate ||
          b.failures - a.failures ||
          compareText(a.key, b.key),
      ),
    budget,
    systemicRuns: await loadSystemicRuns(store, query),
  };
}

type Row = {
  test_id: string;
  key: string;
  name: string;
  suite: string | null;
  file: string | null;
  classname: string | null;
  executions: number | string;
  passed: number | string;
  failed: number | string;
  flaky: number | string;
  skipped: number | string;
  systemic_failures: number | string;
  flips: number | string;
};

/**
 * Every test seen in the window with its counts, evidence and state, from the ingest-time
 * aggregates (daily stats, flaky events, test state): no scan of raw executions, unless a
 * non-default `branch` is asked for.
 */
async function loadWindowStats(
  db: Kysely<Database>,
  query: WindowQuery,
): Promise<TestWindowStats[]> {
  const fromDay = query.from.slice(0, 10);
  const toDay = query.to.slice(0, 10);
  const repoFilter = query.repo === undefined ? sql`` : sql`and t.repo = ${query.repo}`;
  let rows: Row[];
  if (query.branch !== undefined) {
    rows = (
      await sql<Row>`
        select t.id as test_id, t.key, t.name, t.suite, t.file, t.classname,
          count(*) as executions,
          sum(case when e.status = 'passed' then 1 else 0 end) as passed,
          sum(case when e.status = 'failed' and p.systemic = 0 then 1 else 0 end) as failed,
          sum(case when e.status = 'flaky' then 1 else 0 end) as flaky,
          sum(case when e.status = 'skipped' then 1 else 0 end) as skipped,
          sum(case when e.status = 'failed' and p.systemic = 1 then 1 else 0 end) as systemic_failures,
          0 as flips
        from test_executions e
        join test_runs r on r.id = e.run_id
        join test_reports p on p.id = e.report_id
        join tests t on t.id = e.test_id
        where r.branch = ${query.branch} and e.started_at >= ${query.from} and e.started_at <= ${query.to} ${repoFilter}
        group by t.id, t.key, t.name, t.suite, t.file, t.classname`.execute(db)
    ).rows;
  } else {
    const branchFilter = query.defaultBranchOnly ? sql`and on_default_branch = 1` : sql``;
    rows = (
      await sql<Row>`
        select t.id as test_id, t.key, t.name, t.suite, t.file, t.classname,
          s.executions, s.passed, s.failed, s.flaky, s.skipped, s.systemic_failures, s.flips
        from (
          select test_id, sum(executions) as executions, sum(passed) as passed, sum(failed) as failed,
            sum(flaky) as flaky, sum(skipped) as skipped, sum(systemic_failures) as systemic_failures,
            sum(flips) as flips
          from test_daily_stats
          where day >= ${fromDay} and day <= ${toDay} ${branchFilter}
          group by test_id
        ) s
        join tests t on t.id = s.test_id
        where 1 = 1 ${repoFilter}`.execute(db)
    ).rows;
  }
  const sameCommit = new Map(
    (
      await db
        .selectFrom('test_flaky_events')
        .select(['test_id', sql<number | string>`count(distinct run_id)`.as('runs')])
        .where('kind', '=', 'same-commit')
        .where('at', '>=', query.from)
        .where('at', '<=', query.to)
        .groupBy('test_id')
        .execute()
    ).map((r) => [r.test_id, Number(r.runs)]),
  );
  const states = new Map(
    (await db.selectFrom('test_state').selectAll().execute()).map((s) => [s.test_id, s]),
  );
  return rows.map((row) => {
    const state = states.get(row.test_id);
    return {
      testId: row.test_id,
      key: row.key,
      name: row.name,
      suite: row.suite ?? row.classname,
      file: row.file,
      executions: Number(row.executions),
      passed: Number(row.passed),
      failed: Number(row.failed),
      retryFlaky: Number(row.flaky),
      skipped: Number(row.skipped),
      systemicFailures: Number(row.systemic_failures),
      flips: Number(row.flips),
      sameCommitFailures: sameCommit.get(row.test_id) ?? 0,
      lastFlakyAt: state?.last_flaky_at ?? null,
      cleanSinceFlaky: state?.clean_since_flaky ?? 0,
      defaultFailStreak: state?.default_fail_streak ?? 0,
    };
  });
}

async function loadSameCommitByDay(
  db: Kysely<Database>,
  query: Pick<WindowQuery, 'from' | 'to'>,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('test_flaky_events')
    .select(['at', 'test_id', 'run_id'])
    .where('kind', '=', 'same-commit')
    .where('at', '>=', query.from)
    .where('at', '<=', query.to)
    .execute();
  const seen = new Set<string>();
  const out = new Map<string, number>();
  for (const row of rows) {
    const id = `${row.test_id}\0${row.run_id}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.set(row.at.slice(0, 10), (out.get(row.at.slice(0, 10)) ?? 0) + 1);
  }
  return out;
}
