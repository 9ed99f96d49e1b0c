import { compareText } from '../core/compare-text.ts';
import {
  classifyTest,
  defaultClassifyOptions,
  type ClassifyOptions,
  type FlakySignal,
  type TestClassification,
} from '../core/classify-tests.ts';
import { computeFlakeBudget, type FlakeBudget } from '../core/flake-budget.ts';
import { flakyHints } from '../core/flaky-hints.ts';
import type { Store } from '../store/open-store.ts';
import {
  loadDailyTotals,
  loadEvidence,
  loadFailureSamples,
  loadSameCommitByDay,
  loadSystemicRuns,
  loadWindowStats,
  type FlakyEvidence,
  type SystemicRun,
  type WindowQuery,
} from '../store/flaky-report.repository.ts';

export type FlakyTestEntry = {
  key: string;
  name: string;
  suite: string | null;
  file: string | null;
  classification: TestClassification;
  flakyRate: number;
  executions: number;
  failures: number;
  flakyExecutions: number;
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
export async function buildFlakyReport(
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
  const evidence = await loadEvidence(store.db, ids, query);
  const failures = await loadFailureSamples(store.db, ids, query);
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
    daily: query.branch === undefined ? await loadDailyTotals(store.db, query) : [],
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
    systemicRuns: await loadSystemicRuns(store.db, query),
  };
}
