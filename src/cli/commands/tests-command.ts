import { Command } from 'commander';
import { loadTestHistory } from '../../app/tests/load-test-history.ts';
import { TestHistoryQuery, testHistoryQueryDefaults } from '../../contracts/queries.ts';
import { TestHistory } from '../../contracts/test-history.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeTestHistory } from '../documents/describe-test-history.ts';
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

/** `candor tests show <key>`: one test's history (README "candor tests show"). */
export const testsCommand: CommandFactory = (context, setExitCode) => {
  const tests = new Command('tests').description('look at stored tests');
  tests
    .command('show')
    .description(
      'print one test\'s history, newest first (KEY as `candor ingest` prints it; without " [variant]" every variant)',
    )
    .argument('<key>', 'test key, e.g. "com.acme.CartTest::adds item"')
    .addOption(repoOption())
    .option('--limit <n>', 'executions per test', testHistoryQueryDefaults.limit)
    .addOption(dbOption())
    .addOption(serverOption())
    .addOption(jsonOption())
    .action(async (key: string, options: { db?: string; server?: string; json?: boolean }) => {
      const query = parseOptions(TestHistoryQuery, { ...options, key });
      const { server } = options;
      const history =
        server === undefined
          ? await withStore(context, options.db, (store) => loadTestHistory(store, query))
          : await readServerJson(
              await callServer(context, server, {
                method: 'GET',
                path: '/api/v1/tests/history',
                query: queryOf(TestHistoryQuery, { ...options, key }),
              }),
              TestHistory,
            );
      if (history.tests.length === 0)
        throw new CandorError('not-found', `no stored test has the key "${key}"`);
      if (options.json) context.stdout.write(`${JSON.stringify(history)}\n`);
      else writeDocument(context.stdout, describeTestHistory(history));
      setExitCode(exitCodes.ok);
    });
  return tests;
};
