import type { Attempt, ReportedTest } from '../../../core/tests/test-model.ts';
import type { TestExecutionTable } from '../../tables/test-execution.table.ts';

/** The attempts of a stored execution; a null column is one passing attempt. Throws on bad JSON. */
export function attemptsOf(row: Pick<TestExecutionTable, 'attempts' | 'duration_ms'>): Attempt[] {
  if (row.attempts !== null) return JSON.parse(row.attempts) as Attempt[];
  return [
    row.duration_ms === null
      ? { status: 'passed' }
      : { status: 'passed', durationMs: row.duration_ms },
  ];
}

/** The attempts column for a row: null for one passing attempt (most rows), else JSON. */
export function attemptsColumn(attempts: readonly Attempt[]): string | null {
  return attempts.length === 1 && attempts[0]?.status === 'passed'
    ? null
    : JSON.stringify(attempts);
}

/** Sum of the known attempt durations (null when no attempt had one), and the failed attempts. */
export function summarizeAttempts(attempts: readonly Attempt[]): {
  durationMs: number | null;
  failedAttempts: number;
} {
  let durationMs: number | null = null;
  let failedAttempts = 0;
  for (const attempt of attempts) {
    if (attempt.durationMs !== undefined) durationMs = (durationMs ?? 0) + attempt.durationMs;
    if (attempt.status === 'failed') failedAttempts++;
  }
  return { durationMs, failedAttempts };
}

/** The properties column: the report's properties of a test that did not pass, else null. */
export function propertiesColumn(test: ReportedTest, passed: boolean): string | null {
  return !passed && test.properties ? JSON.stringify(test.properties) : null;
}
