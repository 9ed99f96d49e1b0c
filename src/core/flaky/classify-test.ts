import { round } from '../lib/round.ts';
import { dayMs } from '../lib/time.ts';

/** What one test did in the window, from the ingest-time aggregates. */
export type TestWindowStats = {
  testId: string;
  key: string;
  name: string;
  suite: string | null;
  file: string | null;
  /** The classname the report gave (Vitest writes the file there). */
  classname?: string | null;
  /** Executions in the window (every status). */
  executions: number;
  passed: number;
  /** Final failures outside systemic runs. */
  failed: number;
  /** Passed after a failed attempt in one run. */
  retryFlaky: number;
  skipped: number;
  systemicFailures: number;
  /** Changes between failing and passing in the window, in occurrence order. */
  flips: number;
  /** Failed executions of the test on a commit (and variant) where it also passed. */
  sameCommitFailures: number;
  /** Latest flaky evidence ever (not only in the window), ISO. */
  lastFlakyAt: string | null;
  /** Clean executions since that evidence. */
  cleanSinceFlaky: number;
  /**
   * Consecutive final failures on the default branch (a branch report: on that branch), up to the
   * latest execution there in the window.
   */
  defaultFailStreak: number;
};

export const testClassifications = ['flaky', 'broken', 'healthy', 'insufficient-data'] as const;
export type TestClassification = (typeof testClassifications)[number];

export const flakySignals = [
  'retry',
  'same-commit',
  'failure-rate',
  'flip-rate',
  'recovering',
] as const;
export type FlakySignal = (typeof flakySignals)[number];

export type ClassifyOptions = {
  /** Executions needed before rates mean anything. Default 10. */
  minExecutions: number;
  /** Failure rate (failures ÷ counted executions) that, with a flip rate, marks flakiness. Default 0.05. */
  failureRate: number;
  /** Changes between failing and passing ÷ (executions − 1). Default 0.1. */
  flipRate: number;
  /** Consecutive failures on the default branch that make a test broken. Default 3. */
  brokenStreak: number;
  /** A flaky test leaves `flaky` only after this quiet period... Default 7 days. */
  quietDays: number;
  /** ...and this many clean executions. Default 50. */
  quietExecutions: number;
};

export const defaultClassifyOptions: ClassifyOptions = {
  minExecutions: 10,
  failureRate: 0.05,
  flipRate: 0.1,
  brokenStreak: 3,
  quietDays: 7,
  quietExecutions: 50,
};

/**
 * The flaky executions of a test by the kind of flakiness that makes them flaky (docs/adr/0015):
 * passes after a failed attempt; failures on a commit where the test also passed; and, when its
 * failure rate and flip rate mark the test flaky, its other failures (on other commits).
 */
export type FlakyExecutionsBySignal = { retry: number; sameCommit: number; failureRate: number };

export type TestVerdict = {
  classification: TestClassification;
  signals: FlakySignal[];
  /** Flaky executions ÷ executions (0..1); 0 without executions. */
  flakyRate: number;
  /** Every kind of flakiness the classification uses: the sum of `flakyBySignal`. */
  flakyExecutions: number;
  flakyBySignal: FlakyExecutionsBySignal;
};

/**
 * Classifies one test. Broken first: its latest `brokenStreak` executions on the default branch
 * all failed (outside systemic runs). Flaky: it passed after a failed attempt, or both passed and
 * failed on one commit, or (with at least `minExecutions`) both its failure rate and its flip rate
 * are at or above their thresholds; and it stays flaky until `quietDays` have passed since the
 * last evidence and `quietExecutions` clean executions followed it (hysteresis). Insufficient data:
 * fewer than `minExecutions` counted executions and no evidence. Healthy otherwise.
 * Systemic failures and skips never count. Never throws.
 */
export function classifyTest(
  stats: TestWindowStats,
  now: Date,
  options: ClassifyOptions = defaultClassifyOptions,
): TestVerdict {
  const counted = stats.executions - stats.skipped - stats.systemicFailures;
  const signals: FlakySignal[] = [];
  if (stats.retryFlaky > 0) signals.push('retry');
  if (stats.sameCommitFailures > 0) signals.push('same-commit');
  const enough = counted >= options.minExecutions;
  const failureRateHigh =
    enough && stats.passed + stats.retryFlaky > 0 && stats.failed / counted >= options.failureRate;
  const flipRateHigh = enough && stats.flips / Math.max(1, counted - 1) >= options.flipRate;
  if (failureRateHigh && flipRateHigh) signals.push('failure-rate', 'flip-rate');
  const sameCommit = Math.min(stats.sameCommitFailures, stats.failed);
  const flakyBySignal: FlakyExecutionsBySignal = {
    retry: stats.retryFlaky,
    sameCommit,
    // A broken test's failures are a defect, not flakiness (broken wins over flaky).
    failureRate:
      failureRateHigh && flipRateHigh && stats.defaultFailStreak < options.brokenStreak
        ? stats.failed - sameCommit
        : 0,
  };
  const flakyExecutions =
    flakyBySignal.retry + flakyBySignal.sameCommit + flakyBySignal.failureRate;
  const flakyRate = stats.executions === 0 ? 0 : round(flakyExecutions / stats.executions, 6);
  const verdict = (classification: TestClassification, list = signals): TestVerdict => ({
    classification,
    signals: list,
    flakyRate,
    flakyExecutions,
    flakyBySignal,
  });

  if (stats.defaultFailStreak >= options.brokenStreak) return verdict('broken');
  if (signals.length > 0) return verdict('flaky');
  if (stats.lastFlakyAt !== null) {
    const quietMs = now.getTime() - Date.parse(stats.lastFlakyAt);
    if (quietMs < options.quietDays * dayMs || stats.cleanSinceFlaky < options.quietExecutions) {
      return verdict('flaky', ['recovering']);
    }
  }
  if (counted < options.minExecutions) return verdict('insufficient-data');
  return verdict('healthy');
}
