/**
 * A test run fully resolved (flags, then the CI environment, then git): what a report is stored
 * under. Absent values are undefined.
 */
export type TestRun = {
  id: string;
  repo: string;
  /** ISO-8601 UTC. */
  startedAt: string;
  branch?: string | undefined;
  commitSha?: string | undefined;
  ciProvider?: string | undefined;
  ciJob?: string | undefined;
  ciAttempt?: string | undefined;
  ciUrl?: string | undefined;
  variant?: string | undefined;
  /** The repository's default branch; a run on it counts for "broken". */
  defaultBranch?: string | undefined;
};
