import { Command } from 'commander';
import { listRuns } from '../../app/tests/list-runs.ts';
import { RunsQuery, runsQueryDefaults } from '../../contracts/queries.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeRuns } from '../documents/describe-runs.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, jsonOption, parseOptions, repoOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor runs`: the latest runs with their counts (README "candor runs"). */
export const runsCommand: CommandFactory = (context, setExitCode) =>
  new Command('runs')
    .description('list stored test runs with their counts, newest first')
    .addOption(repoOption())
    .option('--limit <n>', 'how many runs', runsQueryDefaults.limit)
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (options: { db?: string; json?: boolean }) => {
      const query = parseOptions(RunsQuery, options);
      const list = await withStore(context, options.db, (store) => listRuns(store, query));
      if (options.json) context.stdout.write(`${JSON.stringify(list)}\n`);
      else writeDocument(context.stdout, describeRuns(list));
      setExitCode(exitCodes.ok);
    });
