import type { CiRun } from '../../../core/ci-health/compute-ci-health.ts';
import { combineFinalStatuses } from '../../../core/tests/final-status.ts';
import type { FinalStatus } from '../../../core/tests/test-model.ts';
import type { Db } from '../../tables/database.ts';
import { attemptsOf } from './execution-columns.ts';

/** Which runs CI health reads: one branch, runs started from `from` to `to` (ISO, both included). */
export type CiRunFilter = { branch: string; from: string; to: string; repo?: string | undefined };

/**
 * The runs of a branch in a window, each with its test time, its failing tests (final status
 * `failed` once its reports are combined, as `candor verdict` combines them) and the tests that
 * passed on a retry inside it with the time of their failed attempts. Four grouped queries over
 * the window, whatever the number of runs; rows are mapped here only.
 */
export async function findCiRuns(db: Db, filter: CiRunFilter): Promise<CiRun[]> {
  let runsQuery = db
    .selectFrom('test_runs')
    .select(['id', 'repo', 'commit_sha', 'ci_job', 'ci_attempt', 'started_at'])
    .where('branch', '=', filter.branch)
    .where('started_at', '>=', filter.from)
    .where('started_at', '<=', filter.to);
  if (filter.repo !== undefined) runsQuery = runsQuery.where('repo', '=', filter.repo);
  const rows = await runsQuery.execute();

  const executions = () => {
    let query = db
      .selectFrom('test_executions as e')
      .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
      .innerJoin('test_runs as r', 'r.id', 'p.run_id')
      .where('r.branch', '=', filter.branch)
      .where('r.started_at', '>=', filter.from)
      .where('r.started_at', '<=', filter.to);
    if (filter.repo !== undefined) query = query.where('r.repo', '=', filter.repo);
    return query;
  };
  const durations = await executions()
    .select((eb) => ['p.run_id', eb.fn.sum<number | string | null>('e.duration_ms').as('ms')])
    .groupBy('p.run_id')
    .execute();
  // Every execution of a (run, test) that failed in some report of the run, to combine them.
  const failing = await executions()
    .innerJoin('tests as t', 't.id', 'e.test_id')
    .select(['p.run_id', 't.key', 'e.status'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('test_executions as f')
          .innerJoin('test_reports as q', 'q.seq', 'f.report_seq')
          .select('f.test_id')
          .whereRef('q.run_id', '=', 'p.run_id')
          .whereRef('f.test_id', '=', 'e.test_id')
          .where('f.status', '=', 'failed'),
      ),
    )
    .execute();
  const retried = await executions()
    .select(['p.run_id', 'e.attempts', 'e.duration_ms'])
    .where('e.status', '=', 'flaky')
    .execute();

  const testMs = new Map(durations.map((d) => [d.run_id, Number(d.ms ?? 0)]));
  const statuses = new Map<string, Map<string, FinalStatus[]>>();
  for (const row of failing) {
    const byKey = statuses.get(row.run_id) ?? new Map<string, FinalStatus[]>();
    byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.status]);
    statuses.set(row.run_id, byKey);
  }
  const retries = new Map<string, { tests: number; ms: number }>();
  for (const row of retried) {
    const entry = retries.get(row.run_id) ?? { tests: 0, ms: 0 };
    entry.tests++;
    for (const attempt of attemptsOf(row))
      if (attempt.status === 'failed') entry.ms += attempt.durationMs ?? 0;
    retries.set(row.run_id, entry);
  }
  return rows.map((row): CiRun => {
    const failingTests = [...(statuses.get(row.id) ?? [])]
      .filter(([, s]) => combineFinalStatuses(s) === 'failed')
      .map(([key]) => key);
    return {
      id: row.id,
      repo: row.repo,
      commit: row.commit_sha,
      job: row.ci_job,
      attempt: row.ci_attempt,
      startedAt: Date.parse(row.started_at),
      testDurationMs: testMs.get(row.id) ?? 0,
      failingTests,
      retriedTests: retries.get(row.id)?.tests ?? 0,
      retriedTestMs: retries.get(row.id)?.ms ?? 0,
    };
  });
}
