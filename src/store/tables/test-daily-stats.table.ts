/** `test_daily_stats`: per test and UTC day, on the default branch or not (docs/adr/0007). */
export type TestDailyStatsTable = {
  /** YYYY-MM-DD (UTC) of the run's start. */
  day: string;
  on_default_branch: number;
  test_id: string;
  executions: number;
  passed: number;
  /** Final failures outside systemic reports. */
  failed: number;
  /** Passed after a failed attempt in one run. */
  flaky: number;
  skipped: number;
  systemic_failures: number;
  /** Changes between failing and passing, in ingest order. */
  flips: number;
  duration_ms_sum: number;
  duration_count: number;
};
