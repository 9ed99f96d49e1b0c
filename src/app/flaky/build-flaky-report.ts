import { getHeapStatistics } from 'node:v8';
import { CandorError } from '../../core/lib/candor-error.ts';
import { dayMs } from '../../core/lib/time.ts';
import { compareText } from '../../core/lib/compare-text.ts';
import {
  classifyTest,
  defaultClassifyOptions,
  type ClassifyOptions,
  type FlakyExecutionsBySignal,
  type FlakySignal,
  type TestClassification,
  type TestWindowStats,
} from '../../core/flaky/classify-test.ts';
import { createFlakeBudgetTally, type FlakeBudget } from '../../core/flaky/flake-budget.ts';
import { flakyHints, needsBaseline } from '../../core/flaky/flaky-hints.ts';
import { testFileOf } from '../../core/tests/test-file-of.ts';
import type { Store } from '../../store/open-store.ts';
import {
  loadDailyTotals,
  loadEvidence,
  loadExecutionBaselines,
  loadFailureSamples,
  loadFailuresByDay,
  loadOrderInputs,
  loadSameCommitByDay,
  loadSystemicRuns,
  streamWindowStats,
  type FailureSample,
  type FlakyEvidence,
  type OrderInputs,
  type SystemicRun,
  type WindowQuery,
} from '../../store/repositories/flaky/flaky-report.repository.ts';

export type FlakyTestEntry = {
  key: string;
  name: string;
  suite: string | null;
  file: string | null;
  classification: TestClassification;
  flakyRate: number;
  executions: number;
  failures: number;
  /** Every kind of flakiness the classification uses: the sum of `flakyBySignal`. */
  flakyExecutions: number;
  flakyBySignal: FlakyExecutionsBySignal;
  signals: FlakySignal[];
  lastFlakyAt: string | null;
  owners: string[];
  evidence?: FlakyEvidence[];
  hints?: string[];
};

/** The JSON of `candor flaky --json`. */
export type FlakyReport = {
  window: { from: string; to: string };
  tests: FlakyTestEntry[];
  budget: FlakeBudget;
  systemicRuns: SystemicRun[];
};

export type FlakyQuery = {
  now: Date;
  windowMs: number;
  branch?: string | undefined;
  defaultBranch: string;
  repo?: string | undefined;
  maxBudget: number;
  classify?: Partial<ClassifyOptions>;
  ownersOf: (file: string) => string[];
};

/**
 * What the flaky report says about the window, without the long tail: the flaky and broken tests
 * (with evidence and hints), how many tests fell in each class, the budget and systemic runs.
 */
export type FlakyAnalysis = {
  window: { from: string; to: string };
  /** Flaky tests first, then broken; within a class by flaky rate, failures, key. */
  notable: FlakyTestEntry[];
  /**
   * The other tests in report order, when the analysis was asked to keep them and there were
   * few enough (`restLimit`); otherwise undefined, and `streamFlakyTests` reads them again.
   */
  rest?: FlakyTestEntry[] | undefined;
  counts: Record<TestClassification, number>;
  budget: FlakeBudget;
  systemicRuns: SystemicRun[];
  /** The order-dependent values read for the tests that needed them (for `streamFlakyTests`). */
  ordered?: ReadonlyMap<string, OrderInputs>;
};

const classificationOrder: Record<TestClassification, number> = {
  flaky: 0,
  broken: 1,
  'insufficient-data': 2,
  healthy: 3,
};

/** Heap a flaky or broken test takes with its evidence and hints, rounded up. */
const notableTestBytes = 4_096;
/** Tests whose evidence and failure samples are loaded at once. */
const evidenceBatch = 100;
/**
 * Healthy and too-little-data tests kept from the first pass (about 400 bytes each): below this a
 * full report sorts them in memory instead of reading the window twice more.
 */
export const defaultRestLimit = 100_000;

/**
 * Classifies every test seen in the window and computes the flake budget, from the ingest-time
 * aggregates, streaming them: memory holds the flaky and broken tests, not the healthy ones.
 * `branch` equal to `defaultBranch` reads the default-branch aggregates; another branch reads
 * raw executions (slower). `detailsFor: N` loads evidence and hints (which read raw
 * executions for their baselines) only for the first N flaky and first N broken tests in report
 * order, as the dashboard lists them; the others have none. Throws CandorError `limit-exceeded`
 * when more tests are flaky or broken than the heap can hold with their evidence.
 */
