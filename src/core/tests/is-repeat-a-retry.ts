import type { Attempt, ReportedTest } from './test-model.ts';

/**
 * Whether a further test case of one identity in one report is another attempt of the earlier
 * one (docs/adr/0015): a rerun only follows an attempt that did not pass (gotestsum
 * `--rerun-fails`, TestNG's retries written as skips, pytest's teardown error after a failure), so
 * a repeat after a pass is another test with an equal title (`test.each`, parameterised cases).
 * A case without a name, and a case from `node --test` (classname `test`; it never retries), is
 * never a retry: each is a test of its own. Never throws.
 */
export function isRepeatARetry(
  earlier: readonly Pick<Attempt, 'status'>[],
  repeat: Pick<ReportedTest, 'name' | 'classname'>,
): boolean {
  if (repeat.name.trim() === '' || repeat.classname === 'test') return false;
  return !earlier.some((attempt) => attempt.status === 'passed');
}
