import type { TestWindowStats } from './classify-tests.ts';
import { compareText } from './compare-text.ts';

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
  flakyExecutions: number;
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

/**
 * The flake budget: rate = flaky executions ÷ all executions in the window, where a flaky
 * execution is one whose final status is flaky (passed after a failed attempt) or a failure of a
 * test that also passed on the same commit and variant. Also the share of tests flaky at least
 * once, by suite and by owner, and the weekly trend. Never throws.
 */
export function computeFlakeBudget(input: {
  tests: readonly TestWindowStats[];
  max: number;
  daily: readonly { day: string; executions: number; retryFlaky: number }[];
  sameCommitByDay: ReadonlyMap<string, number>;
  ownersOf: (test: TestWindowStats) => string[];
  top?: number;
}): FlakeBudget {
  let executions = 0;
  let flakyExecutions = 0;
  let flakyTests = 0;
  const suites = new Map<string, { executions: number; flaky: number }>();
  const owners = new Map<string, { executions: number; flaky: number }>();
  const add = (
    map: Map<string, { executions: number; flaky: number }>,
    name: string,
    e: number,
    f: number,
  ) => {
    const slice = map.get(name) ?? { executions: 0, flaky: 0 };
    slice.executions += e;
    slice.flaky += f;
    map.set(name, slice);
  };
  const spenders: { key: string; flakyExecutions: number }[] = [];
  for (const test of input.tests) {
    const flaky = test.retryFlaky + test.sameCommitFailures;
    executions += test.executions;
    flakyExecutions += flaky;
    if (flaky > 0) {
      flakyTests++;
      spenders.push({ key: test.key, flakyExecutions: flaky });
    }
    add(suites, test.suite ?? test.file ?? '(no suite)', test.executions, flaky);
    const testOwners = input.ownersOf(test);
    for (const owner of testOwners.length > 0 ? testOwners : ['(unowned)'])
      add(owners, owner, test.executions, flaky);
  }
  const weeks = new Map<string, { executions: number; flaky: number }>();
  for (const day of input.daily)
    add(
      weeks,
      mondayOf(day.day),
      day.executions,
      day.retryFlaky + (input.sameCommitByDay.get(day.day) ?? 0),
    );
  const slices = (map: Map<string, { executions: number; flaky: number }>): BudgetSlice[] =>
    [...map]
      .map(([name, s]) => ({
        name,
        executions: s.executions,
        flakyExecutions: s.flaky,
        rate: s.executions === 0 ? 0 : round(s.flaky / s.executions),
      }))
      .sort(
        (a, b) =>
          b.flakyExecutions - a.flakyExecutions || b.rate - a.rate || compareText(a.name, b.name),
      );
  const rate = executions === 0 ? null : round(flakyExecutions / executions);
  return {
    max: input.max,
    rate,
    executions,
    flakyExecutions,
    overBudget: rate !== null && rate > input.max,
    testsSeen: input.tests.length,
    testsFlakyAtLeastOnce: flakyTests,
    flakyTestShare: input.tests.length === 0 ? null : round(flakyTests / input.tests.length),
    bySuite: slices(suites),
    byOwner: slices(owners),
    weekly: [...weeks]
      .sort(([a], [b]) => compareText(a, b))
      .map(([week, s]) => ({
        week,
        name: week,
        executions: s.executions,
        flakyExecutions: s.flaky,
        rate: s.executions === 0 ? 0 : round(s.flaky / s.executions),
      })),
    topSpenders: spenders
      .sort((a, b) => b.flakyExecutions - a.flakyExecutions || compareText(a.key, b.key))
      .slice(0, input.top ?? 10)
      .map((s) => ({
        ...s,
        share: flakyExecutions === 0 ? 0 : round(s.flakyExecutions / flakyExecutions),
      })),
  };
}

/** The Monday (UTC) of the week of a YYYY-MM-DD day. */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
}

/** A budget such as `0.5%` or `0.005` as a fraction; undefined when it is not one. */
export function parseBudget(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) / (match[2] === '%' ? 100 : 1);
  return value >= 0 && value <= 1 ? value : undefined;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
