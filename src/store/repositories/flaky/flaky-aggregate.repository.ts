import { sql, type Transaction } from 'kysely';
import type { Attempt, FinalStatus } from '../../../core/tests/test-model.ts';
import { batches } from '../../lib/batches.ts';
import type { Store } from '../../open-store.ts';
import type { Database, Db } from '../../tables/database.ts';
import type { TestFailureTable } from '../../tables/test-failure.table.ts';
import type { TestFlakyEventTable } from '../../tables/test-flaky-event.table.ts';
import type { TestStateTable } from '../../tables/test-state.table.ts';
import { propertiesColumn, summarizeAttempts } from '../tests/execution-columns.ts';
import type { ExecutedTest } from '../tests/test-result.repository.ts';

type Trx = Transaction<Database>;

export type ReportAggregateContext = {
  reportId: string;
  /** The report's number, what its executions name it by (docs/adr/0052). */
  reportSeq: number;
  repo: string;
  /** Distinct tests of the report and how many of them were flaky. */
  tests: number;
  flaky: number;
  runId: string;
  commitSha: string | null;
  /** ISO start of the run. */
  at: string;
  onDefaultBranch: boolean;
  systemic: boolean;
};

/** Executions after which a recovered test leaves `flaky` (with the quiet period, ADR 7). */
const cleanExecutionsTracked = 50;

/**
 * Folds one stored report into the aggregates, in the report's transaction: daily counts (one
 * INSERT ... SELECT into the recent days, after earlier days are settled), failures, retry and
 * same-commit evidence, and the state of the few tests whose state changes (failing now,
 * failing before, or recovering from flakiness).
 */
export async function aggregateReport(
  store: Store,
  trx: Trx,
  context: ReportAggregateContext,
): Promise<void> {
  const day = context.at.slice(0, 10);
  const onDefault = context.onDefaultBranch ? 1 : 0;
  const systemic = context.systemic ? 1 : 0;
  await settleDailyStats(store, trx, day);
  await listRecentDay(trx, day);
  await sql`
    insert into test_daily_recent (day, on_default_branch, test_id, executions, passed, failed, flaky,
      skipped, systemic_failures, flips, duration_ms_sum, duration_count)
    select ${day}, ${onDefault}, test_id, 1,
      case when status = 'passed' then 1 else 0 end,
      case when status = 'failed' and ${systemic} = 0 then 1 else 0 end,
      case when status = 'flaky' then 1 else 0 end,
      case when status = 'skipped' then 1 else 0 end,
      case when status = 'failed' and ${systemic} = 1 then 1 else 0 end,
      0,
      coalesce(duration_ms, 0),
      case when duration_ms is null then 0 else 1 end
    from test_executions where report_seq = ${context.reportSeq}
    order by test_id
    ${addingTo('test_daily_recent')}
  `.execute(trx);

  await trx
    .insertInto('daily_totals')
    .values({
      repo: context.repo,
      day,
      on_default_branch: onDefault,
      executions: context.tests,
      flaky: context.flaky,
    })
    .onConflict((oc) =>
      oc.columns(['repo', 'day', 'on_default_branch']).doUpdateSet((eb) => ({
        executions: eb('daily_totals.executions', '+', eb.ref('excluded.executions')),
        flaky: eb('daily_totals.flaky', '+', eb.ref('excluded.flaky')),
      })),
    )
    .execute();

  // Failures were recorded batch by batch during the ingest (recordFailures): read back only ids.
  if (context.systemic) {
    await trx
      .updateTable('test_failures')
      .set({ systemic: 1 })
      .where('report_id', '=', context.reportId)
      .execute();
  }
  const failing = await trx
    .selectFrom('test_failures')
    .select(['test_id', 'status'])
    .where('report_id', '=', context.reportId)
    .execute();

  const events: TestFlakyEventTable[] = failing
    .filter((row) => row.status === 'flaky')
    .map((row) => ({
      test_id: row.test_id,
      at: context.at,
      kind: 'retry',
      run_id: context.runId,
      commit_sha: context.commitSha,
      other_run_id: null,
    }));
  if (context.commitSha !== null && !context.systemic) {
    events.push(
      ...(await findSameCommitConflicts(
        store,
        trx,
        context,
        failing.filter((r) => r.status === 'failed').map((r) => r.test_id),
      )),
    );
  }
  for (const part of batches(store.capabilities, events, 6)) {
    await trx.insertInto('test_flaky_events').values(part).execute();
  }
  await updateTestState(store, trx, context, day, onDefault, failing, events);
}

