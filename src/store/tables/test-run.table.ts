/**
 * `test_runs`: one CI job attempt, possibly spread over several reports. Times are ISO-8601 UTC
 * text (`2026-01-02T03:04:05.000Z`) in both dialects, so they compare and sort as text the same
 * way everywhere (docs/adr/0003).
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
