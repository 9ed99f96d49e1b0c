import type { CoverageReport } from '../../core/coverage/coverage-report.ts';
import type { Problem } from '../../core/lib/problem.ts';
import type { Result } from '../../core/lib/result.ts';

/**
 * The contract of a coverage reader (one folder per format beside this file, registered in
 * `coverage-readers.ts`, checked by `coverage-reader-conformance.ts`): LCOV, Istanbul JSON,
 * Cobertura XML, JaCoCo XML, Go coverprofile. `read` takes the file's lines in batches (a BOM
 * and CR removed; a BOM left at the start of the first line is ignored all the same; a batch per chunk read, so a 100 MB file is not ten million awaits), streams them, and returns line records (never summary counters) or the problems that
 * stopped it (line:column). A truncated file is a problem, not a smaller report. Never throws
 * for bad input.
 */
export type CoverageReader = {
  /** The format's name, equal to its key in `coverageReaders`. */
  readonly id: string;
  readonly description: string;
  /** What a document of this format starts with, for the message when none detects one. */
  readonly detectHint: string;
  /** True when the first lines (about 1 KiB) are this format. Never throws. */
  detect(head: string): boolean;
  read(
    lines: AsyncIterable<readonly string[]>,
    options?: CoverageReadOptions,
  ): Promise<Result<CoverageReport, Problem>>;
  /**
   * Optional: the same from the file's raw bytes (a BOM and CR removed by the reader), for
   * formats whose files reach 100 MB (LCOV), where making a string of every line is the cost,
   * and whose reports name no roots. Must give what `read` gives for the same file.
   */
  readBytes?(
    chunks: AsyncIterable<Uint8Array>,
    options?: CoverageReadOptions,
  ): Promise<Result<CoverageReport, Problem>>;
};

/** What a caller may tell a coverage reader about the report it reads. */
export type CoverageReadOptions = {
  /**
   * A hint: the files (as the report writes them) whose line records the caller keeps; it drops
   * the others. A reader may list a file this refuses with no line records, and must still check
   * them (a bad record is the same problem); a reader may also ignore the hint. Given only for
   * reports that name no roots of their own (`CoverageReport.roots`, which change the paths):
   * `readBytes`.
   */
  isKept?: (file: string) => boolean;
};
