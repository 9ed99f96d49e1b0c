import type { FinalStatus } from '../../core/tests/test-model.ts';

/** `test_state`: per-test state that needs order: last status, hysteresis, default-branch streak. */
export type TestStateTable = {
  test_id: string;
  /** Skipped executions leave the state as it was, so never `skipped`. */
  last_status: Exclude<FinalStatus, 'skipped'>;
  last_at: string;
  last_flaky_at: string | null;
  clean_since_flaky: number;
  default_fail_streak: number;
};
