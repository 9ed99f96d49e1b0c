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
import { flakyHints, type ExecutionBaseline } from '../core/flaky/flaky-hints.ts';
import { orderStats, type OrderedExecution } from '../core/flaky/order-stats.ts';
import { testFileOf } from '../core/tests/test-file-of.ts';
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
  const history = await loadWindowHistory(store.db, query);
  const stats = await loadWindowStats(store.db, query, history);
  const ownersOf = (test: TestWindowStats) => {
    const file = testFileOf(test);
    return file === undefined ? [] : options.ownersOf(file);
  };
  const verdicts = new Map(stats.map((s) => [s.testId, classifyTest(s, options.now, classify)]));
  const entries = stats.map((s) => {
    const verdict = verdicts.get(s.testId)!;
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
      flakyBySignal: verdict.flakyBySignal,
      signals: verdict.signals,
      lastFlakyAt: s.lastFlakyAt,
      owners: ownersOf(s),
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
    entry.hints = flakyHints(failuresByTest.get(testId) ?? [], history.baselines.get(testId));
  }
  const rateFlaky = new Set(
    [...verdicts].filter(([, v]) => v.flakyBySignal.failureRate > 0).map(([id]) => id),
  );
  const budget = computeFlakeBudget({
    tests: stats,
    max: options.maxBudget,
    daily: query.branch === undefined ? await loadDailyTotals(store, query) : [],
    sameCommitByDay: sameCommitByDay(history, query),
    failureRateByDay: await loadFailuresByDay(store.db, query, history, rateFlaky),
    ownersOf,
    flakyOf: (test) => verdicts.get(test.testId)!.flakyBySignal,
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
  history: WindowHistory,
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
        join test_reports p on p.seq = e.report_seq
        join test_runs r on r.id = p.run_id
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
          from (select * from test_daily_stats union all select * from test_daily_recent) d
          where day >= ${fromDay} and day <= ${toDay} ${branchFilter}
          group by test_id
        ) s
        join tests t on t.id = s.test_id
        where 1 = 1 ${repoFilter}`.execute(db)
    ).rows;
  }
  const sameCommitRuns = new Map<string, Set<string>>();
  for (const event of history.events) {
    if (event.kind !== 'same-commit' || event.at < query.from || event.at > query.to) continue;
    const runs = sameCommitRuns.get(event.test_id) ?? new Set<string>();
    runs.add(event.run_id);
    sameCommitRuns.set(event.test_id, runs);
  }
  return rows.map((row) => {
    const { flips, failStreak } = orderStats(history.executions.get(row.test_id) ?? []);
    const lastFlakyAt =
      history.events
        .filter((e) => e.test_id === row.test_id && e.at <= query.to)
        .map((e) => e.at)
        .sort()
        .at(-1) ?? null;
    const cleanSinceFlaky =
      lastFlakyAt === null
        ? 0
        : (history.passesAt.get(row.test_id) ?? []).filter((at) => at > lastFlakyAt).length;
    return {
      testId: row.test_id,
      key: row.key,
      name: row.name,
      suite: row.suite ?? row.classname,
      file: row.file,
      classname: row.classname,
      executions: Number(row.executions),
      passed: Number(row.passed),
      failed: Number(row.failed),
      retryFlaky: Number(row.flaky),
      skipped: Number(row.skipped),
      systemicFailures: Number(row.systemic_failures),
      flips,
      sameCommitFailures: sameCommitRuns.get(row.test_id)?.size ?? 0,
      lastFlakyAt,
      cleanSinceFlaky,
      defaultFailStreak: failStreak,
    };
  });
}

type WindowHistory = {
  /** Every test's executions in the window on the query's branch, in occurrence order. */
  executions: Map<string, OrderedExecution[]>;
  /** Every test's passing executions up to the window's end on the branch (any time before). */
  passesAt: Map<string, string[]>;
  /** Every flaky event on the branch. */
  events: { test_id: string; kind: string; at: string; run_id: string }[];
  baselines: Map<string, ExecutionBaseline>;
  runs: Map<string, { id: string; branch: string | null; default_branch: string | null }>;
};

/** Whether a run is on the query's branch (every run when the query names none). */
function isOnBranch(
  run: { branch: string | null; default_branch: string | null },
  query: WindowQuery,
): boolean {
  if (query.branch !== undefined) return run.branch === query.branch;
  if (query.defaultBranchOnly) return run.branch !== null && run.branch === run.default_branch;
  return true;
}

/** The whole history the order-dependent values and hints need, in memory, on the query's branch. */
async function loadWindowHistory(db: Kysely<Database>, query: WindowQuery): Promise<WindowHistory> {
  const runs = new Map(
    (
      await db
        .selectFrom('test_runs')
        .select(['id', 'branch', 'default_branch', 'ci_job', 'variant'])
        .execute()
    ).map((r) => [r.id, r]),
  );
  const reports = new Map(
    (await db.selectFrom('test_reports').select(['seq', 'run_id', 'systemic']).execute()).map(
      (r) => [Number(r.seq), r],
    ),
  );
  // Only tests that failed in the window or were ever flaky can have flips, a streak or clean
  // runs to count (the others have none): their whole history up to the window's end.
  const rows = (
    await db
      .selectFrom('test_executions')
      .select(['test_id', 'report_seq', 'status', 'started_at'])
      .where('started_at', '<=', query.to)
      .where((eb) =>
        eb.or([
          eb(
            'test_id',
            'in',
            eb
              .selectFrom('test_failures')
              .select('test_id')
              .where('at', '>=', query.from)
              .where('at', '<=', query.to),
          ),
          eb('test_id', 'in', eb.selectFrom('test_flaky_events').select('test_id')),
        ]),
      )
      .execute()
  ).sort(
    (a, b) =>
      compareText(a.started_at, b.started_at) || Number(a.report_seq) - Number(b.report_seq),
  );
  const history: WindowHistory = {
    executions: new Map(),
    passesAt: new Map(),
    events: [],
    baselines: new Map(),
    runs,
  };
  for (const row of rows) {
    const report = reports.get(Number(row.report_seq));
    const run = report && runs.get(report.run_id);
    if (!report || !run || !isOnBranch(run, query)) continue;
    if (row.status === 'passed') {
      const list = history.passesAt.get(row.test_id) ?? [];
      list.push(row.started_at);
      history.passesAt.set(row.test_id, list);
    }
    if (row.started_at < query.from) continue;
    const systemic = report.systemic === 1;
    const list = history.executions.get(row.test_id) ?? [];
    list.push({
      status: row.status,
      systemic,
      onStreakBranch: query.branch !== undefined || run.branch === run.default_branch,
    });
    history.executions.set(row.test_id, list);
    if (row.status === 'skipped' || (row.status === 'failed' && systemic)) continue;
    let baseline = history.baselines.get(row.test_id);
    if (!baseline) {
      baseline = {
        executions: 0,
        byHour: Array.from({ length: 24 }, () => 0),
        byCiJob: {},
        byVariant: {},
      };
      history.baselines.set(row.test_id, baseline);
    }
    baseline.executions++;
    const hour = Number(row.started_at.slice(11, 13));
    baseline.byHour[hour] = (baseline.byHour[hour] ?? 0) + 1;
    if (run.ci_job !== null) baseline.byCiJob[run.ci_job] = (baseline.byCiJob[run.ci_job] ?? 0) + 1;
    if (run.variant !== null)
      baseline.byVariant[run.variant] = (baseline.byVariant[run.variant] ?? 0) + 1;
  }
  history.events = (
    await db.selectFrom('test_flaky_events').select(['test_id', 'kind', 'at', 'run_id']).execute()
  ).filter((e) => {
    const run = runs.get(e.run_id);
    return run !== undefined && isOnBranch(run, query);
  });
  return history;
}

/** Failures of the failure-rate flaky tests by day, minus those of runs with same-commit evidence. */
async function loadFailuresByDay(
  db: Kysely<Database>,
  query: WindowQuery,
  history: WindowHistory,
  testIds: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const sameCommit = new Set(
    history.events.filter((e) => e.kind === 'same-commit').map((e) => `${e.test_id}\0${e.run_id}`),
  );
  const out = new Map<string, number>();
  for (const f of await db
    .selectFrom('test_failures')
    .select(['test_id', 'run_id', 'at'])
    .where('status', '=', 'failed')
    .where('systemic', '=', 0)
    .where('at', '>=', query.from)
    .where('at', '<=', query.to)
    .execute()) {
    const run = history.runs.get(f.run_id);
    if (!testIds.has(f.test_id) || sameCommit.has(`${f.test_id}\0${f.run_id}`)) continue;
    if (run === undefined || !isOnBranch(run, query)) continue;
    out.set(f.at.slice(0, 10), (out.get(f.at.slice(0, 10)) ?? 0) + 1);
  }
  return out;
}

function sameCommitByDay(history: WindowHistory, query: WindowQuery): Map<string, number> {
  const rows = history.events
    .filter((e) => e.kind === 'same-commit' && e.at >= query.from && e.at <= query.to)
    .sort((a, b) => compareText(a.at, b.at));
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
