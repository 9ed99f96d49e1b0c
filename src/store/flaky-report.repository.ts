import { sql, type Kysely } from 'kysely';
import type { TestWindowStats } from '../core/classify-tests.ts';
import type { Database } from './schema.ts';

export type WindowQuery = {
  /** ISO instants; days are compared by their UTC date. */
  from: string;
  to: string;
  repo?: string | undefined;
  /** Only executions on the default branch (fast: from the aggregates). */
  defaultBranchOnly?: boolean;
  /** Only executions on this branch (slower: from raw executions). */
  branch?: string | undefined;
};

type Row = {
  test_id: string;
  key: string;
  name: string;
  suite: string | null;
  file: string | null;
  classname: string | null;
  executions: number | string;
  passed: number | string;
  failed: number | string;
  flaky: number | string;
  skipped: number | string;
  systemic_failures: number | string;
  flips: number | string;
};

/**
 * Every test seen in the window with its counts, evidence and state, from the ingest-time
 * aggregates (daily stats, flaky events, test state): no scan of raw executions, unless a
 * non-default `branch` is asked for.
 */
export async function loadWindowStats(
  db: Kysely<Database>,
  query: WindowQuery,
): Promise<TestWindowStats[]> {
  const fromDay = query.from.slice(0, 10);
  const toDay = query.to.slice(0, 10);
  const repoFilter = query.repo === undefined ? sql`` : sql`and t.repo = ${query.repo}`;
  let rows: Row[];
  if (query.branch !== undefined) {
    rows = (
      await sql<Row>`
        select t.id as test_id, t.key, t.name, t.suite, t.file, t.classname,
          count(*) as executions,
          sum(case when e.status = 'passed' then 1 else 0 end) as passed,
          sum(case when e.status = 'failed' and p.systemic = 0 then 1 else 0 end) as failed,
          sum(case when e.status = 'flaky' then 1 else 0 end) as flaky,
          sum(case when e.status = 'skipped' then 1 else 0 end) as skipped,
          sum(case when e.status = 'failed' and p.systemic = 1 then 1 else 0 end) as systemic_failures,
          0 as flips
        from test_executions e
        join test_runs r on r.id = e.run_id
        join test_reports p on p.id = e.report_id
        join tests t on t.id = e.test_id
        where r.branch = ${query.branch} and e.started_at >= ${query.from} and e.started_at <= ${query.to} ${repoFilter}
        group by t.id, t.key, t.name, t.suite, t.file, t.classname`.execute(db)
    ).rows;
  } else {
    const branchFilter = query.defaultBranchOnly ? sql`and on_default_branch = 1` : sql``;
    rows = (
      await sql<Row>`
        select t.id as test_id, t.key, t.name, t.suite, t.file, t.classname,
          s.executions, s.passed, s.failed, s.flaky, s.skipped, s.systemic_failures, s.flips
        from (
          select test_id, sum(executions) as executions, sum(passed) as passed, sum(failed) as failed,
            sum(flaky) as flaky, sum(skipped) as skipped, sum(systemic_failures) as systemic_failures,
            sum(flips) as flips
          from test_daily_stats
          where day >= ${fromDay} and day <= ${toDay} ${branchFilter}
          group by test_id
        ) s
        join tests t on t.id = s.test_id
        where 1 = 1 ${repoFilter}`.execute(db)
    ).rows;
  }
  const sameCommit = new Map(
    (
      await db
        .selectFrom('test_flaky_events')
        .select(['test_id', sql<number | string>`count(distinct run_id)`.as('runs')])
        .where('kind', '=', 'same-commit')
        .where('at', '>=', query.from)
        .where('at', '<=', query.to)
        .groupBy('test_id')
        .execute()
    ).map((r) => [r.test_id, Number(r.runs)]),
  );
  const states = new Map(
    (await db.selectFrom('test_state').selectAll().execute()).map((s) => [s.test_id, s]),
  );
  return rows.map((row) => {
    const state = states.get(row.test_id);
    return {
      testId: row.test_id,
      key: row.key,
      name: row.name,
      suite: row.suite ?? row.classname,
      file: row.file,
      executions: Number(row.executions),
      passed: Number(row.passed),
      failed: Number(row.failed),
      retryFlaky: Number(row.flaky),
      skipped: Number(row.skipped),
      systemicFailures: Number(row.systemic_failures),
      flips: Number(row.flips),
      sameCommitFailures: sameCommit.get(row.test_id) ?? 0,
      lastFlakyAt: state?.last_flaky_at ?? null,
      cleanSinceFlaky: state?.clean_since_flaky ?? 0,
      defaultFailStreak: state?.default_fail_streak ?? 0,
    };
  });
}

export type FlakyEvidence = {
  kind: string;
  at: string;
  runId: string;
  commit: string | null;
  otherRunId: string | null;
};

