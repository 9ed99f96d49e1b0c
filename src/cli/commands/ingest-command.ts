import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { describeUnmatched, expandReportPaths } from '../../app/tests/expand-report-paths.ts';
import { ingestReports, sumFiles, type IngestSummary } from '../../app/tests/ingest-reports.ts';
import { reportFormatChoices, type ReportFormatChoice } from '../../app/tests/report-formats.ts';
import { fileSource, type ReportSource } from '../../app/tests/report-source.ts';
import { resolveRun } from '../../app/tests/resolve-run.ts';
import { resolveTestPaths } from '../../app/tests/test-paths.ts';
import { RunMetadata } from '../../contracts/queries.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { implausibleTime } from '../../core/lib/plausible-time.ts';
import { exitCodes, isPlainOutput, type CliContext, type CommandFactory } from '../cli-context.ts';
import {
  describeIngestedFile,
  describeIngestSummary,
  describeUnmatchedArguments,
} from '../documents/describe-ingest.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, jsonOption, parseOptions } from '../options.ts';
import { renderers } from '../render/renderers.ts';
import { writeDocument } from '../write-document.ts';

type IngestOptions = {
  format: ReportFormatChoice;
  db?: string;
  allowEmpty?: boolean;
  json?: boolean;
  pathRoot?: string;
};

/** Files from this many on get a progress bar on a terminal. */
const progressBarFromFiles = 10;

/** `candor ingest <reports...>`: stores reports as one run (README "candor ingest"). */
export const ingestCommand: CommandFactory = (context, setExitCode) =>
  new Command('ingest')
    .description('store test reports (JUnit XML, CTRF JSON) as one test run')
    .argument('<reports...>', 'report files, directories (searched for *.xml, *.json) or globs')
    .option('--run <id>', 'run id to add the reports to (default: a new run for this invocation)')
    .option('--commit <sha>', 'commit under test (default: from CI, then git)')
    .option('--branch <name>', 'branch (default: from CI, then git)')
    .option('--repo <name>', 'repository, e.g. org/name (default: from CI, then the git remote)')
    .option('--variant <name>', 'variant such as an OS or shard; suffixes every test key')
    .option(
      '--started-at <iso>',
      'when the run started (default: the earliest time the reports state, else now)',
    )
    .option(
      '--default-branch <name>',
      'the repository default branch (default: $CANDOR_DEFAULT_BRANCH, GitLab CI_DEFAULT_BRANCH, else main)',
    )
    .addOption(
      new Option('--format <format>', 'report format').choices(reportFormatChoices).default('auto'),
    )
    .addOption(
      dbOption(
        'SQLite file or postgres:// URL (default: $CANDOR_DATABASE_URL, then .candor/candor.db)',
      ),
    )
    .option('--allow-empty', 'accept reports with no test cases and arguments that match no file')
    .option(
      '--path-root <dir>',
      'the folder test file paths are made relative to (default: the git root of the working directory)',
    )
    .addOption(jsonOption('print one JSON object'))
    .action(async (patterns: string[], options: IngestOptions) => {
      setExitCode(await runIngest(context, patterns, options));
    });

async function runIngest(
  context: CliContext,
  patterns: string[],
  options: IngestOptions,
): Promise<number> {
  const { pathRoot, ...runOptions } = options;
  const flags = parseOptions(RunMetadata, runOptions);
  const now = context.now().toISOString();
  const implausible =
    flags.startedAt === undefined
      ? undefined
      : implausibleTime('--started-at', flags.startedAt, now);
  if (implausible !== undefined) throw new CandorError('usage', implausible);
  const { files, unmatched } = await expandReportPaths(patterns, context.cwd);
  const run = await resolveRun({ flags, env: context.env, cwd: context.cwd, now });
  const paths = await resolveTestPaths({ cwd: context.cwd, pathRoot, env: context.env });
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
        paths,
        onFile: (file) => {
          if (bar) {
            bar.increment(1, { file: file.path });
            if (file.errors.length > 0)
              context.stderr.write(`\n${renderers.text.render(describeIngestedFile(file))}`);
          } else if (!options.json) {
            writeDocument(context.stdout, describeIngestedFile(file));
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
    writeDocument(context.stderr, describeUnmatchedArguments(unmatchedProblems, nothing));
    writeDocument(context.stdout, describeIngestSummary(summary));
  }
  const rejected = summary.files.some((file) => file.errors.length > 0);
  return rejected || nothing ? exitCodes.rejected : exitCodes.ok;
}
