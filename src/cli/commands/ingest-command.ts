import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { describeUnmatched, expandReportPaths } from '../../app/tests/expand-report-paths.ts';
import type { IngestedFile } from '../../app/tests/ingest-report.ts';
import { ingestReports, sumFiles, type IngestSummary } from '../../app/tests/ingest-reports.ts';
import { fileSource, type ReportSource } from '../../app/tests/report-source.ts';
import { resolveRun } from '../../app/tests/resolve-run.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { implausibleTime } from '../../core/lib/plausible-time.ts';
import { reportFormats, type ReportFormat } from '../../readers/test-results/test-result-readers.ts';
import { exitCodes, isPlainOutput, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';

type IngestOptions = {
  run?: string;
  commit?: string;
  branch?: string;
  repo?: string;
  variant?: string;
  defaultBranch?: string;
  startedAt?: string;
  format: ReportFormat | 'auto';
  db?: string;
  allowEmpty?: boolean;
  json?: boolean;
};

/** Files from this many on get a progress bar on a terminal. */
const progressBarFromFiles = 10;

export function ingestCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('ingest')
    .description('store test reports (JUnit XML, CTRF JSON) as one test run')
    .argument('<reports...>', 'report files, directories (searched for *.xml, *.json) or globs')
    .option('--run <id>', 'run id to add the reports to (default: a new run for this invocation)')
    .option('--commit <sha>', 'commit under test (default: from CI, then git)')
    .option('--branch <name>', 'branch (default: from CI, then git)')
    .option('--repo <name>', 'repository, e.g. org/name (default: from CI, then the git remote)')
    .option('--variant <name>', 'variant such as an OS or shard; suffixes every test key')
    .option('--started-at <iso>', 'when the run started (default: now)')
    .option(
      '--default-branch <name>',
      'the repository default branch (default: $CANDOR_DEFAULT_BRANCH, GitLab CI_DEFAULT_BRANCH, else main)',
    )
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['auto', ...reportFormats])
        .default('auto'),
    )
    .option(
      '--db <path-or-url>',
      'SQLite file or postgres:// URL (default: $CANDOR_DATABASE_URL, then .candor/candor.db)',
    )
    .option('--allow-empty', 'accept reports with no test cases and arguments that match no file')
    .option('--json', 'print one JSON object')
    .action(async (patterns: string[], options: IngestOptions) => {
      setExitCode(await runIngest(context, patterns, options));
    });
}

async function runIngest(
  context: CliContext,
  patterns: string[],
  options: IngestOptions,
): Promise<number> {
  if (options.startedAt !== undefined) {
    if (Number.isNaN(Date.parse(options.startedAt)))
      throw new CandorError(
        'usage',
        `--started-at: expected an ISO-8601 time, got "${options.startedAt}"`,
      );
    const implausible = implausibleTime(
      '--started-at',
      new Date(options.startedAt).toISOString(),
      context.now().toISOString(),
    );
    if (implausible !== undefined) throw new CandorError('usage', implausible);
  }
  const { files, unmatched } = await expandReportPaths(patterns, context.cwd);
  const run = await resolveRun({
    flags: {
      runId: options.run,
      commitSha: options.commit,
      branch: options.branch,
      repo: options.repo,
      variant: options.variant,
      defaultBranch: options.defaultBranch,
      startedAt:
        options.startedAt === undefined ? undefined : new Date(options.startedAt).toISOString(),
    },
    env: context.env,
    cwd: context.cwd,
    now: context.now().toISOString(),
  });
  const unmatchedProblems = options.allowEmpty ? [] : unmatched;
  const plain = isPlainOutput(context) || options.json === true;
  const bar =
    !plain && files.length >= progressBarFromFiles
      ? new SingleBar({
          stream: context.stderr as NodeJS.WritableStream,
          format: 'ingest [{bar}] {value}/{total} {file}',
          hideCursor: true,
        })
      : undefined;
  bar?.start(files.length, 0, { file: '' });
  async function* sources(): AsyncIterable<ReportSource> {
    for (const file of files) yield fileSource(file.absolute, file.display);
  }
  let summary: IngestSummary;
  try {
    summary = await withStore(context, options.db, (store) =>
      ingestReports(store, {
        run,
        sources: sources(),
        format: options.format,
        allowEmpty: options.allowEmpty === true,
        now: () => context.now().toISOString(),
        onFile: (file) => {
          if (bar) {
            bar.increment(1, { file: file.path });
            if (file.errors.length > 0) context.stderr.write(`\n${describeFile(file)}\n`);
          } else if (!options.json) {
            context.stdout.write(`${describeFile(file)}\n`);
          }
        },
      }),
    );
  } finally {
    bar?.stop();
  }
  for (const pattern of unmatchedProblems) {
    summary.files.push({
      path: pattern,
      format: null,
      tests: 0,
      passed: 0,
      failed: 0,
      skipped: 0,
      flaky: 0,
      testCases: 0,
      duplicate: false,
      errors: [{ message: describeUnmatched(pattern), line: null, column: null }],
    });
  }
  summary.totals = sumFiles(summary.files);
  const nothing = files.length === 0 && !options.allowEmpty && unmatchedProblems.length === 0;
  if (options.json) {
    context.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    for (const pattern of unmatchedProblems)
      context.stderr.write(`✗ ${pattern}: ${describeUnmatched(pattern)}\n`);
    if (nothing) context.stderr.write('✗ no report file given\n');
    const t = summary.totals;
    const stored = summary.files.some((file) => file.errors.length === 0);
    context.stdout.write(
      stored
        ? `run ${summary.run}: ${t.files} file(s), ${t.tests} tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.flaky} flaky\n`
        : `nothing stored: ${t.files} file(s), none readable\n`,
    );
  }
  const rejected = summary.files.some((file) => file.errors.length > 0);
  return rejected || nothing ? exitCodes.rejected : exitCodes.ok;
}

/** One line per file: counts, or where and why it was rejected. */
export function describeFile(file: IngestedFile): string {
  if (file.errors.length > 0) {
    return file.errors
      .map(
        (e) =>
          `✗ ${file.path}${e.line !== null ? `:${e.line}${e.column !== null ? `:${e.column}` : ''}` : ''}: ${e.message}`,
      )
      .join('\n');
  }
  const note = file.duplicate ? ' (already stored in this run)' : '';
  return `✓ ${file.path}: ${file.format}, ${file.tests} tests (${file.passed} passed, ${file.failed} failed, ${file.skipped} skipped, ${file.flaky} flaky)${note}`;
}
