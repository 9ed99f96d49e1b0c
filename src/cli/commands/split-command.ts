import { Command, Option } from 'commander';
import { planShards } from '../../app/tests/plan-shards.ts';
import { SplitQuery, splitQueryDefaults } from '../../contracts/queries.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { exitCodes, readStdin, type CommandFactory } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, jsonOption, parseOptions, repoOption, windowOption } from '../options.ts';

/** `candor split`: balanced shards from measured durations (README "candor split"). */
export const splitCommand: CommandFactory = (context, setExitCode) =>
  new Command('split')
    .description('split test files or test keys into balanced shards from measured durations')
    .argument('[units...]', 'file paths or test keys (default: one per line on standard input)')
    .requiredOption('--shards <n>', 'number of shards')
    .option('--index <i>', 'print the units of shard i (1-based, as --shard=i/n)')
    .addOption(
      new Option('--by <unit>', 'what the units are')
        .choices(['file', 'test'])
        .default(splitQueryDefaults.by),
    )
    .addOption(windowOption('history to estimate durations from', splitQueryDefaults.window))
    .option(
      '--last <k>',
      'estimate: median of the last k runs of each unit',
      splitQueryDefaults.last,
    )
    .addOption(repoOption('only history of this repository'))
    .addOption(dbOption())
    .addOption(jsonOption('print every shard as JSON'))
    .action(async (args: string[], options: { db?: string; json?: boolean }) => {
      const query = parseOptions(SplitQuery, options);
      if (query.index !== undefined && query.index > query.shards) {
        throw new CandorError(
          'usage',
          `--index ${query.index} is larger than --shards ${query.shards}`,
        );
      }
      if (query.index === undefined && !options.json) {
        throw new CandorError(
          'usage',
          'give --index <i> to print one shard, or --json for all of them',
        );
      }
      const units = (
        args.length > 0 && !(args.length === 1 && args[0] === '-')
          ? args
          : (await readStdin(context)).split(/\r?\n/)
      )
        .map((u) => u.trim())
        .filter((u) => u !== '');
      const split = { units, query, now: context.now() };
      const plan =
        units.length === 0
          ? await planShards(undefined, split)
          : await withStore(context, options.db, (store) => planShards(store, split));
      if (options.json) {
        context.stdout.write(`${JSON.stringify(plan)}\n`);
      } else {
        // One unit per line, for `$(candor split …)`: data, not a rendering.
        const shard = plan.shards[(query.index ?? 1) - 1];
        for (const unit of shard?.units ?? []) context.stdout.write(`${unit}\n`);
      }
      setExitCode(exitCodes.ok);
    });
