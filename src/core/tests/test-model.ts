/** The final status of a test in a run or report: exactly one of these. */
export const finalStatuses = ['passed', 'failed', 'skipped', 'flaky'] as const;
export type FinalStatus = (typeof finalStatuses)[number];

/** The outcome of one attempt of a test. */
export const attemptStatuses = ['passed', 'failed', 'skipped'] as const;
export type AttemptStatus = (typeof attemptStatuses)[number];

/** How a failed attempt failed: an assertion (`failure`) or an unexpected error (`error`). */
export type FailureKind = 'failure' | 'error';

export type Attempt = {
  status: AttemptStatus;
  /** Only for failed attempts. */
  failureKind?: FailureKind;
  /** Milliseconds; undefined when the report does not say or says something non-numeric. */
  durationMs?: number;
  message?: string;
  /** Failure type, e.g. the exception class. */
  type?: string;
  trace?: string;
  stdout?: string;
  stderr?: string;
};

/** One test case as a reader saw it in a report, with every attempt it made. */
export type ReportedTest = {
  name: string;
  classname?: string;
  file?: string;
  line?: number;
  /** Enclosing suite names, outermost first. */
  suitePath: readonly string[];
  attempts: Attempt[];
  /** Reader-specific extras worth keeping (properties, tags), small. */
  properties?: Record<string, string>;
};

/** Metadata of one test run: one CI job attempt, possibly spread over several reports. */
export type TestRunMetadata = {
  repo?: string | undefined;
  branch?: string | undefined;
  commitSha?: string | undefined;
  ciProvider?: string | undefined;
  ciJob?: string | undefined;
  ciAttempt?: string | undefined;
  ciUrl?: string | undefined;
  variant?: string | undefined;
  startedAt?: string | undefined;
};

/** Counts of distinct tests by final status. */
export type StatusCounts = {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
};

/** Counts of nothing: every count 0 (a fresh object each call). */
export function emptyCounts(): StatusCounts {
  return { tests: 0, passed: 0, failed: 0, skipped: 0, flaky: 0 };
}
