import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { analyzeCanary } from '../../app/canary/analyze-canary.ts';
import { writeCanaryManifest } from '../../app/canary/canary-recording.ts';
import { openCanarySource } from '../../app/canary/open-canary-source.ts';
import { readCanaryInput } from '../../app/canary/read-canary-input.ts';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { parseDuration } from '../../core/lib/parse-duration.ts';
import { judgeModes, type CanaryVerdict, type JudgeMode } from '../../core/canary/canary-report.ts';
import { judgeCanary } from '../../core/canary/judge-canary.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, readStdin, type CommandFactory } from '../cli-context.ts';
import { describeCanary } from '../documents/describe-canary.ts';
import { configOption, jsonOption, markdownOption } from '../options.ts';
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
  canary
    .command('analyze')
    .description('query the configured source (candor.yml canary:) for both versions and judge')
    .addOption(configOption())
    .option('--baseline <key=value>', 'a label of the baseline (repeat for more)', collectLabel, {})
    .option('--canary <key=value>', 'a label of the canary (repeat for more)', collectLabel, {})
    .option('--last <duration>', 'judge the last 30m, 1h, … (default: canary.minimumDuration)')
    .option('--start <time>', 'window start: ISO 8601 or unix seconds')
    .option('--end <time>', 'window end: ISO 8601 or unix seconds (default: now)')
    .option('--record <dir>', 'save every answer of the source into DIR (to --replay it later)')
    .option('--replay <dir>', 'answer every query from a --record DIR instead of the source')
    .addOption(
      new Option('--mode <mode>', 'the judge (default: canary.mode, else default)').choices(
        judgeModes,
      ),
    )
    .addOption(jsonOption('print the verdict as JSON'))
    .addOption(markdownOption())
    .action(async (options: AnalyzeOptions) => {
      const loaded = loadCandorConfig({ cwd: context.cwd, path: options.config });
      const file = options.config ?? 'candor.yml';
      if (!loaded.ok) {
        for (const problem of loaded.errors)
          context.stderr.write(`✗ ${formatProblem(problem, file)}\n`);
        throw new CandorError('usage', `${file}: invalid configuration`);
      }
      const config = loaded.value.config.canary;
      if (config === undefined)
        throw new CandorError(
          'usage',
          loaded.value.found
            ? `${loaded.value.path} has no canary: section`
            : `${loaded.value.path} not found: canary analyze needs its canary: section`,
        );
      for (const side of ['baseline', 'canary'] as const)
        if (Object.keys(options[side]).length === 0)
          throw new CandorError('usage', `--${side} KEY=VALUE is required (e.g. version=stable)`);
      const { start, end } = windowOf(options, config.minimumDuration, context.now());
      const client = openCanarySource({
        config,
        env: context.env,
        cwd: context.cwd,
        record: options.record,
        replay: options.replay,
      });
      const analysis = await analyzeCanary({
        config,
        labels: { baseline: options.baseline, canary: options.canary },
        start,
        end,
        client,
        mode: options.mode,
      });
      if (options.record !== undefined)
        writeCanaryManifest(resolve(context.cwd, options.record), analysis, {
          baseline: options.baseline,
          canary: options.canary,
        });
      const { report, window } = analysis;
      if (options.json) context.stdout.write(`${JSON.stringify({ ...report, window })}\n`);
      else
        writeDocument(
          context.stdout,
          describeCanary(report, {
            window: `${window.start} → ${window.end}, every ${window.step}`,
          }),
          options,
        );
      setExitCode(exitCodeOfCanaryVerdict(report.verdict));
    });
  return canary;
};

type AnalyzeOptions = {
  config?: string;
  baseline: Record<string, string>;
  canary: Record<string, string>;
  last?: string;
  start?: string;
  end?: string;
  record?: string;
  replay?: string;
  mode?: JudgeMode;
  json?: boolean;
  markdown?: boolean;
};

/** `--baseline version=stable` (repeatable) into `{ version: 'stable' }`. */
function collectLabel(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CandorError('usage', `expected KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

/** An instant of a flag: ISO 8601, or unix seconds. */
function timeOf(flag: string, text: string): Date {
  const at = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new CandorError('usage', `${flag}: expected ISO 8601 or unix seconds, got "${text}"`);
  return at;
}

/** The window: `--last D` (ending now), `--start T [--end T]`, or the minimum duration. */
function windowOf(
  options: AnalyzeOptions,
  minimumDuration: number,
  now: Date,
): { start: Date; end: Date } {
  if (options.last !== undefined && (options.start !== undefined || options.end !== undefined))
    throw new CandorError('usage', '--last excludes --start and --end');
  if (options.end !== undefined && options.start === undefined)
    throw new CandorError('usage', '--end needs --start');
  if (options.start !== undefined) {
    const start = timeOf('--start', options.start);
    const end = options.end === undefined ? now : timeOf('--end', options.end);
    if (end <= start) throw new CandorError('usage', '--end must be after --start');
    return { start, end };
  }
  let length = minimumDuration;
  if (options.last !== undefined) {
    const parsed = parseDuration(options.last);
    if (!parsed.ok) throw new CandorError('usage', `--last: ${parsed.errors[0] ?? ''}`);
    length = parsed.value;
  }
  return { start: new Date(now.getTime() - length), end: now };
}
