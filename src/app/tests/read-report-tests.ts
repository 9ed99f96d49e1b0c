import { combineFinalStatuses, finalStatus } from '../../core/tests/final-status.ts';
import type { JudgedTest } from '../../core/quarantine/judge-run.ts';
import { isRepeatARetry } from '../../core/tests/is-repeat-a-retry.ts';
import { testKey } from '../../core/tests/test-key.ts';
import type { Attempt } from '../../core/tests/test-model.ts';
import type { ReadProblem } from '../../readers/test-results/test-result-reader.ts';
import { openReport, readOpenedReport } from '../../readers/test-results/open-report.ts';
import type { ReportFormat } from '../../readers/test-results/test-result-readers.ts';
import { fileBytes } from './report-source.ts';
import { noCheckout, withRepoPaths, type TestPaths } from './test-paths.ts';

export type ReadReportsResult = {
  tests: JudgedTest[];
  files: { path: string; format: ReportFormat | null; tests: number; errors: ReadProblem[] }[];
};

/**
 * Reads reports without storing them and gives each test's final status in this run (retries
 * written as repeated identities merged, other repeats numbered as ingest does, a test in several reports combined), keyed with the optional variant.
 */
export async function readReportTests(
  files: { absolute: string; display: string }[],
  options: {
    variant?: string | undefined;
    format: ReportFormat | 'auto';
    /** How paths become repository-relative (default: CI checkout prefixes only). */
    paths?: TestPaths;
  },
): Promise<ReadReportsResult> {
  const attempts = new Map<
    string,
    { perFile: Map<string, Attempt[]>; message?: string | undefined }
  >();
  const result: ReadReportsResult = { tests: [], files: [] };
  for (const file of files) {
    const opened = await openReport(fileBytes(file.absolute), options.format);
    if (!opened.ok) {
      result.files.push({
        path: file.display,
        format: opened.format ?? null,
        tests: 0,
        errors: opened.errors,
      });
      continue;
    }
    const format = opened.value.format;
    const keys = new Set<string>();
    const pending = new Map<string, Attempt[]>();
    const outcome = await readOpenedReport(opened.value, (tests) => {
      for (const reported of tests) {
        const test = withRepoPaths(reported, options.paths ?? noCheckout);
        for (let occurrence = 1; ; occurrence++) {
          const key = testKey(test, options.variant, occurrence);
          const earlier = pending.get(key);
          if (earlier !== undefined && !isRepeatARetry(earlier, test)) continue;
          keys.add(key);
          pending.set(key, [...(earlier ?? []), ...test.attempts]);
          break;
        }
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
