import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fail, type Result } from '../../core/lib/result.ts';
import { InvalidBytesError } from './decode-report.ts';
import type { FromParseWorker, ParseWorkerData, ToParseWorker } from './parse-worker-messages.ts';
import type { ReadProblem, ReadSummary, TestSink } from './test-result-reader.ts';
import type { ReportFormat } from './test-result-readers.ts';

/** Tests per message from the worker: the ingest's flush size, so no batch is split. */
const batchSize = 1_000;
/** Messages of tests the worker may send ahead of storage: bounds what is held in memory. */
const batchesAhead = 2;
/** Chunks of text (each at most 256 KiB of bytes) sent ahead of the worker's reading. */
const textAhead = 2;

/**
 * Where the worker's module is: beside this one in a checkout (`.ts`, Node strips types), and
 * `dist/parse-worker.js` in the published bundle, beside the entry or one folder up from a chunk.
 * Undefined when none is there (a bundle built without it): reading then stays on this thread.
 */
export const parseWorkerUrl: URL | undefined = [
  new URL('./parse-worker.ts', import.meta.url),
  new URL('./parse-worker.js', import.meta.url),
  new URL('../parse-worker.js', import.meta.url),
].find((url) => existsSync(url));

/**
 * Reads an opened report like `readOpenedReport`, the reader running in a worker thread
 * (`parse-worker.ts`) while `sink` runs here: parsing overlaps what the sink does with the tests
 * (storing them). The sink gets the same tests in the same order, in batches of 1,000, one call
 * at a time; the worker keeps at most 2 batches ahead of it. The outcome comes only once every
 * call of the sink has settled, so nothing is written after it. Invalid bytes are a problem like
 * in `readOpenedReport`. Throws what the sink throws, and what the reader throws (a bug);
 * the worker is ended either way.
 */
export async function readReportInWorker(
  report: { format: ReportFormat; text: AsyncIterable<string> },
  sink: TestSink,
  workerUrl: URL,
): Promise<Result<ReadSummary, ReadProblem>> {
  const data: ParseWorkerData = { format: report.format, batchSize, batchesAhead };
  const worker = new Worker(workerUrl, { workerData: data });
  const send = (message: ToParseWorker) => worker.postMessage(message);
  try {
    return await new Promise<Result<ReadSummary, ReadProblem>>((resolve, reject) => {
      type Outcome = { result: Result<ReadSummary, ReadProblem> } | { error: unknown };
      let isSettled = false;
      const finish = (outcome: Outcome) => {
        if (isSettled) return;
        isSettled = true;
        if ('result' in outcome) resolve(outcome.result);
        else
          reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
      };
      // Every call of the sink, in order. An outcome waits for the last one to settle; a failed
      // call is the outcome, and later batches are not given to the sink.
      let stored: Promise<void> = Promise.resolve();
      const settle = (outcome: Outcome) =>
        stored.then(
          () => finish(outcome),
          (error: unknown) => finish({ error }),
        );
      const text = report.text[Symbol.asyncIterator]();
      let inFlight = 0;
      let isReading = false;
      let isEnded = false;
      const pump = async () => {
        if (isReading || isEnded) return;
        isReading = true;
        try {
          while (!isEnded && !isSettled && inFlight < textAhead) {
            const next = await text.next();
            if (next.done === true) {
              isEnded = true;
              send({ kind: 'end' });
            } else {
              inFlight++;
              send({ kind: 'text', text: next.value });
            }
          }
        } catch (error) {
          isEnded = true;
          await settle(
            error instanceof InvalidBytesError ? { result: fail(error.problem) } : { error },
          );
        } finally {
          isReading = false;
        }
      };
      worker.on('message', (message: FromParseWorker) => {
        switch (message.kind) {
          case 'taken':
            inFlight--;
            void pump();
            break;
          case 'tests':
            stored = stored.then(async () => {
              await sink(message.tests);
              send({ kind: 'stored' });
            });
            stored.catch((error: unknown) => void settle({ error }));
            break;
          case 'done':
            void settle({ result: message.result });
            break;
        }
      });
      worker.on('error', (error) => void settle({ error }));
      worker.on(
        'exit',
        (code) =>
          void settle({
            error: new Error(
              `the parse worker stopped before the end of the report (exit ${code})`,
            ),
          }),
      );
      void pump();
    });
  } finally {
    await worker.terminate();
  }
}
