import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestReport } from '../../../app/tests/ingest-report.ts';
import { bufferSource } from '../../../app/tests/report-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../../testing/open-test-store.ts';
import { listRecentDay, settleDailyStats } from './flaky-aggregate.repository.ts';
import { streamWindowStats } from './flaky-report.repository.ts';

/** Two tests of one class: `a` passes, `b` fails when asked. */
const junit = (bFails: boolean) =>
  Buffer.from(
    `<testsuite name="s"><testcase classname="c" name="a" time="0.1"/>` +
      `<testcase classname="c" name="b" time="0.2">${bFails ? '<failure message="x"/>' : ''}</testcase></testsuite>`,
  );

describe.each(testDialects)('recent daily stats, settled by a later day (%s)', (dialect) => {
  let store: TestStore;
  let runs = 0;
  beforeEach(async () => {
    store = await openTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  const ingest = async (at: string, bFails = false) => {
    const file = await ingestReport(store, {
      run: { id: `run-${++runs}`, repo: 'r', startedAt: at },
      source: bufferSource('junit.xml', junit(bFails)),
      format: 'junit',
      allowEmpty: false,
      now: at,
    });
    expect(file.errors).toEqual([]);
  };
  /** Rows of a daily-stats table as `day test executions failed`, sorted. */
  const rows = async (table: 'test_daily_stats' | 'test_daily_recent') =>
    (
      await store.db
        .selectFrom(table)
        .innerJoin('tests', 'tests.id', `${table}.test_id`)
        .select(['day', 'tests.name', 'executions', 'failed'])
        .execute()
    )
      .map((r) => `${r.day} ${r.name} ${Number(r.executions)} ${Number(r.failed)}`)
      .sort();
  /** The days listed as holding recent rows (docs/adr/0055), sorted. */
  const recentDays = async () =>
    (await store.db.selectFrom('test_daily_recent_days').select('day').execute())
      .map((r) => r.day)
      .sort();
  /** The window's sums per test name, as the flaky report reads them. */
  const window = async (from = '2026-11-01', to = '2026-11-30') => {
    const out: Record<string, [number, number]> = {};
    for await (const chunk of streamWindowStats(store, {
      from: `${from}T00:00:00.000Z`,
      to: `${to}T23:59:59.999Z`,
    })) {
      for (const t of chunk) out[t.name] = [t.executions, t.failed];
    }
    return out;
  };

  it('folds into the recent days, moves them at the first ingest of a later day, and sums both', async () => {
    await ingest('2026-11-10T09:00:00.000Z');
    await ingest('2026-11-10T15:00:00.000Z', true);
    expect(await rows('test_daily_stats')).toEqual([]);
    expect(await rows('test_daily_recent')).toEqual(['2026-11-10 a 2 0', '2026-11-10 b 2 1']);
    expect(await recentDays()).toEqual(['2026-11-10']);
    expect(await window()).toEqual({ a: [2, 0], b: [2, 1] });

    await ingest('2026-11-11T09:00:00.000Z', true);
    expect(await rows('test_daily_stats')).toEqual(['2026-11-10 a 2 0', '2026-11-10 b 2 1']);
    expect(await rows('test_daily_recent')).toEqual(['2026-11-11 a 1 0', '2026-11-11 b 1 1']);
    expect(await recentDays()).toEqual(['2026-11-11']);
    expect(await window()).toEqual({ a: [3, 0], b: [3, 2] });
    // A window of settled days only reads the settled table; one of recent days only, the other.
    expect(await window('2026-11-01', '2026-11-10')).toEqual({ a: [2, 0], b: [2, 1] });
    expect(await window('2026-11-11', '2026-11-30')).toEqual({ a: [1, 0], b: [1, 1] });
  });

  it('adds a back-filled report of a settled day to its stored row once settled again', async () => {
    await ingest('2026-11-10T09:00:00.000Z');
    await ingest('2026-11-12T09:00:00.000Z');
    // A report of the 10th arrives late: it waits in the recent days, then adds to the 10th.
    await ingest('2026-11-10T20:00:00.000Z', true);
    expect(await rows('test_daily_recent')).toEqual([
      '2026-11-10 a 1 0',
      '2026-11-10 b 1 1',
      '2026-11-12 a 1 0',
      '2026-11-12 b 1 0',
    ]);
    expect(await recentDays()).toEqual(['2026-11-10', '2026-11-12']);
    expect(await window()).toEqual({ a: [3, 0], b: [3, 1] });
    // A window of the back-filled day alone finds it among the recent days.
    expect(await window('2026-11-10', '2026-11-10')).toEqual({ a: [2, 0], b: [2, 1] });
    await ingest('2026-11-12T21:00:00.000Z');
    expect(await rows('test_daily_stats')).toEqual(['2026-11-10 a 2 0', '2026-11-10 b 2 1']);
    expect(await rows('test_daily_recent')).toEqual(['2026-11-12 a 2 0', '2026-11-12 b 2 0']);
    expect(await recentDays()).toEqual(['2026-11-12']);
    expect(await window()).toEqual({ a: [4, 0], b: [4, 1] });
  });

  it('moves each row once when two writers settle the same days at the same time', async () => {
    await ingest('2026-11-10T09:00:00.000Z', true);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let settled!: () => void;
    const firstSettled = new Promise<void>((resolve) => (settled = resolve));
    const first = store.db.transaction().execute(async (trx) => {
      await settleDailyStats(store, trx, '2026-11-11');
      settled();
      await held;
    });
    await firstSettled;
    // The second waits for the first's rows (PostgreSQL) or for the writer lock (SQLite).
    const second = store.db
      .transaction()
      .execute((trx) => settleDailyStats(store, trx, '2026-11-11'));
    setTimeout(release, 200);
    await Promise.all([first, second]);
    expect(await rows('test_daily_stats')).toEqual(['2026-11-10 a 1 0', '2026-11-10 b 1 1']);
    expect(await rows('test_daily_recent')).toEqual([]);
    expect(await recentDays()).toEqual([]);
  });

  it('settles the rows of a day a writer is still folding into, once it commits', async () => {
    await ingest('2026-11-10T09:00:00.000Z');
    const [test] = await store.db
      .selectFrom('tests')
      .select('id')
      .where('name', '=', 'a')
      .execute();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let folded!: () => void;
    const hasFolded = new Promise<void>((resolve) => (folded = resolve));
    // A late report of the 10th, as aggregateReport folds it: the day listed, then a row the 10th
    // does not hold yet (the other branch), the transaction still open.
    const late = store.db.transaction().execute(async (trx) => {
      await listRecentDay(trx, '2026-11-10');
      await trx
        .insertInto('test_daily_recent')
        .values({
          day: '2026-11-10',
          on_default_branch: 1,
          test_id: test!.id,
          executions: 1,
          passed: 1,
          failed: 0,
          flaky: 0,
          skipped: 0,
          systemic_failures: 0,
          flips: 0,
          duration_ms_sum: 0,
          duration_count: 0,
        })
        .execute();
      folded();
      await held;
    });
    await hasFolded;
    // The first ingest of the 11th settles the 10th meanwhile: it waits for the late report (its
    // listing's lock on PostgreSQL, the writer lock on SQLite) and moves its row too.
    const settle = store.db
      .transaction()
      .execute((trx) => settleDailyStats(store, trx, '2026-11-11'));
    setTimeout(release, 200);
    await Promise.all([late, settle]);
    expect(await rows('test_daily_recent')).toEqual([]);
    expect(await recentDays()).toEqual([]);
    expect(await rows('test_daily_stats')).toEqual([
      '2026-11-10 a 1 0',
      '2026-11-10 a 1 0',
      '2026-11-10 b 1 0',
    ]);
  });
});
