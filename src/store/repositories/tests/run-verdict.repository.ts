import type { JudgedTest } from '../../../core/quarantine/judge-run.ts';
import { combineFinalStatuses } from '../../../core/tests/final-status.ts';
import type { FinalStatus } from '../../../core/tests/test-model.ts';
import type { Db } from '../../tables/database.ts';
import { attemptsOf } from './execution-columns.ts';

/** A stored run as a verdict names it. */
export type StoredRunRef = { id: string; repo: string; commitSha: string | null };

/**
 * The run with this id, or the newest run (by start, then id) of this commit, in `repo` when
 * given; undefined when there is none.
 */
export async function findRunToJudge(
  db: Db,
  by: { run: string } | { commit: string; repo?: string | undefined },
): Promise<StoredRunRef | undefined> {
  let query = db.selectFrom('test_runs').select(['id', 'repo', 'commit_sha']);
  if ('run' in by) query = query.where('id', '=', by.run);
  else {
    query = query.where('commit_sha', '=', by.commit);
    if (by.repo !== undefined) query = query.where('repo', '=', by.repo);
  }
  const row = await query
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, repo: row.repo, commitSha: row.commit_sha };
}

/**
 * Each test of a run with its final status in the run (a test in several reports combined, as
 * `candor verdict` combines the files it reads) and the message of its first failed attempt.
 */
export async function findRunTests(db: Db, runId: string): Promise<JudgedTest[]> {
  const rows = await db
    .selectFrom('test_executions as e')
    .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
    .innerJoin('tests as t', 't.id', 'e.test_id')
    .select(['t.key', 'e.status', 'e.attempts', 'e.duration_ms'])
    .where('p.run_id', '=', runId)
    .orderBy('e.report_seq')
    .execute();
  const byKey = new Map<string, { statuses: FinalStatus[]; message?: string | undefined }>();
  for (const row of rows) {
    const entry = byKey.get(row.key) ?? { statuses: [] };
    entry.statuses.push(row.status);
    if (row.status !== 'passed' && row.status !== 'skipped')
      entry.message ??= attemptsOf(row).find((a) => a.status === 'failed')?.message;
    byKey.set(row.key, entry);
  }
  return [...byKey].map(([key, { statuses, message }]) => {
    const status = combineFinalStatuses(statuses);
    return message === undefined ? { key, status } : { key, status, message };
  });
}

/** The reports stored for a run, in the order they were ingested, with their test counts. */
export async function findRunReports(
  db: Db,
  runId: string,
): Promise<{ path: string; format: string; tests: number }[]> {
  const rows = await db
    .selectFrom('test_reports')
    .select(['path', 'format', 'tests'])
    .where('run_id', '=', runId)
    .orderBy('ingested_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ path: r.path, format: r.format, tests: Number(r.tests) }));
}
