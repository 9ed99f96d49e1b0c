import type { FinalStatus } from '../../core/tests/test-model.ts';

/** `test_failures`: every failed or flaky execution (rare), for same-commit detection and evidence. */
export type TestFailureTable = {
  test_id: string;
  report_id: string;
  run_id: string;
  commit_sha: string | null;
  at: string;
  status: Extract<FinalStatus, 'failed' | 'flaky'>;
  systemic: number;
  duration_ms: number | null;
  /** The first line of the first failed attempt's message, at most 200 characters. */
  message: string | null;
  properties: string | null;
};
