import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunsQuery, SplitQuery, TestHistoryQuery } from '../../contracts/queries.ts';
import { RunList } from '../../contracts/runs.ts';
import { TestHistory } from '../../contracts/test-history.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { ingestReport, type RunRecord } from './ingest-report.ts';
import { listRuns } from './list-runs.ts';
import { loadTestHistory } from './load-test-history.ts';
import { planShards } from './plan-shards.ts';
import { bufferSource } from './report-source.ts';

const now = new Date('2026-03-10T12:00:00.000Z');

function run(id: string, repo: string, startedAt: string, variant?: string): RunRecord {
  return {
    id,
    repo,
    branch: 'main',
    commitSha: `sha-${id}`,
    startedAt,
    defaultBranch: 'main',
    ...(variant === undefined ? {} : { variant }),
  };
}

async function ingest(store: TestStore, record: RunRecord, xml: string): Promise<void> {
  const file = await ingestReport(store, {
    run: record,
    source: bufferSource(`${record.id}.xml`, Buffer.from(xml)),
    format: 'auto',
    allowEmpty: false,
    now: record.startedAt,
  });
  expect(file.errors).toEqual([]);
}

describe.each(testDialects)('the read use cases of the shells on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await ingest(
      store,
      run('r1', 'acme/shop', '2026-03-08T10:00:00.000Z'),
      '<testsuite><testcase classname="a.Cart" file="src/cart.test.ts" name="adds" time="2"/><testcase classname="a.Pay" file="src/pay.test.ts" name="pays" time="6"><failure message="boom&#10;second line"/></testcase></testsuite>',
    );
    await ingest(
      store,
      run('r2', 'acme/shop', '2026-03-09T10:00:00.000Z', 'linux'),
      '<testsuite><testcase classname="a.Cart" file="src/cart.test.ts" name="adds" time="4"/></testsuite>',
    );
    await ingest(
      store,
      run('r3', 'acme/other', '2026-03-09T11:00:00.000Z'),
      '<testsuite><testcase classname="b.X" name="x"/></testsuite>',
    );
  });
  afterAll(async () => {
    await store.drop();
  });

  it('lists runs newest first as the runs list contract, by limit and repository', async () => {
    const all = await listRuns(store, RunsQuery.parse({}));
    expect(RunList.parse(all)).toEqual(all);
    expect(all.runs.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(all.runs[2]).toMatchObject({
      repo: 'acme/shop',
      commit: 'sha-r1',
      reports: 1,
      tests: 2,
      passed: 1,
      failed: 1,
    });
    const shop = await listRuns(store, RunsQuery.parse({ limit: '1', repo: 'acme/shop' }));
    expect(shop.runs.map((r) => r.id)).toEqual(['r2']);
  });

  it('gives a test history by exact key, or every variant of a key given without one', async () => {
    const exact = await loadTestHistory(
      store,
      TestHistoryQuery.parse({ key: 'src/pay.test.ts::a.Pay::pays' }),
    );
    expect(TestHistory.parse(exact)).toEqual(exact);
    expect(exact.tests).toHaveLength(1);
    expect(exact.tests[0]).toMatchObject({
      key: 'src/pay.test.ts::a.Pay::pays',
      file: 'src/pay.test.ts',
    });
    expect(exact.tests[0]?.executions).toEqual([
      expect.objectContaining({
        run: 'r1',
        status: 'failed',
        commit: 'sha-r1',
        attempts: [expect.objectContaining({ status: 'failed', message: 'boom\nsecond line' })],
      }),
    ]);
    const cart = await loadTestHistory(
      store,
      TestHistoryQuery.parse({ key: 'src/cart.test.ts::a.Cart::adds' }),
    );
    expect(cart.tests.map((t) => t.key)).toEqual(['src/cart.test.ts::a.Cart::adds']);
    const variants = await loadTestHistory(
      store,
      TestHistoryQuery.parse({ key: 'src/cart.test.ts::a.Cart::adds [linux]' }),
    );
    expect(variants.tests.map((t) => t.variant)).toEqual(['linux']);
    expect((await loadTestHistory(store, { key: 'no::such', limit: 5 })).tests).toEqual([]);
  });

  it('plans shards from measured durations, and reads nothing without units', async () => {
    const query = SplitQuery.parse({ shards: '2' });
    const plan = await planShards(store, {
      units: ['src/pay.test.ts', 'src/cart.test.ts', 'src/new.test.ts'],
      query,
      now,
    });
    // pay ran 6 s, cart 2 and 4 s (median 3), new has no history (the median of the known).
    expect(plan.shards.map((s) => [...s.units].sort())).toEqual([
      ['src/pay.test.ts'],
      ['src/cart.test.ts', 'src/new.test.ts'],
    ]);
    expect(plan.knownTimingsRatio).toBe(0.6667);
    const empty = await planShards(undefined, { units: [], query, now });
    expect(empty.shards.every((s) => s.units.length === 0)).toBe(true);
  });
});
