import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestReport } from '../../app/tests/ingest-report.ts';
import { bufferSource } from '../../app/tests/report-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { testId } from '../repositories/tests/test-id.ts';
import { testIdLocalityMigration } from './0011-test-id-locality.ts';

/** The id candor derived before migration 0011: the whole key's hash, no place digits. */
const legacyTestId = (repo: string, key: string) =>
  hash('sha256', `${repo}\0${key}`, 'hex').slice(0, 32);

const tables = [
  'tests',
  'test_executions',
  'test_failures',
  'test_flaky_events',
  'test_daily_stats',
  'test_state',
] as const;

/** Every row of the tables naming tests, report ids left out (they are random), sorted. */
async function dump(store: TestStore): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = (await store.db.selectFrom(table).selectAll().execute()) as Record<
      string,
      unknown
    >[];
    out[table] = rows
      .map((row) => {
        const rest = { ...row };
        delete rest['report_id'];
        delete rest['report_seq'];
        return JSON.stringify(rest, Object.keys(rest).sort());
      })
      .sort();
  }
  return out;
}

const report = (failing: string) =>
  `<testsuites>
    <testsuite name="A"><testcase classname="c.A" name="t1"/><testcase classname="c.A" name="t2"/>
      <testcase classname="c.A" name="t3"><failure message="first"/></testcase>
      <testcase classname="c.A" name="t3"/></testsuite>
    <testsuite name="B"><testcase classname="c.B" name="${failing}"><failure message="boom"/></testcase>
      <testcase classname="c.B" name="${failing === 'u1' ? 'u2' : 'u1'}"/></testsuite>
  </testsuites>`;

const ingest = (store: TestStore, id: string, failing: string) =>
  ingestReport(store, {
    run: {
      id,
      repo: 'acme/shop',
      startedAt: `2026-11-1${id.length}T10:00:00.000Z`,
      branch: 'main',
      defaultBranch: 'main',
      commitSha: 'c1',
    },
    source: bufferSource(`${id}.xml`, Buffer.from(report(failing))),
    format: 'auto',
    allowEmpty: false,
    now: '2026-11-20T12:00:00.000Z',
  });

describe.each(testDialects)('migration 0011-test-id-locality on %s', (dialect) => {
  let store: TestStore;
  let before: Record<string, string[]>;
  let legacy: Record<string, string[]>;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    // Two runs of one commit: a failure, a retry, same-commit evidence, state and daily stats.
    await ingest(store, 'a', 'u1');
    await ingest(store, 'bb', 'u2');
    before = await dump(store);
    // The store as candor wrote it before 0011: every id the whole key's hash.
    for (const test of await store.db.selectFrom('tests').select(['id', 'repo', 'key']).execute()) {
      const old = legacyTestId(test.repo, test.key);
      for (const table of tables.slice(1)) {
        await store.db
          .updateTable(table)
          .set({ test_id: old })
          .where('test_id', '=', test.id)
          .execute();
      }
      await store.db.updateTable('tests').set({ id: old }).where('id', '=', test.id).execute();
    }
    legacy = await dump(store);
    await testIdLocalityMigration.up(store.db as unknown as Kysely<unknown>, store.capabilities);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('gives every test the id with its place digits, and moves every row naming it', async () => {
    expect(legacy).not.toEqual(before);
    expect(await dump(store)).toEqual(before);
    const tests = await store.db.selectFrom('tests').select(['id', 'repo', 'key']).execute();
    expect(tests).toHaveLength(5);
    for (const test of tests) expect(test.id).toBe(testId(test.repo, test.key));
    expect(before['test_flaky_events']!.length).toBeGreaterThan(1);
    expect(before['test_state']!.length).toBeGreaterThan(1);
  });

  it('gives tests of one place ids that share their first 12 digits', async () => {
    const ids = (await store.db.selectFrom('tests').select(['id', 'key']).execute()).map(
      (t) => `${t.key.split('::')[0]} ${t.id.slice(0, 12)}`,
    );
    expect(new Set(ids).size).toBe(2);
  });

  it('leaves a store already keyed so as it is', async () => {
    await testIdLocalityMigration.up(store.db as unknown as Kysely<unknown>, store.capabilities);
    expect(await dump(store)).toEqual(before);
  });

  it('lets the next ingest find the moved tests as known ones', async () => {
    const file = await ingest(store, 'ccc', 'u1');
    expect(file.errors).toEqual([]);
    const tests = await store.db.selectFrom('tests').select('key').execute();
    expect(tests).toHaveLength(5);
    const history = await store.db
      .selectFrom('test_executions as e')
      .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
      .select('p.run_id')
      .where('e.test_id', '=', testId('acme/shop', 'c.B::u1'))
      .orderBy('p.run_id')
      .execute();
    expect(history.map((h) => h.run_id)).toEqual(['a', 'bb', 'ccc']);
  });
});
