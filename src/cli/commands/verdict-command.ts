import { Command, Option } from 'commander';
import { z } from 'zod';
import { judgeReports, type ReportsVerdict } from '../../app/quarantine/judge-reports.ts';
import { openQuarantine } from '../../app/quarantine/open-quarantine.ts';
import { defaultQuarantinePath } from '../../app/quarantine/quarantine-store.ts';
import { reportFormatChoices, type ReportFormatChoice } from '../../app/tests/report-formats.ts';
import { VerdictQuery } from '../../contracts/queries.ts';
import type { VerdictJson } from '../../contracts/verdict.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodeOfVerdict, type CliContext, type CommandFactory } from '../cli-context.ts';
import { describeVerdict } from '../documents/describe-verdict.ts';
import { jsonOption, markdownOption, parseOptions, queryOf, serverOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type VerdictOptions = {
  quarantine: string;
  variant?: string;
  format: ReportFormatChoice;
  server?: string;
  run?: string;
  commit?: string;
  repo?: string;
  json?: boolean;
  markdown?: boolean;
  pathRoot?: string;
};

/** `candor verdict --json` as the server sends it (contracts/verdict.ts `VerdictJson`). */
const VerdictAnswer = z.looseObject({
  verdict: z.enum(['pass', 'fail', 'no-tests']),
  reports: z.array(
    z.looseObject({ path: z.string(), format: z.string().nullable(), tests: z.number() }),
  ),
});

/**
 * The verdict of a run the server stores (`--server` with `--run` or `--commit`), judged
 * against the quarantine file of this checkout, which is sent along. Throws CandorError `usage`
 * for report files given with `--server` or a bad `--run`/`--commit` pair, and what
 * `openQuarantine` and `callServer` throw.
 */
async function judgeOnServer(
  context: CliContext,
  server: string,
  patterns: string[],
  options: VerdictOptions,
): Promise<ReportsVerdict> {
  if (patterns.length > 0)
    throw new CandorError(
      'usage',
      'with --server, candor verdict judges a stored run: give --run <id> or --commit <sha>, not report files (send them to POST /api/v1/test-reports first)',
    );
  if (options.variant !== undefined || options.format !== 'auto')
    throw new CandorError(
      'usage',
      '--variant and --format apply to report files; a stored run was read when it was ingested',
    );
  parseOptions(VerdictQuery, options);
  const { file } = openQuarantine(context.cwd, options.quarantine);
  const response = await callServer(context, server, {
    method: 'POST',
    path: '/api/v1/verdicts',
    query: queryOf(VerdictQuery, options),
    body: { version: file.version, tests: file.tests },
  });
  // The server is a candor: its JSON is the verdict's (contracts/verdict.ts).
  const json = (await readServerJson(response, VerdictAnswer)) as VerdictJson;
  const { verdict, tests, forgiven, blocking, flaky, reports } = json;
  return {
    judged: { verdict, tests, forgiven, blocking, flaky },
    outcome: verdict,
    reports: reports as ReportsVerdict['reports'],
    unreadable: [],
    matched: reports.length,
  };
}

/** `candor verdict <reports...>`: judges one CI run, exit 0, 1 or 3 (README "candor verdict"). */
export const verdictCommand: CommandFactory = (context, setExitCode) =>
  new Command('verdict')
    .description(
      'judge one CI run from its reports (or, with --server, a stored run): exit 0 when every failure is quarantined, 1 when one is not, 3 when there are no tests',
    )
    .argument('[reports...]', 'report files, directories or globs of this run')
    .option('--quarantine <path>', 'the quarantine file', defaultQuarantinePath)
    .option('--variant <name>', 'the run variant, as given to `candor ingest`')
    .addOption(
      new Option('--format <format>', 'report format').choices(reportFormatChoices).default('auto'),
    )
    .option('--path-root <dir>', 'as given to `candor ingest`: test paths are made relative to it')
    .addOption(serverOption())
    .option('--run <id>', 'with --server: the stored run to judge, by its id')
    .option('--commit <sha>', 'with --server: judge the newest stored run of this commit')
    .option('--repo <name>', 'with --server and --commit: the repository of the commit')
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action(async (patterns: string[], options: VerdictOptions) => {
      let result: ReportsVerdict;
      if (options.server !== undefined)
        result = await judgeOnServer(context, options.server, patterns, options);
      else {
        if (options.run !== undefined || options.commit !== undefined || options.repo !== undefined)
          throw new CandorError('usage', '--run, --commit and --repo need --server');
        if (patterns.length === 0)
          throw new CandorError(
            'usage',
            'give the report files of the run, or --server with --run or --commit',
          );
        result = await judgeReports({
          patterns,
          cwd: context.cwd,
          quarantineFile: options.quarantine,
          variant: options.variant,
          format: options.format,
          today: toIsoDate(context.now()),
          pathRoot: options.pathRoot,
          env: context.env,
        });
      }
      const exitCode = exitCodeOfVerdict(result.outcome);
      if (options.json) {
        const json: VerdictJson = {
          ...result.judged,
          verdict: result.outcome,
          exitCode,
          reports: result.reports,
        };
        context.stdout.write(`${JSON.stringify(json)}\n`);
      } else writeDocument(context.stdout, describeVerdict(result), options);
      setExitCode(exitCode);
    });
