import { Command, Option } from 'commander';
import { z } from 'zod';
import { measureTestDurations, planShards } from '../../app/tests/plan-shards.ts';
import { SplitQuery, splitQueryDefaults, type SplitUnits } from '../../contracts/queries.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import {
  selectTests,
  testSelectionFormats,
  type QuarantineExportFormat,
} from '../../exporters/quarantine-exporters.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, readStdin, type CommandFactory } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import {
  dbOption,
  jsonOption,
  parseOptions,
  queryOf,
  repoOption,
  serverOption,
  windowOption,
} from '../options.ts';

/** `candor split --json`, as the server sends it (core/sharding/split-units.ts `SplitPlan`). */
const SplitPlanJson = z.object({
  shards: z.array(
    z.object({ index: z.number(), units: z.array(z.string()), estimatedSeconds: z.number() }),
  ),
  lowerBoundSeconds: z.number(),
  knownTimingsRatio: z.number(),
});

type SplitOptions = {
  db?: string;
  server?: string;
  json?: boolean;
  format?: 'keys' | QuarantineExportFormat;
};

/** `candor split`: balanced shards from measured durations (README "candor split"). */
export const splitCommand: CommandFactory = (context, setExitCode) => {
  const split = new Command('split')
    .enablePositionalOptions()
    .description('split test files or test keys into balanced shards from measured durations')
    .argument('[units...]', 'file paths or test keys (default: one per line on standard input)')
    .option('--shards <n>', 'number of shards (required)')
    .option('--index <i>', 'print the units of shard i (1-based, as --shard=i/n)')
    .addOption(
      new Option('--by <unit>', 'what the units are')
        .choices(['file', 'test'])
        .default(splitQueryDefaults.by),
    )
    .addOption(
      new Option(
        '--format <format>',
        'with --by test: print the shard as the runner selects tests (a -t or --grep regex, pytest node ids)',
      )
        .choices(['keys', ...testSelectionFormats])
        .default('keys'),
    )
    .addOption(windowOption('history to estimate durations from', splitQueryDefaults.window))
    .option(
      '--last <k>',
      'estimate: median of the last k runs of each unit',
      splitQueryDefaults.last,
    )
    .addOption(repoOption('only history of this repository'))
    .addOption(dbOption())
    .addOption(serverOption())
    .addOption(jsonOption('print every shard as JSON'))
    .action(async (args: string[], options: SplitOptions) => {
      const { format = 'keys', ...queryOptions } = options;
      const query = parseOptions(SplitQuery, queryOptions);
      if (format !== 'keys' && (query.by !== 'test' || options.json))
        throw new CandorError(
          'usage',
          `--format ${format} prints one shard of test keys: give --by test and --index, not --json`,
        );
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
      const { server } = options;
      const plan =
        units.length === 0
          ? await planShards(undefined, split)
          : server === undefined
            ? await withStore(context, options.db, (store) => planShards(store, split))
            : await readServerJson(
                await callServer(context, server, {
                  method: 'POST',
                  path: '/api/v1/split',
                  // Every shard comes back; --index picks one here.
                  query: { ...queryOf(SplitQuery, queryOptions), index: undefined },
                  body: { units } satisfies SplitUnits,
                }),
                SplitPlanJson,
              );
      if (options.json) {
        context.stdout.write(`${JSON.stringify(plan)}\n`);
      } else {
        // One unit per line, for `$(candor split …)`: data, not a rendering.
        const index = query.index ?? 1;
        const units = plan.shards[index - 1]?.units ?? [];
        const total = plan.shards.reduce((n, shard) => n + shard.units.length, 0);
        if (plan.knownTimingsRatio === 0 && total > 0)
          context.stderr.write(
            `candor split: no stored timing matched these ${total} units: split evenly by count (README "candor split": have the reporter write file paths)\n`,
          );
        if (format === 'keys') for (const unit of units) context.stdout.write(`${unit}\n`);
        else if (units.length > 0) context.stdout.write(`${selectTests(units, format)}\n`);
        if (units.length === 0) {
          // `vitest run $(candor split …)` with nothing would run the whole suite: say so, exit 3.
          context.stderr.write(
            `candor split: shard ${index} of ${query.shards} is empty (${total} units for ${query.shards} shards): nothing to run here (exit 3)\n`,
          );
          setExitCode(exitCodes.noTests);
          return;
        }
      }
      setExitCode(exitCodes.ok);
    });
  split
    .command('durations')
    .description(
      'print the measured duration of each test, for a runner that splits by itself (pytest-split: .test_durations)',
    )
    .argument(
      '[tests...]',
      'test keys, e.g. pytest node ids (default: one per line on standard input)',
    )
    .addOption(
      new Option('--format <format>', 'the file format')
        .choices(['pytest-split'])
        .default('pytest-split'),
    )
    .addOption(windowOption('history to measure durations from', splitQueryDefaults.window))
    .option('--last <k>', 'the median of the last k runs of each test', splitQueryDefaults.last)
    .addOption(repoOption('only history of this repository'))
    .addOption(dbOption())
    .action(
      async (
        args: string[],
        options: { db?: string; window: string; last: string; repo?: string },
      ) => {
        const query = parseOptions(SplitQuery, { ...options, shards: '1' });
        const keys = (
          args.length > 0 && !(args.length === 1 && args[0] === '-')
            ? args
            : (await readStdin(context)).split(/\r?\n/)
        )
          .map((u) => u.trim())
          .filter((u) => u !== '');
        const measured = await withStore(context, options.db, (store) =>
          measureTestDurations(store, {
            keys,
            window: query.window,
            last: query.last,
            repo: query.repo,
            now: context.now(),
          }),
        );
        // pytest-split's .test_durations: {"<node id>": seconds}, sorted for stable diffs.
        const durations = Object.fromEntries(
          [...measured.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([key, seconds]) => [key, Math.round(seconds * 1000) / 1000]),
        );
        context.stdout.write(`${JSON.stringify(durations, null, 2)}\n`);
        if (measured.size < keys.length)
          context.stderr.write(
            `candor split durations: ${keys.length - measured.size} of ${keys.length} tests have no stored duration (left out)\n`,
          );
        setExitCode(exitCodes.ok);
      },
    );
  return split;
};
