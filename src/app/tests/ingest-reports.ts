import type { StatusCounts } from '../../core/tests/test-model.ts';
import { emptyCounts } from '../../core/tests/test-model.ts';
import type { ReportFormat } from '../../readers/test-results/test-result-readers.ts';
import type { Store } from '../../store/open-store.ts';
import { ingestReport, type IngestedFile, type RunRecord } from './ingest-report.ts';
import type { ReportSource } from './report-source.ts';
import type { TestPaths } from './test-paths.ts';

export type IngestSummary = {
  run: string;
  files: IngestedFile[];
  totals: StatusCounts & { files: number };
};

/** Ingests reports one after another, each in its own transaction. */
export async function ingestReports(
  store: Store,
  options: {
    run: RunRecord;
    sources: AsyncIterable<ReportSource> | Iterable<ReportSource>;
    format: ReportFormat | 'auto';
    allowEmpty: boolean;
    now: () => string;
    /** How paths become repository-relative (`resolveTestPaths`). */
    paths?: TestPaths;
    onFile?: (file: IngestedFile) => void;
  },
): Promise<IngestSummary> {
  const files: IngestedFile[] = [];
  for await (const source of options.sources) {
    const file = await ingestReport(store, {
      run: options.run,
      source,
      format: options.format,
      allowEmpty: options.allowEmpty,
      now: options.now(),
      ...(options.paths === undefined ? {} : { paths: options.paths }),
    });
    files.push(file);
    options.onFile?.(file);
  }
  return { run: options.run.id, files, totals: sumFiles(files) };
}

export function sumFiles(files: IngestedFile[]): StatusCounts & { files: number } {
  const totals = { files: files.length, ...emptyCounts() };
  for (const file of files) {
    totals.tests += file.tests;
    totals.passed += file.passed;
    totals.failed += file.failed;
    totals.skipped += file.skipped;
    totals.flaky += file.flaky;
  }
  return totals;
}