/** The latest evidence of each test (at most `perTest`), newest first. */
export async function loadEvidence(
  db: Kysely<Database>,
  testIds: string[],
  query: Pick<WindowQuery, 'from' | 'to'>,
  perTest = 10,
): Promise<Map<string, FlakyEvidence[]>> {
  const out = new Map<string, FlakyEvidence[]>();
  for (let i = 0; i < testIds.length; i += 500) {
    const ids = testIds.slice(i, i + 500);
    const rows = (
      await sql<{
        test_id: string;
        kind: string;
        at: string;
        run_id: string;
        commit_sha: string | null;
        other_run_id: string | null;
      }>`
        select test_id, kind, at, run_id, commit_sha, other_run_id from (
          select e.*, row_number() over (partition by test_id order by at desc, run_id) as n
          from test_flaky_events e
          where test_id in (${sql.join(ids)}) and at >= ${query.from} and at <= ${query.to}
        ) ranked where n <= ${perTest} order by test_id, at desc, run_id`.execute(db)
    ).rows;
    for (const row of rows) {
      const list = out.get(row.test_id) ?? [];
      list.push({
        kind: row.kind,
        at: row.at,
        runId: row.run_id,
        commit: row.commit_sha,
        otherRunId: row.other_run_id,
      });
      out.set(row.test_id, list);
    }
  }
  return out;
}

export type FailureSample = {
  testId: string;
  at: string;
  status: string;
  durationMs: number | null;
  message: string | null;
  variant: string | null;
  ciJob: string | null;
  properties: Record<string, string> | null;
};

/**
 * The latest failed and flaky executions of these tests in the window (at most `perTest` each,
 * outside systemic runs), for hints.
 */
export async function loadFailureSamples(
  db: Kysely<Database>,
  testIds: string[],
  query: Pick<WindowQuery, 'from' | 'to'>,
  perTest = 50,
): Promise<FailureSample[]> {
  const out: FailureSample[] = [];
  for (let i = 0; i < testIds.length; i += 500) {
    const ids = testIds.slice(i, i + 500);
    const rows = (
      await sql<{
        test_id: string;
        at: string;
        status: string;
        duration_ms: number | null;
        message: string | null;
        properties: string | null;
        variant: string | null;
        ci_job: string | null;
      }>`
        select f.test_id, f.at, f.status, f.duration_ms, f.message, f.properties, r.variant, r.ci_job from (
          select test_id, at, status, duration_ms, message, properties, run_id,
            row_number() over (partition by test_id order by at desc, run_id) as n
          from test_failures
          where test_id in (${sql.join(ids)}) and systemic = 0 and at >= ${query.from} and at <= ${query.to}
        ) f join test_runs r on r.id = f.run_id where f.n <= ${perTest}`.execute(db)
    ).rows;
    out.push(
      ...rows.map((r) => ({
        testId: r.test_id,
        at: r.at,
        status: r.status,
        durationMs: r.duration_ms,
        message: r.message,
        variant: r.variant,
        ciJob: r.ci_job,
        properties:
          r.properties === null ? null : (JSON.parse(r.properties) as Record<string, string>),
      })),
    );
  }
  return out;
}

export type SystemicRun = {
  runId: string;
  at: string;
  branch: string | null;
  commit: string | null;
  tests: number;
  failed: number;
};

/** Runs with a systemic report in the window. */
export async function loadSystemicRuns(
  db: Kysely<Database>,
  query: WindowQuery,
): Promise<SystemicRun[]> {
  let q = db
    .selectFrom('test_reports as p')
    .innerJoin('test_runs as r', 'r.id', 'p.run_id')
    .select([
      'r.id',
      'r.started_at',
      'r.branch',
      'r.commit_sha',
      (eb) => eb.fn.sum<number>('p.tests').as('tests'),
      (eb) => eb.fn.sum<number>('p.failed').as('failed'),
    ])
    .where('p.systemic', '=', 1)
    .where('r.started_at', '>=', query.from)
    .where('r.started_at', '<=', query.to)
    .groupBy(['r.id', 'r.started_at', 'r.branch', 'r.commit_sha'])
    .orderBy('r.started_at', 'desc');
  if (query.repo !== undefined) q = q.where('r.repo', '=', query.repo);
  return (await q.execute()).map((r) => ({
    runId: r.id,
    at: r.started_at,
    branch: r.branch,
    commit: r.commit_sha,
    tests: Number(r.tests),
    failed: Number(r.failed),
  }));
}

/** Executions and retry-flaky executions per day in the window (from `daily_totals`). */
export async function loadDailyTotals(
  db: Kysely<Database>,
  query: WindowQuery,
): Promise<{ day: string; executions: number; retryFlaky: number }[]> {
  let q = db
    .selectFrom('daily_totals')
    .select([
      'day',
      (eb) => eb.fn.sum<number>('executions').as('executions'),
      (eb) => eb.fn.sum<number>('flaky').as('flaky'),
    ])
    .where('day', '>=', query.from.slice(0, 10))
    .where('day', '<=', query.to.slice(0, 10))
    .groupBy('day')
    .orderBy('day');
  if (query.defaultBranchOnly) q = q.where('on_default_branch', '=', 1);
  if (query.repo !== undefined) q = q.where('repo', '=', query.repo);
  return (await q.execute()).map((r) => ({
    day: r.day,
    executions: Number(r.executions),
    retryFlaky: Number(r.flaky),
  }));
}

/** Same-commit flaky executions per day in the window. */
export async function loadSameCommitByDay(
  db: Kysely<Database>,
  query: Pick<WindowQuery, 'from' | 'to'>,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('test_flaky_events')
    .select(['at', 'test_id', 'run_id'])
    .where('kind', '=', 'same-commit')
    .where('at', '>=', query.from)
    .where('at', '<=', query.to)
    .execute();
  const seen = new Set<string>();
  const out = new Map<string, number>();
  for (const row of rows) {
    const id = `${row.test_id}\0${row.run_id}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.set(row.at.slice(0, 10), (out.get(row.at.slice(0, 10)) ?? 0) + 1);
  }
  return out;
}
