import { Command } from 'commander';
import { CandorError } from '../../core/lib/candor-error.ts';
import { findTestHistory } from '../../store/repositories/tests/test-result.repository.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { parsePositiveInteger } from '../parse-flags.ts';
import { renderTable } from '../render-table.ts';

export function testsCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  const tests = new Command('tests').description('look at stored tests');
  tests
    .command('show')
    .description(
      'print one test\'s history, newest first (KEY as `candor ingest` prints it; without " [variant]" every variant)',
    )
    .argument('<key>', 'test key, e.g. "com.acme.CartTest::adds item"')
    .option('--repo <name>', 'only this repository')
    .option('--limit <n>', 'executions per test', '30')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .action(
      async (
        key: string,
        options: { repo?: string; limit: string; db?: string; json?: boolean },
      ) => {
        const limit = parsePositiveInteger(options.limit, '--limit');
        const history = await withStore(context, options.db, (store) =>
          findTestHistory(store.db, { key, repo: options.repo, limit }),
        );
        if (history.length === 0) {
          throw new CandorError('not-found', `no stored test has the key "${key}"`);
        }
        if (options.json) {
          context.stdout.write(
            `${JSON.stringify({
              tests: history.map(({ test, executions }) => ({
                key: test.key,
                repo: test.repo,
                name: test.name,
                classname: test.classname,
                file: test.file,
                suite: test.suite,
                variant: test.variant,
                executions: executions.map((e) => ({
                  run: e.runId,
                  startedAt: e.startedAt,
                  branch: e.branch,
                  commit: e.commitSha,
                  status: e.status,
                  durationMs: e.durationMs,
                  attempts: e.attempts,
                })),
              })),
            })}\n`,
          );
        } else {
          for (const { test, executions } of history) {
            const where = [test.file, test.suite].filter(Boolean).join(' · ');
            context.stdout.write(`${test.key}  (${test.repo}${where ? `, ${where}` : ''})\n`);
            const counts = new Map<string, number>();
            for (const e of executions) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
            context.stdout.write(
              `last ${executions.length}: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}\n`,
            );
            context.stdout.write(
              renderTable(
                ['started', 'branch', 'commit', 'status', 'attempts', 'ms', 'message'],
                executions.map((e) => {
                  const attempts = e.attempts;
                  const failure = attempts.find((a) => a.status === 'failed');
                  return [
                    e.startedAt.slice(0, 19).replace('T', ' '),
                    e.branch,
                    e.commitSha?.slice(0, 10),
                    e.status,
                    e.attemptCount,
                    e.durationMs === null ? null : Math.round(e.durationMs),
                    failure?.message?.split('\n')[0]?.slice(0, 60),
                  ];
                }),
              ),
            );
            context.stdout.write('\n');
          }
        }
        setExitCode(exitCodes.ok);
      },
    );
  return tests;
}
