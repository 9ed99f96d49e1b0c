import type { FinalStatus } from '../tests/test-model.ts';

/** One execution of a test, as its order-dependent statistics need it. */
export type OrderedExecution = {
  status: FinalStatus;
  /** A failure in a systemic report (an infrastructure event): it says nothing about the test. */
  systemic: boolean;
  /** Whether it counts for the failure streak (the default branch, or the branch asked for). */
  onStreakBranch: boolean;
};

/** What depends on the order of a test's executions (docs/adr/0015). */
export type OrderStats = {
  /** Changes between failing and passing, from the first execution on. */
  flips: number;
  /** Consecutive failures on the streak branch up to its latest execution. */
  failStreak: number;
};

/**
 * Flips and the failure streak of one test from its executions in occurrence order (when the
 * runs started, not when they were ingested: a back-filled report counts as if it came in order).
 * Skipped executions and systemic failures are left out; a flaky execution (passed on retry)
 * counts as a pass, as a pass is what the run ended with. Never throws.
 */
export function orderStats(executions: Iterable<OrderedExecution>): OrderStats {
  let flips = 0;
  let failStreak = 0;
  let previous: boolean | undefined;
  for (const execution of executions) {
    if (execution.status === 'skipped') continue;
    if (execution.status === 'failed' && execution.systemic) continue;
    const failing = execution.status === 'failed';
    if (previous !== undefined && previous !== failing) flips++;
    previous = failing;
    if (execution.onStreakBranch) failStreak = failing ? failStreak + 1 : 0;
  }
  return { flips, failStreak };
}
