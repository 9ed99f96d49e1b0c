import type { FinalStatus } from '../../core/tests/test-model.ts';

/**
 * `test_executions`: a test's final outcome in one report, with its attempts. The report is named
 * by its number (`test_reports.seq`), the run through the report (docs/adr/0052).
 */
export type TestExecutionTable = {
  report_seq: number;
  test_id: string;
  status: FinalStatus;
  /** Sum of known attempt durations; null when no attempt had one. */
  duration_ms: number | null;
  attempt_count: number;
  failed_attempts: number;
  /**
   * JSON array of attempts ({status, failureKind?, durationMs?, message?, type?, trace?, ...});
   * null for the common case of one passing attempt (test-result.repository.ts, attemptsOf).
   */
  attempts: string | null;
  started_at: string;
  /** JSON object of the test's report properties (seed, order, ...); only for non-passing tests. */
  properties: string | null;
};
