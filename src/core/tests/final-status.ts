import type { Attempt, FinalStatus } from './test-model.ts';

/**
 * The final status of a test from all its attempts in one run.
 * Both a passing and a failing attempt: `flaky` (whatever the order). Any failing attempt and no
 * pass: `failed`. Any pass: `passed`. Otherwise (no attempt, or only skipped ones): `skipped`.
 * Skipped attempts never change a pass or a failure (TestNG reports retries as skips).
 */
export function finalStatus(attempts: readonly Pick<Attempt, 'status'>[]): FinalStatus {
  let hasPass = false;
  let hasFail = false;
  for (const attempt of attempts) {
    if (attempt.status === 'passed') hasPass = true;
    else if (attempt.status === 'failed') hasFail = true;
  }
  if (hasPass && hasFail) return 'flaky';
  if (hasFail) return 'failed';
  if (hasPass) return 'passed';
  return 'skipped';
}

/** Combines final statuses of one test seen in several reports of one run. */
export function combineFinalStatuses(statuses: readonly FinalStatus[]): FinalStatus {
  let hasPass = false;
  let hasFail = false;
  for (const status of statuses) {
    if (status === 'flaky') return 'flaky';
    if (status === 'passed') hasPass = true;
    else if (status === 'failed') hasFail = true;
  }
  if (hasPass && hasFail) return 'flaky';
  if (hasFail) return 'failed';
  if (hasPass) return 'passed';
  return 'skipped';
}
