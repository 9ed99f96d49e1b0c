import { Command, Option } from 'commander';
import { initRepository } from '../../app/init/init-repository.ts';
import { ciProviders, type CiProvider } from '../../core/init/render-starter-config.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { jsonOption } from '../options.ts';

type InitOptions = { config: string; force?: boolean; ci?: CiProvider | 'auto'; json?: boolean };

/**
 * `candor init [--ci auto|github|gitlab] [--force] [--config candor.yml] [--json]`: writes a
 * starter candor.yml (and a CI job) for the detected stack. Exit 0 written, 1 a file exists (no
 * `--force`) or no CI snippet for the provider, 4 a file cannot be written, 5 a starter that
 * fails the schema (a bug).
 */
export const initCommand: CommandFactory = (context, setExitCode) =>
  new Command('init')
    .description(
      'write a starter candor.yml (and a CI job with --ci) for the detected stack; never overwrites without --force',
    )
    .addOption(new Option('--config <path>', 'the file to write').default('candor.yml'))
    .addOption(
      new Option('--ci [provider]', 'also write a CI job running `candor gate change`')
        .choices(['auto', ...ciProviders])
        .preset('auto'),
    )
    .option('--force', 'replace files that exist')
    .addOption(jsonOption())
    .action((options: InitOptions) => {
      const outcome = initRepository({
        root: context.cwd,
        config: options.config,
        force: options.force === true,
        ci: options.ci,
      });
      if (options.json) context.stdout.write(`${JSON.stringify(outcome)}\n`);
      if (outcome.kind === 'written') {
        if (!options.json) {
          const d = outcome.detection;
          context.stdout.write(
            `detected: package manager ${d.packageManager ?? 'none'}, CI ${d.ciProviders.join(', ') || 'none'}, CODEOWNERS ${d.codeowners ?? 'none'}, ${d.testReports.length} test report(s), ${d.coverage.length} coverage report(s)\n`,
          );
          for (const file of outcome.written) context.stdout.write(`wrote ${file}\n`);
          context.stdout.write(`${options.config}: valid (candor config check)\n`);
        }
        setExitCode(exitCodes.ok);
      } else if (outcome.kind === 'exists') {
        if (!options.json)
          context.stderr.write(
            `✗ ${outcome.files.join(', ')} exists: nothing written (--force replaces it)\n`,
          );
        setExitCode(exitCodes.rejected);
      } else if (outcome.kind === 'no-ci-provider') {
        if (!options.json)
          context.stderr.write(
            `✗ no CI snippet for ${options.ci === 'auto' ? 'this repository (no GitHub or GitLab CI detected)' : options.ci}: nothing written (--ci github|gitlab)\n`,
          );
        setExitCode(exitCodes.rejected);
      } else {
        for (const problem of outcome.problems)
          context.stderr.write(`✗ ${formatProblem(problem, options.config)}\n`);
        setExitCode(exitCodes.internal);
      }
    });
