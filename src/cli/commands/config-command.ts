import { Command } from 'commander';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { candorConfigJsonSchema } from '../../config/candor-config.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { configOption, jsonOption } from '../options.ts';

/** `candor config schema` and `candor config check` (README "candor.yml"). */
export const configCommand: CommandFactory = (context, setExitCode) => {
  const config = new Command('config').description('the candor.yml configuration');
  config
    .command('schema')
    .description('print the JSON Schema of candor.yml (for editors and yaml-language-server)')
    .action(() => {
      context.stdout.write(`${JSON.stringify(candorConfigJsonSchema(), null, 2)}\n`);
      setExitCode(exitCodes.ok);
    });
  config
    .command('check')
    .description('validate candor.yml: exit 2 naming file:line:column of each problem')
    .addOption(configOption())
    .addOption(jsonOption())
    .action((options: { config?: string; json?: boolean }) => {
      const loaded = loadCandorConfig({ cwd: context.cwd, path: options.config });
      const file = options.config ?? 'candor.yml';
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify(
            loaded.ok
              ? { file: loaded.value.path, found: loaded.value.found, valid: true, problems: [] }
              : { file, found: true, valid: false, problems: loaded.errors },
          )}\n`,
        );
      } else if (loaded.ok) {
        context.stdout.write(
          loaded.value.found
            ? `${loaded.value.path}: valid\n`
            : `${loaded.value.path}: not found (every section takes its defaults)\n`,
        );
      } else {
        for (const problem of loaded.errors)
          context.stderr.write(`✗ ${formatProblem(problem, file)}\n`);
      }
      setExitCode(loaded.ok ? exitCodes.ok : exitCodes.usage);
    });
  return config;
};
