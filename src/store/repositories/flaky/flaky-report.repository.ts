import { sql } from 'kysely';
import { dailyCounters } from './flaky-aggregate.repository.ts';
import type { TestWindowStats } from '../../../core/flaky/classify-test.ts';
import type { ExecutionBaseline } from '../../../core/flaky/flaky-hints.ts';
import { orderStats, type OrderedExecution } from '../../../core/flaky/order-stats.ts';
import { finalStatuses, type FinalStatus } from '../../../core/tests/test-model.ts';
import { batches } from '../../lib/batches.ts';
import type { Store } from '../../open-store.ts';
import type { TestFailureTable } from '../../tables/test-failure.table.ts';
import type { FlakyEvidenceKind } from '../../tables/test-flaky-event.table.ts';

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

/**
 * The branch condition of a window query on runs aliased `alias`: the default branch, one
 * branch, or none. Every read of executions and evidence applies it, so `--branch B` sees only
 * B's runs.
 */
function branchCondition(query: WindowQuery, alias: string) {
  if (query.branch !== undefined) return sql`and ${sql.ref(`${alias}.branch`)} = ${query.branch}`;
  if (query.defaultBranchOnly)
    return sql`and ${sql.ref(`${alias}.branch`)} = ${sql.ref(`${alias}.default_branch`)}`;
  return sql``;
}

/** Whether a window query reads only some branches' evidence. */
function isBranchQuery(query: WindowQuery): boolean {
  return query.branch !== undefined || query.defaultBranchOnly === true;
}

type StatsRow = {
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
  same_commit: number | string | null;
  last_flaky_at: string | null;
  clean_since_flaky: number | null;
  default_fail_streak: number | null;
};

/**
 * Every test seen in the window with its counts, evidence and state, from the ingest-time
 * aggregates (daily stats, flaky events, test state): no scan of raw executions, unless a
 * non-default `branch` is asked for. Streams in chunks, so memory holds one chunk whatever the
 * number of tests; `order: 'failures'` sorts by failures (most first), then key (code point
 * order on both dialects). On SQLite the connection is held until the iteration ends: run no
 * other query of the same store inside the loop.
 */
