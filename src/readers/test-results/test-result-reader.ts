import type { Problem } from '../../core/lib/problem.ts';
import type { Result } from '../../core/lib/result.ts';
import type { ReportedTest } from '../../core/tests/test-model.ts';

/** Why a report could not be read: a `Problem` (positions 1-based, `path` for JSON formats). */
export type ReadProblem = Problem;

export type ReadSummary = {
  /** Test case elements (or entries) seen, before merging repeated identities. */
  testCases: number;
  /**
   * When the report says its tests started, ISO-8601 UTC: the earliest start time it states
   * (JUnit suite timestamps, CTRF `results.summary.start`, TRX `Times@start`, NUnit
   * `start-time`, xUnit.net `run-date` + `run-time`, go test event times); absent when it states
   * none. A time without a zone is read as UTC (`parseReportTime`).
   */
  startedAt?: string;
};

/** Receives the tests of a report in order; may return a promise to apply backpressure. */
export type TestSink = (tests: ReportedTest[]) => void | Promise<void>;

/**
 * The contract every test-result reader implements (one folder per format beside this file,
 * registered in `test-result-readers.ts`, checked by `reader-conformance.ts`).
 *
 * `read` consumes text chunks, already decoded by the one decoding step every reader shares
 * (`decodeReport`: BOM, UTF-16, XML encoding declaration, strict UTF-8; see `openReport`),
 * hands tests to the sink in batches as soon as they are complete, and returns a value: the
 * summary, or the problems that stopped it. Tests may reach the sink before a later problem
 * (ingest is one transaction). Memory must not grow with the number of tests. It never throws
 * for bad input; it throws only what the sink or the input throws.
 */
export type TestResultReader = {
  /**
   * The format's name, equal to its key in `testResultReaders`: what `--format` accepts and what
   * a stored report's `format` says.
   */
  readonly id: string;
  /** One line: what the reader reads. */
  readonly description: string;
  /**
   * What a document of this format starts with, in the words of the message for content no
   * reader detects: `JUnit XML (starts with "<")`.
   */
  readonly detectHint: string;
  /**
   * True when the start of a document (first few KiB, BOM removed) looks like this format.
   * Readers are asked in registry order, catch-alls last; the first that says yes reads the
   * document. Never throws.
   */
  detect(head: string): boolean;
  /**
   * True when `detect` claims every document of its syntax (JUnit: anything starting with `<`;
   * CTRF: with `{`). Catch-alls are asked after the other readers, so a more specific format of
   * the same syntax (NUnit's `<test-run>`) is found first. Default false.
   */
  readonly isCatchAll?: boolean;
  read(input: AsyncIterable<string>, sink: TestSink): Promise<Result<ReadSummary, Problem>>;
};
