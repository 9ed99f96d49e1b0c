import { Command } from 'commander';
import { toRunJson } from '../../app/tests/to-run-json.ts';
import { listRuns } from '../../store/repositories/tests/test-result.repository.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { parsePositiveInteger } from '../parse-flags.ts';
import { renderTable } from '../render-table.ts';

export function runsCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('runs')
    .description('list stored test runs with their counts, newest first')
    .option('--repo <name>', 'only this repository')
    .option('--limit <n>', 'how many runs', '50')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .action(async (options: { repo?: string; limit: string; db?: string; json?: boolean }) => {
      const limit = parsePositiveInteger(options.limit, '--limit');
      const runs = await withStore(context, options.db, (store) =>
        listRuns(store.db, { limit, repo: options.repo }),
      );
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify({
            runs: runs.map(toRunJson),
          })}\n`,
        );
      } else if (runs.length === 0) {
        context.stdout.write('no runs stored yet: try `candor ingest <reports>`\n');
      } else {
        context.stdout.write(
          renderTable(
            [
              'started',
              'run',
              'repo',
              'branch',
              'commit',
              'tests',
              'passed',
              'failed',
              'skipped',
              'flaky',
            ],
            runs.map((r) => [
              r.startedAt.slice(0, 19).replace('T', ' '),
              r.id,
              r.repo,
              r.branch,
              r.commitSha?.slice(0, 10),
              r.tests,
              r.passed,
              r.failed,
              r.skipped,
              r.flaky,
            ]),
          ),
        );
      }
      setExitCode(exitCodes.ok);
    });
}