export async function* streamWindowStats(
  store: Store,
  query: WindowQuery,
  options: { order?: 'none' | 'failures'; chunkSize?: number } = {},
): AsyncIterable<TestWindowStats[]> {
  const { db } = store;
  const fromDay = query.from.slice(0, 10);
  const toDay = query.to.slice(0, 10);
  const repoFilter = query.repo === undefined ? sql`` : sql`and t.repo = ${query.repo}`;
  const counts =
    query.branch !== undefined
      ? sql`
        select e.test_id,
          count(*) as executions,
          sum(case when e.status = 'passed' then 1 else 0 end) as passed,
          sum(case when e.status = 'failed' and p.systemic = 0 then 1 else 0 end) as failed,
          sum(case when e.status = 'flaky' then 1 else 0 end) as flaky,
          sum(case when e.status = 'skipped' then 1 else 0 end) as skipped,
          sum(case when e.status = 'failed' and p.systemic = 1 then 1 else 0 end) as systemic_failures,
          0 as flips
        from test_executions e
        join test_reports p on p.seq = e.report_seq
        join test_runs r on r.id = p.run_id
        where r.branch = ${query.branch} and e.started_at >= ${query.from} and e.started_at <= ${query.to}
        group by e.test_id`
      : dailyCounts(fromDay, toDay, {
          defaultBranchOnly: query.defaultBranchOnly === true,
          // A window of settled days only (last week's, on the dashboard) reads one table.
          hasRecent: await hasRecentDays(store, fromDay, toDay),
        });
  const order =
    options.order === 'failures'
      ? sql`order by s.failed desc, ${store.capabilities.binaryTextOrder(sql.ref('t.key'))}`
      : sql``;
  const statement = sql<StatsRow>`
    select t.id as test_id, t.key, t.name, t.suite, t.file, t.classname,
      s.executions, s.passed, s.failed, s.flaky, s.skipped, s.systemic_failures, s.flips,
      sc.runs as same_commit, st.last_flaky_at, st.clean_since_flaky, st.default_fail_streak
    from (${counts}) s
    join tests t on t.id = s.test_id
    left join (
      select f.test_id, count(distinct f.run_id) as runs from test_flaky_events f
      ${isBranchQuery(query) ? sql`join test_runs r on r.id = f.run_id` : sql``}
      where f.kind = 'same-commit' and f.at >= ${query.from} and f.at <= ${query.to}
      ${branchCondition(query, 'r')}
      group by f.test_id
    ) sc on sc.test_id = s.test_id
    left join test_state st on st.test_id = s.test_id
    where 1 = 1 ${repoFilter}
    ${order}`.compile(db);
  const chunkSize = options.chunkSize ?? 2_000;
  let chunk: TestWindowStats[] = [];
  for await (const result of db.getExecutor().stream<StatsRow>(statement, chunkSize)) {
    for (const row of result.rows) {
      chunk.push({
        testId: row.test_id,
        key: row.key,
        name: row.name,
        suite: row.suite ?? row.classname,
        file: row.file,
        classname: row.classname,
        executions: Number(row.executions),
        passed: Number(row.passed),
        failed: Number(row.failed),
        retryFlaky: Number(row.flaky),
        skipped: Number(row.skipped),
        systemicFailures: Number(row.systemic_failures),
        flips: Number(row.flips),
        sameCommitFailures: Number(row.same_commit ?? 0),
        lastFlakyAt: row.last_flaky_at,
        cleanSinceFlaky: row.clean_since_flaky ?? 0,
        defaultFailStreak: row.default_fail_streak ?? 0,
      });
    }
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export type FlakyEvidence = {
  kind: FlakyEvidenceKind;
  at: string;
  runId: string;
  commit: string | null;
  otherRunId: string | null;
};

/** The latest evidence of each test (at most `perTest`), newest first. */
export async function loadEvidence(
  store: Store,
  testIds: readonly string[],
  query: WindowQuery,
  perTest = 10,
): Promise<Map<string, FlakyEvidence[]>> {
  const out = new Map<string, FlakyEvidence[]>();
  for (const ids of batches(store.capabilities, testIds, 1, 3)) {
    const rows = (
      await sql<{
        test_id: string;
        kind: FlakyEvidenceKind;
        at: string;
        run_id: string;
        commit_sha: string | null;
        other_run_id: string | null;
      }>`
        select test_id, kind, at, run_id, commit_sha, other_run_id from (
          select e.*, row_number() over (partition by e.test_id order by e.at desc, e.run_id) as n
          from test_flaky_events e
          ${isBranchQuery(query) ? sql`join test_runs r on r.id = e.run_id` : sql``}
          where e.test_id in (${sql.join(ids)}) and e.at >= ${query.from} and e.at <= ${query.to}
          ${branchCondition(query, 'r')}
        ) ranked where n <= ${perTest} order by test_id, at desc, run_id`.execute(store.db)
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
  status: TestFailureTable['status'];
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
  store: Store,
  testIds: readonly string[],
  query: WindowQuery,
  perTest = 50,
): Promise<FailureSample[]> {
  const out: FailureSample[] = [];
  for (const ids of batches(store.capabilities, testIds, 1, 3)) {
    const rows = (
      await sql<{
        test_id: string;
        at: string;
        status: TestFailureTable['status'];
        duration_ms: number | null;
        message: string | null;
        properties: string | null;
        variant: string | null;
        ci_job: string | null;
      }>`
        select f.test_id, f.at, f.status, f.duration_ms, f.message, f.properties, r.variant, r.ci_job from (
          select x.test_id, x.at, x.status, x.duration_ms, x.message, x.properties, x.run_id,
            row_number() over (partition by x.test_id order by x.at desc, x.run_id) as n
          from test_failures x
          ${isBranchQuery(query) ? sql`join test_runs r on r.id = x.run_id` : sql``}
          where x.test_id in (${sql.join(ids)}) and x.systemic = 0 and x.at >= ${query.from} and x.at <= ${query.to}
          ${branchCondition(query, 'r')}
        ) f join test_runs r on r.id = f.run_id where f.n <= ${perTest}`.execute(store.db)
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
export async function loadSystemicRuns(store: Store, query: WindowQuery): Promise<SystemicRun[]> {
  let q = store.db
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
  store: Store,
  query: WindowQuery,
): Promise<{ day: string; executions: number; retryFlaky: number }[]> {
  let q = store.db
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

/**
 * Same-commit flaky executions per day in the window: each (test, run) once, on the day it was
 * first seen.
 */
export async function loadSameCommitByDay(
  store: Store,
  query: WindowQuery,
): Promise<Map<string, number>> {
  const rows = (
    await sql<{ day: string; n: number | string }>`
      select substr(first_at, 1, 10) as day, count(*) as n from (
        select min(f.at) as first_at from test_flaky_events f
        ${isBranchQuery(query) ? sql`join test_runs r on r.id = f.run_id` : sql``}
        where f.kind = 'same-commit' and f.at >= ${query.from} and f.at <= ${query.to}
        ${branchCondition(query, 'r')}
        group by f.test_id, f.run_id
      ) firsts group by substr(first_at, 1, 10)`.execute(store.db)
  ).rows;
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

/** What a test's order-dependent classification needs, read in occurrence order. */
export type OrderInputs = {
  flips: number;
  failStreak: number;
  /** The latest flaky evidence up to the window's end (any time before it), ISO; null without. */
  lastFlakyAt: string | null;
  /** Passing executions after that evidence, up to the window's end (at most `cleanCap`). */
  cleanSinceFlaky: number;
};

/**
 * Flips and the failure streak of these tests from their executions in the window in the order
 * the runs started (not the order they were ingested), their latest flaky evidence and the clean
 * executions since (docs/adr/0015); on the query's branch when it names one. The streak counts
 * the default branch's executions (a branch query: that branch's). For the few tests that can
 * need them (failures in the window, or flaky evidence on record): each test's executions in the
 * window are read once.
 */
export async function loadOrderInputs(
  store: Store,
  testIds: readonly string[],
  query: WindowQuery,
  cleanCap = 10_000,
): Promise<Map<string, OrderInputs>> {
  const out = new Map<string, OrderInputs>();
  for (const ids of batches(store.capabilities, testIds, 1, 3)) {
    // One row per test: its executions in occurrence order, three characters each (the status
    // by its index in `finalStatuses`, systemic, on the default branch), so a test's thousand
    // executions cross as one string, not a thousand rows (docs/adr/0048).
    const statusCode = sql.raw(
      `case e.status ${finalStatuses.map((status, index) => `when '${status}' then '${index}'`).join(' ')} end`,
    );
    const code = sql<string>`${statusCode} || (case when p.systemic = 1 then '1' else '0' end) || (case when r.branch = r.default_branch then '1' else '0' end)`;
    const rows = (
      await sql<{ test_id: string; codes: string | null }>`
        select e.test_id, ${store.capabilities.concatInOrder(code, [
          sql.ref('e.started_at'),
          sql.ref('e.report_seq'),
        ])} as codes
        from test_executions e
        join test_reports p on p.seq = e.report_seq
        join test_runs r on r.id = p.run_id
        where e.test_id in (${sql.join(ids)}) and e.started_at >= ${query.from} and e.started_at <= ${query.to}
        ${branchCondition(query, 'r')}
        group by e.test_id`.execute(store.db)
    ).rows;
    const codesOf = new Map(rows.map((row) => [row.test_id, row.codes ?? '']));
    const flakyAt = (
      await sql<{ test_id: string; at: string }>`
        select f.test_id, max(f.at) as at from test_flaky_events f
        ${isBranchQuery(query) ? sql`join test_runs r on r.id = f.run_id` : sql``}
        where f.test_id in (${sql.join(ids)}) and f.at <= ${query.to}
        ${branchCondition(query, 'r')}
        group by f.test_id`.execute(store.db)
    ).rows;
    const lastFlaky = new Map(flakyAt.map((r) => [r.test_id, r.at]));
    for (const id of ids) {
      const { flips, failStreak } = orderStats(
        decodeExecutions(codesOf.get(id) ?? '', query.branch !== undefined),
      );
      out.set(id, {
        flips,
        failStreak,
        lastFlakyAt: lastFlaky.get(id) ?? null,
        cleanSinceFlaky: 0,
      });
    }
    for (const [id, at] of lastFlaky) {
      const clean = await sql<{ n: number | string }>`
        select count(*) as n from (
          select 1 from test_executions e
          ${isBranchQuery(query) ? sql`join test_reports p on p.seq = e.report_seq join test_runs r on r.id = p.run_id` : sql``}
          where e.test_id = ${id} and e.status = 'passed' and e.started_at > ${at}
            and e.started_at <= ${query.to} ${branchCondition(query, 'r')}
          limit ${cleanCap}
        ) clean`.execute(store.db);
      const entry = out.get(id);
      if (entry) entry.cleanSinceFlaky = Number(clean.rows[0]?.n ?? 0);
    }
  }
  return out;
}

/** The executions `loadOrderInputs` reads as codes, in their order (see there). */
function* decodeExecutions(codes: string, isBranchQuery: boolean): Iterable<OrderedExecution> {
  for (let i = 0; i + 2 < codes.length; i += 3)
    yield {
      status: finalStatuses[Number(codes[i])] as FinalStatus,
      systemic: codes[i + 1] === '1',
      onStreakBranch: isBranchQuery || codes[i + 2] === '1',
    };
}

/**
 * Failures of these tests by day in the window (outside systemic reports, on the query's branch),
 * leaving out those of runs with same-commit evidence (counted as same-commit already): the
 * failure-rate share of the budget's weekly trend.
 */
export async function loadFailuresByDay(
  store: Store,
  testIds: readonly string[],
  query: WindowQuery,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const ids of batches(store.capabilities, testIds, 1, 3)) {
    const rows = (
      await sql<{ day: string; n: number | string }>`
        select substr(x.at, 1, 10) as day, count(*) as n from test_failures x
        ${isBranchQuery(query) ? sql`join test_runs r on r.id = x.run_id` : sql``}
        where x.test_id in (${sql.join(ids)}) and x.status = 'failed' and x.systemic = 0
          and x.at >= ${query.from} and x.at <= ${query.to} ${branchCondition(query, 'r')}
          and not exists (
            select 1 from test_flaky_events f
            where f.kind = 'same-commit' and f.test_id = x.test_id and f.run_id = x.run_id
          )
        group by substr(x.at, 1, 10)`.execute(store.db)
    ).rows;
    for (const row of rows) out.set(row.day, (out.get(row.day) ?? 0) + Number(row.n));
  }
  return out;
}

/**
 * When, where and how all counted executions of these tests ran in the window (every status but
 * skipped, outside systemic failures, on the query's branch): what hints compare failures with.
 */
export async function loadExecutionBaselines(
  store: Store,
  testIds: readonly string[],
  query: WindowQuery,
): Promise<Map<string, ExecutionBaseline>> {
  const out = new Map<string, ExecutionBaseline>();
  for (const ids of batches(store.capabilities, testIds, 1, 3)) {
    const rows = (
      await sql<{
        test_id: string;
        hour: string;
        ci_job: string | null;
        variant: string | null;
        n: number | string;
      }>`
        select e.test_id, substr(e.started_at, 12, 2) as hour, r.ci_job, r.variant, count(*) as n
        from test_executions e
        join test_reports p on p.seq = e.report_seq
        join test_runs r on r.id = p.run_id
        where e.test_id in (${sql.join(ids)}) and e.started_at >= ${query.from} and e.started_at <= ${query.to}
          and e.status != 'skipped' and not (e.status = 'failed' and p.systemic = 1)
          ${branchCondition(query, 'r')}
        group by e.test_id, substr(e.started_at, 12, 2), r.ci_job, r.variant`.execute(store.db)
    ).rows;
    for (const row of rows) {
      let baseline = out.get(row.test_id);
      if (!baseline) {
        baseline = {
          executions: 0,
          byHour: Array.from({ length: 24 }, () => 0),
          byCiJob: {},
          byVariant: {},
        };
        out.set(row.test_id, baseline);
      }
      const n = Number(row.n);
      baseline.executions += n;
      const hour = Number(row.hour);
      if (hour >= 0 && hour < 24) baseline.byHour[hour] = (baseline.byHour[hour] ?? 0) + n;
      if (row.ci_job !== null)
        baseline.byCiJob[row.ci_job] = (baseline.byCiJob[row.ci_job] ?? 0) + n;
      if (row.variant !== null)
        baseline.byVariant[row.variant] = (baseline.byVariant[row.variant] ?? 0) + n;
    }
  }
  return out;
}

/** The daily stats' counters a window sums (durations are read elsewhere). */
const summed = dailyCounters.filter((c) => !c.startsWith('duration_'));

/** Whether any recent daily stats fall from `fromDay` to `toDay` (their days, docs/adr/0055). */
async function hasRecentDays(store: Store, fromDay: string, toDay: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('test_daily_recent_days')
    .select('day')
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Per test, the sums of its daily stats from `fromDay` to `toDay`: the settled days of
 * `test_daily_stats` (one ordered scan, grouped without a sort), joined with the recent days of
 * `test_daily_recent` (a day or two of rows, docs/adr/0050) when the window holds any. A test
 * seen only recently comes from the second alone.
 */
function dailyCounts(
  fromDay: string,
  toDay: string,
  options: { defaultBranchOnly: boolean; hasRecent: boolean },
) {
  const branch = options.defaultBranchOnly ? sql`and on_default_branch = 1` : sql``;
  const sums = sql.join(summed.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`));
  const settled = sql`select test_id, ${sums} from test_daily_stats
      where day >= ${fromDay} and day <= ${toDay} ${branch} group by test_id`;
  if (!options.hasRecent) return settled;
  const added = sql.join(
    summed.map(
      (c) =>
        sql`coalesce(${sql.ref(`m.${c}`)}, 0) + coalesce(${sql.ref(`r.${c}`)}, 0) as ${sql.ref(c)}`,
    ),
  );
  return sql`
    select coalesce(m.test_id, r.test_id) as test_id, ${added}
    from (${settled}) m
    full join (select test_id, ${sums} from test_daily_recent
      where day >= ${fromDay} and day <= ${toDay} ${branch} group by test_id) r
      on r.test_id = m.test_id`;
}
