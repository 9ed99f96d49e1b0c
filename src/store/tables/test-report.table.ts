/** `test_reports`: one stored report file of a run, with its counts of distinct tests. */
export type TestReportTable = {
  id: string;
  /**
   * The report's number, handed out by the database on insert (`rowNumbers`): what its
   * executions name it by (docs/adr/0052).
   */
  seq: number;
  run_id: string;
  path: string;
  /**
   * The id of the reader that read it (`junit`, `ctrf`): a key of the readers/test-results
   * registry, which the store does not import (it depends on core only), so it is text here.
   */
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
