import type { FlakyExecutionsBySignal, TestWindowStats } from './classify-test.ts';
import { compareText } from '../lib/compare-text.ts';
import { round } from '../lib/round.ts';
import { mondayOf } from '../lib/time.ts';

export type BudgetSlice = {
  name: string;
  executions: number;
  flakyExecutions: number;
  rate: number;
};

export type FlakeBudget = {
  /** Budget as a fraction (0.005 = 0.5%). */
  max: number;
  /** Flaky executions ÷ all executions in the window; null without executions. */
  rate: number | null;
  executions: number;
  /** Every kind of flakiness the classifier uses: the sum of `bySignal`. */
  flakyExecutions: number;
  /** Flaky executions by kind: retries, same-commit failures, failure-rate tests' other failures. */
  bySignal: FlakyExecutionsBySignal;
  overBudget: boolean;
  testsSeen: number;
  testsFlakyAtLeastOnce: number;
  /** Share of tests that were flaky at least once; null without tests. */
  flakyTestShare: number | null;
  bySuite: BudgetSlice[];
  byOwner: BudgetSlice[];
  /** Weeks start on Monday (UTC); `week` is that Monday's date. */
  weekly: (BudgetSlice & { week: string })[];
  /** The tests that spend most of the budget, with their share of all flaky executions. */
  topSpenders: { key: string; flakyExecutions: number; share: number }[];
};

type Slice = { executions: number; flaky: number };

/**
 * Adds tests up for the flake budget one at a time, so a caller can stream them: it keeps one
 * slice per suite and owner and the top spenders, never the tests.
 */
export type FlakeBudgetTally = {
  /** Adds a test with its flaky executions by kind (`classifyTest`'s `flakyBySignal`). */
  add(test: TestWindowStats, owners: readonly string[], flaky: FlakyExecutionsBySignal): void;
  finish(input: FlakeBudgetDays): FlakeBudget;
};

/** What the weekly trend is made of: executions and flaky executions of each kind by day. */
export type FlakeBudgetDays = {
  max: number;
  daily: readonly { day: string; executions: number; retryFlaky: number }[];
  sameCommitByDay: ReadonlyMap<string, number>;
  /** Failures of the tests flaky by failure rate (not same-commit ones), by day. */
  failureRateByDay?: ReadonlyMap<string, number>;
};

/** A tally for `computeFlakeBudget`, keeping the `top` (default 10) spenders. Never throws. */
export function createFlakeBudgetTally(top = 10): FlakeBudgetTally {
  let executions = 0;
  let flakyExecutions = 0;
  const bySignal: FlakyExecutionsBySignal = { retry: 0, sameCommit: 0, failureRate: 0 };
  let flakyTests = 0;
  let testsSeen = 0;
  const suites = new Map<string, Slice>();
  const owners = new Map<string, Slice>();
  const add = (map: Map<string, Slice>, name: string, e: number, f: number) => {
    const slice = map.get(name);
    if (slice) {
      slice.executions += e;
      slice.flaky += f;
    } else map.set(name, { executions: e, flaky: f });
  };
  let spenders: { key: string; flakyExecutions: number }[] = [];
  const bySpending = (
    a: { key: string; flakyExecutions: number },
    b: { key: string; flakyExecutions: number },
  ) => b.flakyExecutions - a.flakyExecutions || compareText(a.key, b.key);
  return {
    add(test, testOwners, kinds) {
      const flaky = kinds.retry + kinds.sameCommit + kinds.failureRate;
      bySignal.retry += kinds.retry;
      bySignal.sameCommit += kinds.sameCommit;
      bySignal.failureRate += kinds.failureRate;
      testsSeen++;
      executions += test.executions;
      flakyExecutions += flaky;
      if (flaky > 0) {
        flakyTests++;
        spenders.push({ key: test.key, flakyExecutions: flaky });
        // Keep the list short: whatever falls out of the top now can never return to it.
        if (spenders.length > top * 4 + 64) spenders = spenders.sort(bySpending).slice(0, top);
      }
      add(suites, test.suite ?? test.file ?? '(no suite)', test.executions, flaky);
      for (const owner of testOwners.length > 0 ? testOwners : ['(unowned)'])
        add(owners, owner, test.executions, flaky);
    },
    finish(input) {
      const weeks = new Map<string, Slice>();
      for (const day of input.daily)
        add(
          weeks,
          mondayOf(day.day),
          day.executions,
          day.retryFlaky +
            (input.sameCommitByDay.get(day.day) ?? 0) +
            (input.failureRateByDay?.get(day.day) ?? 0),
        );
      const rate = executions === 0 ? null : round(flakyExecutions / executions, 6);
      return {
        max: input.max,
        rate,
        executions,
        flakyExecutions,
        bySignal: { ...bySignal },
        overBudget: rate !== null && rate > input.max,
        testsSeen,
        testsFlakyAtLeastOnce: flakyTests,
        flakyTestShare: testsSeen === 0 ? null : round(flakyTests / testsSeen, 6),
        bySuite: slices(suites),
        byOwner: slices(owners),
        weekly: [...weeks]
          .sort(([a], [b]) => compareText(a, b))
          .map(([week, s]) => ({
            week,
            name: week,
            executions: s.executions,
            flakyExecutions: s.flaky,
            rate: s.executions === 0 ? 0 : round(s.flaky / s.executions, 6),
          })),
        topSpenders: spenders
          .sort(bySpending)
          .slice(0, top)
          .map((s) => ({
            ...s,
            share: flakyExecutions === 0 ? 0 : round(s.flakyExecutions / flakyExecutions, 6),
          })),
      };
    },
  };
}

function slices(map: ReadonlyMap<string, Slice>): BudgetSlice[] {
  return [...map]
    .map(([name, s]) => ({
      name,
      executions: s.executions,
      flakyExecutions: s.flaky,
      rate: s.executions === 0 ? 0 : round(s.flaky / s.executions, 6),
    }))
    .sort(
      (a, b) =>
        b.flakyExecutions - a.flakyExecutions || b.rate - a.rate || compareText(a.name, b.name),
    );
}

/**
 * The flake budget: rate = flaky executions ÷ all executions in the window, where a flaky
 * execution is every kind of flakiness the classifier uses (docs/adr/0015): a pass after a failed
 * attempt, a failure of a test that also passed on the same commit and variant, and the other
 * failures of a test its failure rate and flip rate mark flaky. Also the share of tests flaky at
 * least once, by suite and by owner, and the weekly trend. Never throws.
 */
export function computeFlakeBudget(
  input: FlakeBudgetDays & {
    tests: readonly TestWindowStats[];
    ownersOf: (test: TestWindowStats) => string[];
    flakyOf: (test: TestWindowStats) => FlakyExecutionsBySignal;
    top?: number;
  },
): FlakeBudget {
  const tally = createFlakeBudgetTally(input.top);
  for (const test of input.tests) tally.add(test, input.ownersOf(test), input.flakyOf(test));
  return tally.finish(input);
}

/** A budget such as `0.5%` or `0.005` as a fraction; undefined when it is not one. */
export function parseBudget(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) / (match[2] === '%' ? 100 : 1);
  return value >= 0 && value <= 1 ? value : undefined;
}