export async function analyzeFlakyTests(
  store: Store,
  query: FlakyQuery,
  options: { keepRest?: boolean; restLimit?: number; detailsFor?: number } = {},
): Promise<FlakyAnalysis> {
  const { window, windowQuery, classify, ownersOf } = prepare(query);
  const isBranchQuery = query.branch !== undefined;
  const restLimit = options.restLimit ?? defaultRestLimit;
  let rest: FlakyTestEntry[] | undefined = options.keepRest === true ? [] : undefined;
  const counts: Record<TestClassification, number> = {
    flaky: 0,
    broken: 0,
    'insufficient-data': 0,
    healthy: 0,
  };
  const tally = createFlakeBudgetTally();
  const notable: { entry: FlakyTestEntry; testId: string }[] = [];
  const maxNotable = Math.floor((getHeapStatistics().heap_size_limit * 0.5) / notableTestBytes);
  const tooMany = () =>
    new CandorError(
      'limit-exceeded',
      `more than ${maxNotable} tests are flaky or broken in the window: more than one report can hold with their evidence; narrow the window or pick a repository, or run candor with a larger heap (README "Limits")`,
    );
  const rateFlakyIds: string[] = [];
  const take = (stats: TestWindowStats) => {
    const entry = toEntry(stats, query.now, classify, ownersOf);
    counts[entry.classification]++;
    tally.add(stats, entry.owners, entry.flakyBySignal);
    if (entry.flakyBySignal.failureRate > 0) rateFlakyIds.push(stats.testId);
    if (entry.classification === 'flaky' || entry.classification === 'broken') {
      if (notable.length >= maxNotable) throw tooMany();
      notable.push({ entry, testId: stats.testId });
    } else if (rest !== undefined) {
      if (rest.length < restLimit) rest.push(entry);
      else rest = undefined; // too many to hold: streamFlakyTests reads them again
    }
  };
  // Order-dependent values (flips, streaks, clean runs) are read in occurrence order after the
  // stream (the cursor holds the connection), only for the tests that can have them.
  const pending: TestWindowStats[] = [];
  for await (const chunk of streamWindowStats(store, windowQuery)) {
    for (const stats of chunk) {
      if (needsOrder(stats, classify, query.now, isBranchQuery)) {
        if (pending.length >= maxNotable * 4) throw tooMany();
        pending.push(stats);
      } else take(withoutOrder(stats, isBranchQuery));
    }
  }
  const ordered = new Map<string, OrderInputs>();
  for (let i = 0; i < pending.length; i += orderBatch) {
    const batch = pending.slice(i, i + orderBatch);
    const inputs = await loadOrderInputs(
      store,
      batch.map((s) => s.testId),
      windowQuery,
    );
    for (const stats of batch) {
      const order = inputs.get(stats.testId);
      if (order) ordered.set(stats.testId, order);
      take(withOrder(stats, order, isBranchQuery));
    }
  }
  // In report order, so `detailsFor` picks the first of each class.
  notable.sort((a, b) => compareEntries(a.entry, b.entry));
  const detailed =
    options.detailsFor === undefined ? notable : firstOfEachClass(notable, options.detailsFor);
  // Evidence and hints a few tests at a time: each test's failure samples (up to 50, with their
  // messages) are needed only until its hints are computed.
  for (let i = 0; i < detailed.length; i += evidenceBatch) {
    const batch = detailed.slice(i, i + evidenceBatch);
    const ids = batch.map((n) => n.testId);
    const evidence = await loadEvidence(store, ids, windowQuery);
    const failuresByTest = new Map<string, FailureSample[]>();
    for (const failure of await loadFailureSamples(store, ids, windowQuery)) {
      const list = failuresByTest.get(failure.testId) ?? [];
      list.push(failure);
      failuresByTest.set(failure.testId, list);
    }
    // Executions are read only for the tests whose failures concentrate somewhere.
    const baselines = await loadExecutionBaselines(
      store,
      ids.filter((id) => needsBaseline(failuresByTest.get(id) ?? [])),
      windowQuery,
    );
    for (const { entry, testId } of batch) {
      entry.evidence = evidence.get(testId) ?? [];
      entry.hints = flakyHints(failuresByTest.get(testId) ?? [], baselines.get(testId));
    }
  }
  const budget = tally.finish({
    max: query.maxBudget,
    daily: windowQuery.branch === undefined ? await loadDailyTotals(store, windowQuery) : [],
    sameCommitByDay: await loadSameCommitByDay(store, windowQuery),
    failureRateByDay: await loadFailuresByDay(store, rateFlakyIds, windowQuery),
  });
  return {
    window,
    notable: notable.map((n) => n.entry),
    rest: rest?.sort(compareEntries),
    counts,
    budget,
    systemicRuns: await loadSystemicRuns(store, windowQuery),
    ordered,
  };
}

