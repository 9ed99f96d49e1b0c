import { Command } from 'commander';
import { listRuns } from '../../app/tests/list-runs.ts';
import { RunList } from '../../contracts/runs.ts';
import { RunsQuery, runsQueryDefaults } from '../../contracts/queries.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeRuns } from '../documents/describe-runs.ts';
import { withStore } from '../open-cli-store.ts';
import {
  dbOption,
  jsonOption,
  parseOptions,
  queryOf,
  repoOption,
  serverOption,
} from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor runs`: the latest runs with their counts (README "candor runs"). */
export const runsCommand: CommandFactory = (context, setExitCode) =>
  new Command('runs')
    .description('list stored test runs with their counts, newest first')
    .addOption(repoOption())
    .option('--limit <n>', 'how many runs', runsQueryDefaults.limit)
    .addOption(dbOption())
    .addOption(serverOption())
    .addOption(jsonOption())
    .action(async (options: { db?: string; server?: string; json?: boolean }) => {
      const query = parseOptions(RunsQuery, options);
      const list =
        options.server === undefined
          ? await withStore(context, options.db, (store) => listRuns(store, query))
          : // The server is a candor: its JSON is `listRuns`'s (server/routes/runs-route.ts).
            await readServerJson(
              await callServer(context, options.server, {
                method: 'GET',
                path: '/api/v1/runs',
                query: queryOf(RunsQuery, options),
              }),
              RunList,
            );
      if (options.json) context.stdout.write(`${JSON.stringify(list)}\n`);
      else writeDocument(context.stdout, describeRuns(list));
      setExitCode(exitCodes.ok);
    });
