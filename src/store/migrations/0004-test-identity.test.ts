import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { testId } from '../repositories/tests/test-id.ts';
import type { TestTable } from '../tables/test.table.ts';
import { testIdentityMigration } from './0004-test-identity.ts';

const repo = 'acme/shop';

/** A test as the ADR 2 key stored it (the key and id candor wrote before migration 0004). */
const oldTest = (key: string, fields: Partial<TestTable>): TestTable => ({
  id: testId(repo, key),
  repo,
  key,
  name: 'adds',
  classname: null,
  file: null,
  line: null,
  suite: null,
  variant: null,
  first_seen_at: '2026-11-01T00:00:00.000Z',
  ...fields,
});

const jest = oldTest('cart adds::cart adds', {
  name: 'cart adds',
  classname: 'cart adds',
  suite: 'cart',
  file: 'tests/a.test.js',
});
const github = oldTest('/home/runner/work/shop/shop/test/m.test.js::adds', {
  file: '/home/runner/work/shop/shop/test/m.test.js',
});
const gitlab = oldTest('/builds/acme/shop/test/m.test.js::adds [linux]', {
  file: '/builds/acme/shop/test/m.test.js',
  variant: 'linux',
  first_seen_at: '2026-11-02T00:00:00.000Z',
});
const gitlabToo = oldTest('/home/runner/work/shop/shop/test/m.test.js::adds [linux]', {
  file: '/home/runner/work/shop/shop/test/m.test.js',
  variant: 'linux',
  first_seen_at: '2026-11-03T00:00:00.000Z',
});
const pytest = oldTest('tests.test_x.TestA::test_a', {
  name: 'test_a',
  classname: 'tests.test_x.TestA',
  suite: 'pytest',
});

