import { Command, Option } from 'commander';
import { judgeReports } from '../../app/quarantine/judge-reports.ts';
import { defaultQuarantinePath } from '../../app/quarantine/quarantine-store.ts';
import { reportFormatChoices, type ReportFormatChoice } from '../../app/tests/report-formats.ts';
import type { VerdictJson } from '../../contracts/verdict.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import { exitCodeOfVerdict, type CommandFactory } from '../cli-context.ts';
import { describeVerdict } from '../documents/describe-verdict.ts';
import { jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type VerdictOptions = {
  quarantine: string;
  variant?: string;
  format: ReportFormatChoice;
  json?: boolean;
  markdown?: boolean;
  pathRoot?: string;
};

/** `candor verdict <reports...>`: judges one CI run, exit 0, 1 or 3 (README "candor verdict"). */
export const verdictCommand: CommandFactory = (context, setExitCode) =>
  new Command('verdict')
    .description(
      'judge one CI run from its reports: exit 0 when every failure is quarantined, 1 when one is not, 3 when there are no tests',
    )
    .argument('<reports...>', 'report files, directories or globs of this run')
    .option('--quarantine <path>', 'the quarantine file', defaultQuarantinePath)
    .option('--variant <name>', 'the run variant, as given to `candor ingest`')
    .addOption(
      new Option('--format <format>', 'report format').choices(reportFormatChoices).default('auto'),
    )
    .option('--path-root <dir>', 'as given to `candor ingest`: test paths are made relative to it')
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action(async (patterns: string[], options: VerdictOptions) => {
      const result = await judgeReports({
        patterns,
        cwd: context.cwd,
        quarantineFile: options.quarantine,
        variant: options.variant,
        format: options.format,
        today: toIsoDate(context.now()),
        pathRoot: options.pathRoot,
        env: context.env,
      });
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
