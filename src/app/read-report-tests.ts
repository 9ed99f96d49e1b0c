import { createReadStream } from 'node:fs';
import { combineFinalStatuses, finalStatus } from '../core/final-status.ts';
import type { JudgedTest } from '../core/judge-run.ts';
import { testKey } from '../core/test-key.ts';
import type { Attempt } from '../core/test-model.ts';
import type { ReadProblem } from '../readers/reader.ts';
import { detectFormat, readers, type ReportFormat } from '../readers/readers.ts';

export type ReadReportsResult = {
  tests: JudgedTest[];
  files: { path: string; format: ReportFormat | null; tests: number; errors: ReadProblem[] }[];
};

/**
 * Reads reports without storing them and gives each test's final status in this run (repeated
 * identities merged, a test in several reports combined), keyed with the optional variant.
 */
export async function readReportTests(
  files: { absolute: string; display: string }[],
  options: { variant?: string | undefined; format: ReportFormat | 'auto' },
): Promise<ReadReportsResult> {
  const attempts = new Map<
    string,
    { perFile: Map<string, Attempt[]>; message?: string | undefined }
  >();
  const result: ReadReportsResult = { tests: [], files: [] };
  for (const file of files) {
    const iterator = createReadStream(file.absolute, {
      encoding: 'utf8',
      highWaterMark: 256 * 1024,
    })[Symbol.asyncIterator]();
    const first = await iterator.next();
    const head = first.done ? '' : (first.value as string);
    const format = options.format === 'auto' ? detectFormat(head) : options.format;
    if (format === undefined) {
      result.files.push({
        path: file.display,
        format: null,
        tests: 0,
        errors: [
          { message: 'unrecognised report: expected JUnit XML or CTRF JSON', line: 1, column: 1 },
        ],
      });
      continue;
    }
    const keys = new Set<string>();
    const chunks: AsyncIterable<string> = {
      async *[Symbol.asyncIterator]() {
        if (!first.done) yield first.value as string;
        for (let next = await iterator.next(); !next.done; next = await iterator.next())
          yield next.value as string;
      },
    };
    const pending = new Map<string, Attempt[]>();
    const outcome = await readers[format].read(chunks, (tests) => {
      for (const test of tests) {
        const key = testKey(test, options.variant);
        keys.add(key);
        pending.set(key, [...(pending.get(key) ?? []), ...test.attempts]);
      }
    });
    if (!outcome.ok) {
      result.files.push({ path: file.display, format, tests: 0, errors: outcome.errors });
      continue;
    }
    for (const [key, list] of pending) {
      const entry = attempts.get(key) ?? { perFile: new Map<string, Attempt[]>() };
      entry.perFile.set(file.display, list);
      entry.message ??= list.find((a) => a.status === 'failed')?.message;
      attempts.set(key, entry);
    }
    result.files.push({ path: file.display, format, tests: keys.size, errors: [] });
  }
  for (const [key, { perFile, message }] of attempts) {
    const status = combineFinalStatuses([...perFile.values()].map((list) => finalStatus(list)));
    result.tests.push(message === undefined ? { key, status } : { key, status, message });
  }
  return result;
}