describe.each(testDialects)('migration 0004-test-identity on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    const db = store.db;
    await db.insertInto('tests').values([jest, github, gitlab, gitlabToo, pytest]).execute();
    const execution = (test: TestTable, run: string, status: 'passed' | 'failed') => ({
      // The report of run rN is numbered N (executions name reports by number, docs/adr/0052).
      report_seq: Number(run.slice(1)),
      test_id: test.id,
      status,
      duration_ms: 10,
      attempt_count: 1,
      failed_attempts: status === 'failed' ? 1 : 0,
      attempts: null,
      started_at: '2026-11-10T10:00:00.000Z',
      properties: null,
    });
    await db
      .insertInto('test_executions')
      .values([
        execution(jest, 'r1', 'passed'),
        execution(github, 'r1', 'passed'),
        execution(gitlab, 'r2', 'failed'),
        execution(gitlabToo, 'r3', 'passed'),
        execution(pytest, 'r1', 'passed'),
      ])
      .execute();
    const day = (test: TestTable, executions: number, failed: number) => ({
      day: '2026-11-10',
      on_default_branch: 1,
      test_id: test.id,
      executions,
      passed: executions - failed,
      failed,
      flaky: 0,
      skipped: 0,
      systemic_failures: 0,
      flips: 0,
      duration_ms_sum: 10 * executions,
      duration_count: executions,
    });
    await db
      .insertInto('test_daily_stats')
      .values([day(jest, 1, 0), day(github, 1, 0), day(gitlab, 1, 1), day(gitlabToo, 1, 0)])
      .execute();
    await db
      .insertInto('test_failures')
      .values({
        test_id: gitlab.id,
        report_id: 'rep-r2',
        run_id: 'r2',
        commit_sha: 'c2',
        at: '2026-11-10T10:00:00.000Z',
        status: 'failed',
        systemic: 0,
        duration_ms: 10,
        message: 'boom',
        properties: null,
      })
      .execute();
    await db
      .insertInto('test_flaky_events')
      .values({
        test_id: gitlab.id,
        at: '2026-11-10T10:00:00.000Z',
        kind: 'same-commit',
        run_id: 'r2',
        commit_sha: 'c2',
        other_run_id: 'r3',
      })
      .execute();
    const state = (test: TestTable, lastAt: string, lastFlakyAt: string | null) => ({
      test_id: test.id,
      last_status: 'passed' as const,
      last_at: lastAt,
      last_flaky_at: lastFlakyAt,
      clean_since_flaky: 0,
      default_fail_streak: 0,
    });
    await db
      .insertInto('test_state')
      .values([
        state(gitlab, '2026-11-10T10:00:00.000Z', '2026-11-10T10:00:00.000Z'),
        state(gitlabToo, '2026-11-11T10:00:00.000Z', null),
      ])
      .execute();
    await testIdentityMigration.up(db as unknown as Kysely<unknown>, store.capabilities);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('keys every stored test anew, with repository-relative files and ids from the new keys', async () => {
    const tests = await store.db
      .selectFrom('tests')
      .select(['id', 'key', 'file', 'first_seen_at'])
      .orderBy('key')
      .execute();
    expect(tests).toEqual(
      [
        {
          key: 'test/m.test.js::adds',
          file: 'test/m.test.js',
          first_seen_at: github.first_seen_at,
        },
        {
          key: 'test/m.test.js::adds [linux]',
          file: 'test/m.test.js',
          first_seen_at: gitlab.first_seen_at,
        },
        { key: 'tests.test_x.TestA::test_a', file: null, first_seen_at: pytest.first_seen_at },
        {
          key: 'tests/a.test.js::cart adds',
          file: 'tests/a.test.js',
          first_seen_at: jest.first_seen_at,
        },
      ]
        .map((t) => ({ id: testId(repo, t.key), ...t }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    expect(tests.find((t) => t.key === pytest.key)?.id).toBe(pytest.id);
  });

  it('moves executions, failures and evidence, and sums the daily stats of tests that became one', async () => {
    const merged = testId(repo, 'test/m.test.js::adds [linux]');
    const executions = await store.db
      .selectFrom('test_executions')
      .select(['report_seq', 'status'])
      .where('test_id', '=', merged)
      .orderBy('report_seq')
      .execute();
    expect(executions).toEqual([
      { report_seq: 2, status: 'failed' },
      { report_seq: 3, status: 'passed' },
    ]);
    const days = await store.db
      .selectFrom('test_daily_stats')
      .select(['executions', 'passed', 'failed'])
      .where('test_id', '=', merged)
      .execute();
    expect(
      days.map((d) => ({ e: Number(d.executions), p: Number(d.passed), f: Number(d.failed) })),
    ).toEqual([{ e: 2, p: 1, f: 1 }]);
    expect(
      (await store.db.selectFrom('test_failures').select('test_id').execute()).map(
        (r) => r.test_id,
      ),
    ).toEqual([merged]);
    expect(
      (await store.db.selectFrom('test_flaky_events').select('test_id').execute()).map(
        (r) => r.test_id,
      ),
    ).toEqual([merged]);
    const state = await store.db.selectFrom('test_state').selectAll().execute();
    expect(state).toEqual([
      expect.objectContaining({
        test_id: merged,
        last_at: '2026-11-11T10:00:00.000Z',
        last_flaky_at: '2026-11-10T10:00:00.000Z',
      }),
    ]);
    const oldIds = [jest.id, github.id, gitlab.id, gitlabToo.id];
    for (const table of ['test_executions', 'test_daily_stats'] as const) {
      expect(
        await store.db.selectFrom(table).select('test_id').where('test_id', 'in', oldIds).execute(),
      ).toEqual([]);
    }
  });

  it('changes nothing when run again', async () => {
    const before = await store.db.selectFrom('tests').selectAll().orderBy('id').execute();
    await testIdentityMigration.up(store.db as unknown as Kysely<unknown>, store.capabilities);
    expect(await store.db.selectFrom('tests').selectAll().orderBy('id').execute()).toEqual(before);
  });
});