/** The first `limit` flaky and the first `limit` broken tests of a list in report order. */
function firstOfEachClass<T extends { entry: FlakyTestEntry }>(list: T[], limit: number): T[] {
  const taken = { flaky: 0, broken: 0 };
  return list.filter((item) => {
    const classification = item.entry.classification;
    if (classification !== 'flaky' && classification !== 'broken') return false;
    return taken[classification]++ < limit;
  });
}

/** Tests whose order-dependent values are read at once. */
const orderBatch = 200;

/**
 * Whether a test's classification can depend on the order of its executions: its failure rate
 * is high (then flips decide), it failed often enough for a streak, or it was flaky and has no
 * evidence in the window and a quiet period behind it (then its clean runs decide). A branch
 * report reads the branch's own evidence for every test that has any.
 */
function needsOrder(
  stats: TestWindowStats,
  classify: ClassifyOptions,
  now: Date,
  isBranchQuery: boolean,
): boolean {
  const counted = stats.executions - stats.skipped - stats.systemicFailures;
  if (
    counted >= classify.minExecutions &&
    stats.passed + stats.retryFlaky > 0 &&
    stats.failed / counted >= classify.failureRate
  )
    return true;
  if (stats.failed >= classify.brokenStreak) return true;
  if (stats.lastFlakyAt === null) return false;
  if (isBranchQuery) return true;
  const direct = stats.retryFlaky > 0 || stats.sameCommitFailures > 0;
  return !direct && now.getTime() - Date.parse(stats.lastFlakyAt) >= classify.quietDays * dayMs;
}

/**
 * A test whose classification does not depend on order: no flips or streak can change it, its
 * clean runs do not matter; outside a branch report its latest evidence is the one on record.
 */
function withoutOrder(stats: TestWindowStats, isBranchQuery: boolean): TestWindowStats {
  return {
    ...stats,
    flips: 0,
    defaultFailStreak: 0,
    lastFlakyAt: isBranchQuery ? null : stats.lastFlakyAt,
    cleanSinceFlaky: 0,
  };
}

function withOrder(
  stats: TestWindowStats,
  order: OrderInputs | undefined,
  isBranchQuery: boolean,
): TestWindowStats {
  if (order === undefined) return withoutOrder(stats, isBranchQuery);
  return {
    ...stats,
    flips: order.flips,
    defaultFailStreak: order.failStreak,
    lastFlakyAt: isBranchQuery ? order.lastFlakyAt : stats.lastFlakyAt,
    cleanSinceFlaky: order.cleanSinceFlaky,
  };
}

/**
 * Every test of the report in its order, in chunks: the analysis's flaky and broken tests, then
 * the tests with too little data, then the healthy ones (each by failures, then key), streamed
 * from the store again so the long tail is never held. Use it only after `analyzeFlakyTests`
 * with the same query.
 */
export async function* streamFlakyTests(
  store: Store,
  query: FlakyQuery,
  analysis: FlakyAnalysis,
): AsyncIterable<FlakyTestEntry[]> {
  if (analysis.notable.length > 0) yield analysis.notable;
  if (analysis.rest !== undefined) {
    if (analysis.rest.length > 0) yield analysis.rest;
    return;
  }
  const { windowQuery, classify, ownersOf } = prepare(query);
  for (const classification of ['insufficient-data', 'healthy'] as const) {
    if (analysis.counts[classification] === 0) continue;
    for await (const chunk of streamWindowStats(store, windowQuery, { order: 'failures' })) {
      const entries = chunk
        .map((stats) =>
          toEntry(
            needsOrder(stats, classify, query.now, query.branch !== undefined)
              ? withOrder(stats, analysis.ordered?.get(stats.testId), query.branch !== undefined)
              : withoutOrder(stats, query.branch !== undefined),
            query.now,
            classify,
            ownersOf,
          ),
        )
        .filter((entry) => entry.classification === classification);
      if (entries.length > 0) yield entries;
    }
  }
}

