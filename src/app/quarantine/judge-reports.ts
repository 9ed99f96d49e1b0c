import type { Problem } from '../../core/lib/problem.ts';
import { judgeRun, type RunVerdict } from '../../core/quarantine/judge-run.ts';
import type { ReportFormat } from '../../readers/test-results/test-result-readers.ts';
import { expandReportPaths } from '../tests/expand-report-paths.ts';
import { readReportTests, type ReadReportsResult } from '../tests/read-report-tests.ts';
import { resolveTestPaths } from '../tests/test-paths.ts';
import { openQuarantine } from './open-quarantine.ts';

export type ReportsVerdict = {
  /** The core's judgement of the tests read. */
  judged: RunVerdict;
  /** The verdict: the core's, except that an unreadable report is never `pass`. */
  outcome: RunVerdict['verdict'];
  reports: ReadReportsResult['files'];
  /** Reports that could not be read, with their problems. */
  unreadable: { path: string; errors: Problem[] }[];
  /** Report files the patterns matched. */
  matched: number;
};

/**
 * Judges one CI run from its reports and the quarantine file, storing nothing (`candor
 * verdict`): `pass` when every failure is forgiven by an entry active on `today`, `fail` when
 * one is not or a report cannot be read (it may hide failures), `no-tests` when the reports hold
 * none. Throws what `openQuarantine` throws.
 */
export async function judgeReports(options: {
  patterns: string[];
  cwd: string;
  quarantineFile: string;
  variant?: string | undefined;
  format: ReportFormat | 'auto';
  today: string;
  /** As `candor ingest --path-root`: keys must be the ones ingest stores. */
  pathRoot?: string | undefined;
  env?: Record<string, string | undefined>;
}): Promise<ReportsVerdict> {
  const { file } = openQuarantine(options.cwd, options.quarantineFile);
  const { files } = await expandReportPaths(options.patterns, options.cwd);
  const paths = await resolveTestPaths({
    cwd: options.cwd,
    pathRoot: options.pathRoot,
    env: options.env ?? {},
  });
  const read = await readReportTests(files, {
    variant: options.variant,
    format: options.format,
    paths,
  });
  const judged = judgeRun(read.tests, file.tests, options.today);
  const unreadable = read.files.filter((f) => f.errors.length > 0);
  const outcome = unreadable.length > 0 && judged.verdict === 'pass' ? 'fail' : judged.verdict;
  return { judged, outcome, reports: read.files, unreadable, matched: files.length };
}
