import type { Result } from '../../core/lib/result.ts';
import type { ReportedTest } from '../../core/tests/test-model.ts';
import type { ReadProblem, ReadSummary } from './test-result-reader.ts';
import type { ReportFormat } from './test-result-readers.ts';

/**
 * What the parse worker (`parse-worker.ts`) starts with: the reader to run, how many tests it
 * sends per message, and how many messages of tests it may have sent that were not yet stored.
 */
export type ParseWorkerData = { format: ReportFormat; batchSize: number; batchesAhead: number };

/** To the worker: decoded text, its end, and the news that one message of tests was stored. */
export type ToParseWorker = { kind: 'text'; text: string } | { kind: 'end' } | { kind: 'stored' };

/**
 * From the worker: the news that one chunk of text was taken (send another), tests in order,
 * and the reader's outcome once the text is read.
 */
export type FromParseWorker =
  | { kind: 'taken' }
  | { kind: 'tests'; tests: ReportedTest[] }
  | { kind: 'done'; result: Result<ReadSummary, ReadProblem> };