/**
 * Lists `day` among the recent days (docs/adr/0055), before the fold writes its rows, in the
 * same transaction, and locks its row: a concurrent settle of a later day then deletes the
 * listing only once this transaction ends, and moves the rows it can see by then, these
 * included (PostgreSQL, read committed). An update, not DO NOTHING, because only an update locks
 * a row that is there already; taking the listing before the rows keeps the order a settle
 * takes them in, so the two never deadlock.
 */
export async function listRecentDay(trx: Trx, day: string): Promise<void> {
  await trx
    .insertInto('test_daily_recent_days')
    .values({ day })
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ day: eb.ref('excluded.day') })))
    .execute();
}

/** The daily stats' counters, which a fold or a move adds to a stored row's. */
export const dailyCounters = [
  'executions',
  'passed',
  'failed',
  'flaky',
  'skipped',
  'systemic_failures',
  'flips',
  'duration_ms_sum',
  'duration_count',
] as const;

/** The conflict clause that adds a row's counters to the stored row of its test and day. */
function addingTo(table: 'test_daily_stats' | 'test_daily_recent') {
  const sums = dailyCounters.map(
    (c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`,
  );
  return sql`on conflict (test_id, day, on_default_branch) do update set ${sql.join(sums)}`;
}

/**
 * Moves the recent daily stats of days before `day` into `test_daily_stats` (docs/adr/0050):
 * one ordered pass, adding to rows stored there already (a back-filled report's day), at the
 * first ingest of a later day. Ingest folds into `test_daily_recent`, which so holds the current
 * day, and older days only until the next ingest. Which days wait is read from
 * `test_daily_recent_days` (docs/adr/0055); their rows are then most of the table, so the move
 * reads it whole.
 */
export async function settleDailyStats(store: Store, trx: Trx, day: string): Promise<void> {
  const waiting = await trx
    .selectFrom('test_daily_recent_days')
    .select('day')
    .where('day', '<', day)
    .limit(1)
    .executeTakeFirst();
  if (waiting === undefined) return;
  await trx.deleteFrom('test_daily_recent_days').where('day', '<', day).execute();
  const columns = sql.raw(
    'day, on_default_branch, test_id, executions, passed, failed, flaky, skipped, ' +
      'systemic_failures, flips, duration_ms_sum, duration_count',
  );
  const addToStored = addingTo('test_daily_stats');
  if (store.capabilities.movesRowsInOneStatement) {
    // Concurrent settlers each move a row at most once (the delete decides who moves it).
    await sql`
      with moved as (delete from test_daily_recent where day < ${day} returning ${columns})
      insert into test_daily_stats (${columns})
      select ${columns} from moved order by test_id, day, on_default_branch
      ${addToStored}`.execute(trx);
    return;
  }
  await sql`
    insert into test_daily_stats (${columns})
    select ${columns} from test_daily_recent where day < ${day}
    order by test_id, day, on_default_branch
    ${addToStored}`.execute(trx);
  await trx.deleteFrom('test_daily_recent').where('day', '<', day).execute();
}

/**
 * Records the failed and flaky executions of one storage batch (small rows: a 200-character
 * message, no traces), replacing earlier rows of tests merged again in this report, so the
 * aggregation never reads a whole report's failures with their traces back into memory.
 */
export async function recordFailures(
  store: Store,
  trx: Db,
  context: Pick<ReportAggregateContext, 'reportId' | 'runId' | 'commitSha' | 'at'>,
  tests: readonly ExecutedTest[],
  mergedTestIds: readonly string[],
): Promise<void> {
  for (const ids of batches(store.capabilities, mergedTestIds, 1, 1)) {
    await trx
      .deleteFrom('test_failures')
      .where('report_id', '=', context.reportId)
      .where('test_id', 'in', ids)
      .execute();
  }
  const rows: TestFailureTable[] = [];
  for (const { id, test, attempts, status } of tests) {
    if (status !== 'failed' && status !== 'flaky') continue;
    rows.push({
      test_id: id,
      report_id: context.reportId,
      run_id: context.runId,
      commit_sha: context.commitSha,
      at: context.at,
      status,
      systemic: 0,
      duration_ms: summarizeAttempts(attempts).durationMs,
      message: firstFailureMessage(attempts),
      properties: propertiesColumn(test, false),
    });
  }
  for (const part of batches(store.capabilities, rows, 10)) {
    await trx.insertInto('test_failures').values(part).execute();
  }
}

function firstFailureMessage(attempts: Attempt[]): string | null {
  const message = attempts.find((a) => a.status === 'failed')?.message;
  return message === undefined ? null : (message.split('\n')[0] ?? '').slice(0, 200);
}

/**
 * Same commit, both outcomes: failures in this report whose test passed on this commit in another
 * report, and passes in this report of tests that failed on this commit before (outside systemic
 * reports). Each conflict is recorded once, on the failing run.
 */
async function findSameCommitConflicts(
  store: Store,
  trx: Trx,
  context: ReportAggregateContext,
  failedIds: string[],
): Promise<TestFlakyEventTable[]> {
  const commit = context.commitSha as string;
  const events: TestFlakyEventTable[] = [];
  for (const ids of batches(store.capabilities, failedIds, 1, 4)) {
    const passedBefore = await trx
      .selectFrom('test_executions as e')
      .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
      .innerJoin('test_runs as r', 'r.id', 'p.run_id')
      .select(['e.test_id', 'p.run_id'])
      .where('e.test_id', 'in', ids)
      .where('r.commit_sha', '=', commit)
      .where('e.status', 'in', ['passed', 'flaky'])
      .where('e.report_seq', '!=', context.reportSeq)
      .execute();
    const seen = new Set<string>();
    for (const row of passedBefore) {
      if (seen.has(row.test_id)) continue;
      seen.add(row.test_id);
      events.push({
        test_id: row.test_id,
        at: context.at,
        kind: 'same-commit',
        run_id: context.runId,
        commit_sha: commit,
        other_run_id: row.run_id,
      });
    }
  }
  const failedBefore = await trx
    .selectFrom('test_failures')
    .select(['test_id', 'run_id', 'at'])
    .where('commit_sha', '=', commit)
    .where('status', '=', 'failed')
    .where('systemic', '=', 0)
    .where('report_id', '!=', context.reportId)
    .execute();
  const alreadyLinked = new Set(
    (failedBefore.length === 0
      ? []
      : await trx
          .selectFrom('test_flaky_events')
          .select(['test_id', 'run_id'])
          .where('kind', '=', 'same-commit')
          .where('commit_sha', '=', commit)
          .execute()
    ).map((e) => `${e.test_id}\0${e.run_id}`),
  );
  const candidates = new Map(
    failedBefore
      .filter((f) => !alreadyLinked.has(`${f.test_id}\0${f.run_id}`))
      .map((f) => [f.test_id, f]),
  );
  for (const ids of batches(store.capabilities, [...candidates.keys()], 1, 3)) {
    const passedNow = await trx
      .selectFrom('test_executions')
      .select('test_id')
      .where('report_seq', '=', context.reportSeq)
      .where('test_id', 'in', ids)
      .where('status', 'in', ['passed', 'flaky'])
      .execute();
    for (const { test_id } of passedNow) {
      const failure = candidates.get(test_id);
      if (failure)
        events.push({
          test_id,
          at: failure.at,
          kind: 'same-commit',
          run_id: failure.run_id,
          commit_sha: commit,
          other_run_id: context.runId,
        });
    }
  }
  return events;
}

/**
 * Updates per-test state for the tests that matter: failing or flaky now, or whose state says they
 * failed last time or are recovering from flakiness. Passing tests with no such past need nothing.
 */
async function updateTestState(
  store: Store,
  trx: Trx,
  context: ReportAggregateContext,
  day: string,
  onDefault: number,
  failing: { test_id: string; status: TestFailureTable['status'] }[],
  events: TestFlakyEventTable[],
): Promise<void> {
  const watched = await trx
    .selectFrom('test_state')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('last_status', '!=', 'passed'),
        eb.and([
          eb('last_flaky_at', 'is not', null),
          eb('clean_since_flaky', '<', cleanExecutionsTracked),
        ]),
      ]),
    )
    .execute();
  const statusNow = new Map<string, FinalStatus>(failing.map((f) => [f.test_id, f.status]));
  const watchedIds = watched.map((w) => w.test_id).filter((id) => !statusNow.has(id));
  for (const ids of batches(store.capabilities, watchedIds, 1, 1)) {
    const rows = await trx
      .selectFrom('test_executions')
      .select(['test_id', 'status'])
      .where('report_seq', '=', context.reportSeq)
      .where('test_id', 'in', ids)
      .execute();
    for (const row of rows) statusNow.set(row.test_id, row.status);
  }
  const previous = new Map(watched.map((w) => [w.test_id, w]));
  const missing = [...statusNow.keys()].filter((id) => !previous.has(id));
  for (const ids of batches(store.capabilities, missing, 1)) {
    for (const row of await trx
      .selectFrom('test_state')
      .selectAll()
      .where('test_id', 'in', ids)
      .execute()) {
      previous.set(row.test_id, row);
    }
  }
  // Each test's latest evidence found now (a same-commit conflict is dated by its failure).
  const flakyNow = new Map<string, string>();
  for (const e of events) {
    if (e.run_id !== context.runId && e.other_run_id !== context.runId) continue;
    flakyNow.set(e.test_id, latestOf(e.at, flakyNow.get(e.test_id) ?? null));
  }
  const flipped: string[] = [];
  const states: TestStateTable[] = [];
  for (const [testId, status] of statusNow) {
    if (status === 'skipped') continue;
    const before = previous.get(testId);
    const failingNow = status === 'failed' && !context.systemic;
    if (status === 'failed' && context.systemic) continue; // an infrastructure event says nothing about the test
    if (before && (before.last_status === 'failed') !== failingNow) flipped.push(testId);
    const isFlaky = flakyNow.has(testId);
    states.push({
      test_id: testId,
      last_status: status,
      last_at: context.at,
      // The latest evidence whatever the ingest order: a back-filled report never moves it back.
      last_flaky_at: isFlaky
        ? latestOf(flakyNow.get(testId) as string, before?.last_flaky_at ?? null)
        : (before?.last_flaky_at ?? null),
      clean_since_flaky: isFlaky
        ? 0
        : status === 'passed'
          ? (before?.clean_since_flaky ?? 0) + 1
          : (before?.clean_since_flaky ?? 0),
      default_fail_streak: onDefault
        ? failingNow
          ? (before?.default_fail_streak ?? 0) + 1
          : 0
        : (before?.default_fail_streak ?? 0),
    });
  }
  for (const part of batches(store.capabilities, states, 6)) {
    await trx
      .insertInto('test_state')
      .values(part)
      .onConflict((oc) =>
        oc.column('test_id').doUpdateSet((eb) => ({
          last_status: eb.ref('excluded.last_status'),
          last_at: eb.ref('excluded.last_at'),
          last_flaky_at: eb.ref('excluded.last_flaky_at'),
          clean_since_flaky: eb.ref('excluded.clean_since_flaky'),
          default_fail_streak: eb.ref('excluded.default_fail_streak'),
        })),
      )
      .execute();
  }
  for (const ids of batches(store.capabilities, flipped, 1, 3)) {
    await trx
      .updateTable('test_daily_recent')
      .set((eb) => ({ flips: eb('flips', '+', 1) }))
      .where('day', '=', day)
      .where('on_default_branch', '=', onDefault)
      .where('test_id', 'in', ids)
      .execute();
  }
}

function latestOf(at: string, other: string | null): string {
  return other !== null && other > at ? other : at;
}
