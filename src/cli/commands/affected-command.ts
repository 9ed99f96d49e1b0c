import { Command, Option } from 'commander';
import { findAffectedServices } from '../../app/affected/find-affected-services.ts';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeAffected, describeGithubMatrix } from '../documents/describe-affected.ts';
import { configOption, jsonOption } from '../options.ts';

type AffectedOptions = {
  base?: string;
  head: string;
  config?: string;
  json?: boolean;
  githubMatrix?: boolean;
  nx?: string;
  turbo?: string;
};

/** `candor affected` (README "candor affected"): the services a change affects. */
export const affectedCommand: CommandFactory = (context, setExitCode) =>
  new Command('affected')
    .description(
      'the services of candor.yml changed since the merge-base of --base and --head (every service when the base is unknown)',
    )
    .option(
      '--base <ref>',
      'the base (default: GITHUB_BASE_REF as origin/<ref>, a GitHub push event before, CI_MERGE_REQUEST_DIFF_BASE_SHA, CI_COMMIT_BEFORE_SHA; else origin/main, main)',
    )
    .option('--head <ref>', 'the head', 'HEAD')
    .addOption(configOption())
    .option('--nx <file>', 'also the projects of `nx show projects --affected --json` in FILE')
    .option('--turbo <file>', 'also the packages of `turbo ls --affected --output=json` in FILE')
    .addOption(jsonOption().conflicts('githubMatrix'))
    .addOption(
      new Option(
        '--github-matrix',
        'print {"include":[{"service":…}]} on one line for strategy.matrix',
      ),
    )
    .action(async (options: AffectedOptions) => {
      const loaded = loadCandorConfig({ cwd: context.cwd, path: options.config });
      if (!loaded.ok)
        throw new CandorError(
          'usage',
          loaded.errors.map((p) => formatProblem(p, options.config ?? 'candor.yml')).join('\n'),
        );
      const report = await findAffectedServices({
        cwd: context.cwd,
        env: context.env,
        config: loaded.value.config,
        base: options.base,
        head: options.head,
        nxFile: options.nx,
        turboFile: options.turbo,
      });
      for (const warning of report.warnings) context.stderr.write(`warning: ${warning}\n`);
      if (!report.baseKnown && (options.json === true || options.githubMatrix === true))
        context.stderr.write(
          `warning: base unknown: ${report.reason ?? ''}: every service is affected\n`,
        );
      if (options.githubMatrix) context.stdout.write(describeGithubMatrix(report));
      else if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
      else context.stdout.write(describeAffected(report));
      setExitCode(exitCodes.ok);
    });
