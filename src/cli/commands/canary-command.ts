import { Command, Option } from 'commander';
import { readCanaryInput } from '../../app/canary/read-canary-input.ts';
import { judgeModes, type CanaryVerdict, type JudgeMode } from '../../core/canary/canary-report.ts';
import { judgeCanary } from '../../core/canary/judge-canary.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, readStdin, type CommandFactory } from '../cli-context.ts';
import { describeCanary } from '../documents/describe-canary.ts';
import { jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** The exit code of a canary verdict (README "Canary analysis"): 0 promote, 1 rollback, 3 inconclusive. */
export function exitCodeOfCanaryVerdict(verdict: CanaryVerdict): number {
  switch (verdict) {
    case 'promote':
      return exitCodes.ok;
    case 'rollback':
      return exitCodes.rejected;
    case 'inconclusive':
      return exitCodes.noTests;
  }
}

const modeOption = () =>
  new Option('--mode <mode>', 'default (candor’s judge) or kayenta (NetflixACAJudge)')
    .choices(judgeModes)
    .default('default');

/** `candor canary judge` and `candor canary analyze` (README "Canary analysis"). */
export const canaryCommand: CommandFactory = (context, setExitCode) => {
  const canary = new Command('canary').description(
    'judge a canary against its baseline: exit 0 promote, 1 rollback, 3 inconclusive, 2 usage or config error',
  );
  canary
    .command('judge')
    .description('judge metrics already collected (a JSON file; - reads standard input)')
    .requiredOption('--input <file>', 'the metrics, baseline and canary (JSON)')
    .addOption(modeOption())
    .addOption(jsonOption('print the verdict as JSON'))
    .addOption(markdownOption())
    .action(
      async (options: { input: string; mode: JudgeMode; json?: boolean; markdown?: boolean }) => {
        const input = readCanaryInput({
          cwd: context.cwd,
          path: options.input,
          ...(options.input === '-' ? { stdin: await readStdin(context) } : {}),
        });
        if (!input.ok) {
          const file = options.input === '-' ? '(stdin)' : options.input;
          for (const problem of input.errors)
            context.stderr.write(`✗ ${formatProblem(problem, file)}\n`);
          throw new CandorError('usage', `${file}: not a valid canary input`);
        }
        const report = judgeCanary(input.value, { mode: options.mode });
        if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
        else writeDocument(context.stdout, describeCanary(report), options);
        setExitCode(exitCodeOfCanaryVerdict(report.verdict));
      },
    );
  return canary;
};
