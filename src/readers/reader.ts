import type { Result } from '../core/lib/result.ts';
import type { ReportedTest } from '../core/tests/test-model.ts';

/** Where and why a report could not be read. Positions are 1-based. */
export type ReadProblem = {
  message: string;
  line?: number;
  column?: number;
  /** A JSON path such as `results.tests[3].status`, for JSON formats. */
  path?: string;
};

export type ReadSummary = {
  /** Test case elements (or entries) seen, before merging repeated identities. */
  testCases: number;
};

/** Receives the tests of a report in order; may return a promise to apply backpressure. */
export type TestSink = (tests: ReportedTest[]) => void | Promise<void>;

/**
 * The contract every report reader implements.
 * `read` consumes text chunks, already decoded by the one decoding step every reader shares
 * (`decodeReport`: BOM, UTF-16, XML encoding declaration, strict UTF-8; see `openReport`),
 * hands tests to the sink in batches as soon as they are complete, and returns a value: the
 * summary, or the problems that stopped it. Tests may reach the sink before a later problem
 * (ingest is one transaction). Memory must not grow with the number of tests. It never throws
 * for bad input; it throws only what the sink or the input throws.
 */
export type Reader = {
  /** Short name used in `--format` and in stored reports. */
  readonly format: string;
  /** True when the start of a document (first few KiB, BOM removed) looks like this format. */
  detect(head: string): boolean;
  read(input: AsyncIterable<string>, sink: TestSink): Promise<Result<ReadSummary, ReadProblem>>;
};
