import type { StatusCounts } from './test-model.ts';

/** When failures are an infrastructure event rather than test behaviour. */
export type SystemicThresholds = { minFailedTests: number; minFailedShare: number };
export const defaultSystemicThresholds: SystemicThresholds = {
  minFailedTests: 10,
  minFailedShare: 0.2,
};

/**
 * True when so many tests failed at once (default: at least 10 tests and 20% of the report) that
 * the cause is the environment, not the tests: such failures never make a test flaky or broken.
 */
export function isSystemicFailure(
  counts: Pick<StatusCounts, 'tests' | 'failed'>,
  thresholds = defaultSystemicThresholds,
): boolean {
  return (
    counts.failed >= thresholds.minFailedTests &&
    counts.tests > 0 &&
    counts.failed / counts.tests >= thresholds.minFailedShare
  );
}