/**
 * `candor flaky --json` as text pieces, test by test, so a history of millions of tests never
 * has to fit in memory as one string: together, `JSON.stringify(report)` and a newline. The CLI
 * writes it to standard output, the server streams it as the response body.
 */
export async function* streamFlakyReportJson(
  store: Store,
  query: FlakyQuery,
  analysis: FlakyAnalysis,
): AsyncIterable<string> {
  yield `{"window":${JSON.stringify(analysis.window)},"tests":[`;
  let first = true;
  for await (const chunk of streamFlakyTests(store, query, analysis)) {
    const text = chunk.map((test) => JSON.stringify(test)).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield `],"budget":${JSON.stringify(analysis.budget)},"systemicRuns":${JSON.stringify(analysis.systemicRuns)}}\n`;
}

/**
 * The analysis a whole report holds (what `candor flaky` prints, from the JSON a server sent):
 * its flaky and broken tests, in the report's order, and the counts of each class. Never throws.
 */
export function analysisOfReport(report: FlakyReport): FlakyAnalysis {
  const counts: Record<TestClassification, number> = {
    flaky: 0,
    broken: 0,
    'insufficient-data': 0,
    healthy: 0,
  };
  for (const test of report.tests) counts[test.classification]++;
  return {
    window: report.window,
    notable: report.tests.filter(
      (t) => t.classification === 'flaky' || t.classification === 'broken',
    ),
    counts,
    budget: report.budget,
    systemicRuns: report.systemicRuns,
  };
}

/** The whole report in memory (`analyzeFlakyTests` plus every test): for small histories. */
export async function buildFlakyReport(
  store: Store,
  query: FlakyQuery,
  options: { restLimit?: number } = {},
): Promise<FlakyReport> {
  const analysis = await analyzeFlakyTests(store, query, { keepRest: true, ...options });
  const tests: FlakyTestEntry[] = [];
  for await (const chunk of streamFlakyTests(store, query, analysis)) tests.push(...chunk);
  return {
    window: analysis.window,
    tests,
    budget: analysis.budget,
    systemicRuns: analysis.systemicRuns,
  };
}

function prepare(query: FlakyQuery) {
  const to = query.now.toISOString();
  const from = new Date(query.now.getTime() - query.windowMs).toISOString();
  const windowQuery: WindowQuery = { from, to, repo: query.repo };
  if (query.branch !== undefined) {
    if (query.branch === query.defaultBranch) windowQuery.defaultBranchOnly = true;
    else windowQuery.branch = query.branch;
  }
  return {
    window: { from, to },
    windowQuery,
    classify: { ...defaultClassifyOptions, ...query.classify },
    ownersOf: (stats: TestWindowStats) => {
      const file = testFileOf(stats);
      return file === undefined ? [] : query.ownersOf(file);
    },
  };
}

function toEntry(
  stats: TestWindowStats,
  now: Date,
  classify: ClassifyOptions,
  ownersOf: (stats: TestWindowStats) => string[],
): FlakyTestEntry {
  const verdict = classifyTest(stats, now, classify);
  return {
    key: stats.key,
    name: stats.name,
    suite: stats.suite,
    file: stats.file,
    classification: verdict.classification,
    flakyRate: verdict.flakyRate,
    executions: stats.executions,
    failures: stats.failed,
    flakyExecutions: verdict.flakyExecutions,
    flakyBySignal: verdict.flakyBySignal,
    signals: verdict.signals,
    lastFlakyAt: stats.lastFlakyAt,
    owners: ownersOf(stats),
  };
}

function compareEntries(a: FlakyTestEntry, b: FlakyTestEntry): number {
  return (
    classificationOrder[a.classification] - classificationOrder[b.classification] ||
    b.flakyRate - a.flakyRate ||
    b.failures - a.failures ||
    compareText(a.key, b.key)
  );
}
