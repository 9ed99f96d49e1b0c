/**
 * The tables. Times are ISO-8601 UTC strings (`2026-01-02T03:04:05.000Z`) in both dialects, so
 * they compare and sort as text the same way everywhere (docs/adr/0003).
 */
export type TestRunTable = {
  id: string;
  repo: string;
  branch: string | null;
  commit_sha: string | null;
  ci_provider: string | null;
  ci_job: string | null;
  ci_attempt: string | null;
  ci_url: string | null;
  variant: string | null;
  started_at: string;
  created_at: string;
  /** The repository's default branch as known at ingest (for "broken on the default branch"). */
  default_branch: string | null;
};

export type TestTable = {
  /** sha256(repo NUL key), hex, first 32 characters: computed, so ingest needs no lookup. */
  id: string;
  repo: string;
  key: string;
  name: string;
  classname: string | null;
  file: string | null;
  line: number | null;
  suite: string | null;
  variant: string | null;
  first_seen_at: string;
};

export type TestReportTable = {
  id: string;
  run_id: string;
  path: string;
  format: string;
  content_sha256: string;
  size_bytes: number;
  test_cases: number;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  ingested_at: string;
  /** 1 when so many tests failed at once that it is an infrastructure event (docs/adr/0007). */
  systemic: number;
};

export type TestExecutionTable = {
  report_id: string;
  test_id: string;
  run_id: string;
  status: string;
  /** Sum of known attempt durations; null when no attempt had one. */
  duration_ms: number | null;
  attempt_count: number;
  failed_attempts: number;
  /**
   * JSON array of attempts ({status, failureKind?, durationMs?, message?, type?, trace?, ...});
   * null for the common case of one passing attempt (see attemptsOf).
   */
  attempts: string | null;
  started_at: string;
  /** JSON object of the test's report properties (seed, order, ...); only for non-passing tests. */
  properties: string | null;
};

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

/** Executions and retry-flaky executions per repository and day: the budget's weekly trend. */
export type DailyTotalsTable = {
  repo: string;
  day: string;
  on_default_branch: number;
  executions: number;
  flaky: number;
};

/** Every failed or flaky execution (rare), for same-commit detection and evidence. */
export type TestFailureTable = {
  test_id: string;
  report_id: string;
  run_id: string;
  commit_sha: string | null;
  at: string;
  status: string;
  systemic: number;
  duration_ms: number | null;
  message: string | null;
  properties: string | null;
};

/** Evidence of flakiness: `retry` (passed after a failed attempt) or `same-commit`. */
export type TestFlakyEventTable = {
  test_id: string;
  at: string;
  kind: string;
  /** The run of the flaky execution (for same-commit: the failing one). */
  run_id: string;
  commit_sha: string | null;
  other_run_id: string | null;
};

/** Per-test state that needs order: last status, hysteresis, failure streak on the default branch. */
export type TestStateTable = {
  test_id: string;
  last_status: string;
  last_at: string;
  last_flaky_at: string | null;
  clean_since_flaky: number;
  default_fail_streak: number;
};

/** One delivery event (commit, build, deploy, rollback, incident, ...); JSON columns as text. */
export type DeliveryEventTable = {
  source: string;
  id: string;
  type: string;
  occurred_at: string;
  received_at: string;
  service: string;
  environment: string | null;
  commit_sha: string | null;
  commits: string | null;
  deployment: string | null;
  incident: string | null;
  result: string | null;
  attributes: string | null;
};

export type ApiTokenTable = {
  id: string;
  name: string;
  scopes: string;
  /** sha256 of the secret, hex. The secret itself is shown once and never stored. */
  secret_sha256: string;
  created_at: string;
  revoked_at: string | null;
};

export type Database = {
  test_runs: TestRunTable;
  tests: TestTable;
  test_reports: TestReportTable;
  test_executions: TestExecutionTable;
  api_tokens: ApiTokenTable;
  test_daily_stats: TestDailyStatsTable;
  daily_totals: DailyTotalsTable;
  test_failures: TestFailureTable;
  test_flaky_events: TestFlakyEventTable;
  test_state: TestStateTable;
  delivery_events: DeliveryEventTable;
  /** Kysely's migration log. */
  candor_migration: { name: string; timestamp: string };
};
