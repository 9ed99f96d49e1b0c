import { Command, Option } from 'commander';
import { CandorError } from '../../core/lib/candor-error.ts';
import { estimateDurations } from '../../core/sharding/estimate-durations.ts';
import { parsePositiveInteger, parseWindowFlag } from '../parse-flags.ts';
import { splitUnits } from '../../core/sharding/split-units.ts';
import { findDurationSamples } from '../../store/repositories/tests/test-duration.repository.ts';
import { exitCodes, readStdin, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';

type SplitOptions = {
  shards: string;
  index?: string;
  by: 'file' | 'test';
  window: string;
  last: string;
  repo?: string;
  db?: string;
  json?: boolean;
};

export function splitCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('split')
    .description('split test files or test keys into balanced shards from measured durations')
    .argument('[units...]', 'file paths or test keys (default: one per line on standard input)')
    .requiredOption('--shards <n>', 'number of shards')
    .option('--index <i>', 'print the units of shard i (1-based, as --shard=i/n)')
    .addOption(
      new Option('--by <unit>', 'what the units are').choices(['file', 'test']).default('file'),
    )
    .option('--window <window>', 'history to estimate durations from', '30d')
    .option('--last <k>', 'estimate: median of the last k runs of each unit', '10')
    .option('--repo <name>', 'only history of this repository')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print every shard as JSON')
    .action(async (args: string[], options: SplitOptions) => {
      const count = parsePositiveInteger(options.shards, '--shards');
      const index =
        options.index === undefined ? undefined : parsePositiveInteger(options.index, '--index');
      if (index !== undefined && index > count) {
        throw new CandorError('usage', `--index ${index} is larger than --shards ${count}`);
      }
      if (index === undefined && !options.json) {
        throw new CandorError(
          'usage',
          'give --index <i> to print one shard, or --json for all of them',
        );
      }
      const last = parsePositiveInteger(options.last, '--last');
      const windowMs = parseWindowFlag(options.window, '--window');
      const units = (
        args.length > 0 && !(args.length === 1 && args[0] === '-')
          ? args
          : (await readStdin(context)).split(/\r?\n/)
      )
        .map((u) => u.trim())
        .filter((u) => u !== '');
      const since = new Date(context.now().getTime() - windowMs).toISOString();
      const samples =
        units.length === 0
          ? []
          : await withStore(context, options.db, (store) =>
              findDurationSamples(store, { by: options.by, units, since, repo: options.repo }),
            );
      const estimates = estimateDurations(samples, last);
      const plan = splitUnits(
        units.map((id) => ({ id, seconds: estimates.get(id) })),
        count,
      );
      if (options.json) {
        context.stdout.write(`${JSON.stringify(plan)}\n`);
      } else {
        const shard = plan.shards[(index ?? 1) - 1];
        for (const unit of shard?.units ?? []) context.stdout.write(`${unit}\n`);
      }
      setExitCode(exitCodes.ok);
    });
}
