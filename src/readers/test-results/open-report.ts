import { fail, ok, type Result } from '../../core/lib/result.ts';
import { decodeReport, InvalidBytesError, type OpenBytes } from './decode-report.ts';
import { parseWorkerUrl, readReportInWorker } from './read-report-in-worker.ts';
import type { ReadProblem, ReadSummary, TestSink } from './test-result-reader.ts';
import {
  describeDetectableFormats,
  detectFormat,
  testResultReaders,
  type ReportFormat,
} from './test-result-readers.ts';

/** A report whose encoding and format are known, ready to be read once. */
export type OpenedReport = {
  format: ReportFormat;
  /** The WHATWG name of the encoding it is decoded from. */
  encoding: string;
  text: AsyncIterable<string>;
};

/** Why a report could not be opened; `format` when it was known or detected. */
export type OpenProblem = { ok: false; format: ReportFormat | undefined; errors: ReadProblem[] };

/**
 * Decodes the start of a report (decodeReport) and settles its format: `format`, or detected from
 * the content when `auto`. Refuses, as values, an empty file, an unusable encoding and content
 * that is no known format. Throws only what `open` throws (the caller reports it as I/O).
 */
export async function openReport(
  open: OpenBytes,
  format: ReportFormat | 'auto',
): Promise<{ ok: true; value: OpenedReport } | OpenProblem> {
  const decoded = await decodeReport(open);
  const known = format === 'auto' ? undefined : format;
  if (!decoded.ok) return { ok: false, format: known, errors: decoded.errors };
  if (decoded.value.isEmpty) {
    return {
      ok: false,
      format: known,
      errors: [{ message: 'the file is empty', line: 1, column: 1 }],
    };
  }
  const chosen = known ?? detectFormat(decoded.value.head);
  if (chosen === undefined) {
    return {
      ok: false,
      format: undefined,
      errors: [
        {
          message: `unrecognised report: expected ${describeDetectableFormats()}`,
          line: 1,
          column: 1,
        },
      ],
    };
  }
  return ok({ format: chosen, encoding: decoded.value.encoding, text: decoded.value.text });
}

/**
 * Reads an opened report with its format's reader. Invalid bytes met on the way are a problem
 * like any other (with line:column and byte offset). With `inWorker`, the reader runs in a
 * worker thread while the sink runs here (`readReportInWorker`: same tests, same order, same
 * outcome), unless the worker's module is missing. Throws only what the sink throws.
 */
export async function readOpenedReport(
  report: OpenedReport,
  sink: TestSink,
  options: { inWorker?: boolean } = {},
): Promise<Result<ReadSummary, ReadProblem>> {
  if (options.inWorker === true && parseWorkerUrl !== undefined) {
    return readReportInWorker(report, sink, parseWorkerUrl);
  }
  try {
    return await testResultReaders[report.format].read(report.text, sink);
  } catch (error) {
    if (error instanceof InvalidBytesError) return fail(error.problem);
    throw error;
  }
}
