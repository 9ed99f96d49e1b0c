import { afterEach, describe, expect, it } from 'vitest';
import type { TestRun } from '../../../core/tests/test-run.ts';
import { openTestStore, testDialects, type TestStore } from '../../../testing/open-test-store.ts';
import { upsertTests, type ExecutedTest } from './test-result.repository.ts';

const run = (startedAt: string): TestRun => ({ id: `run-${startedAt}`, repo: 'shop', startedAt });

const executed = (id: string, name: string): ExecutedTest => ({
  id,
  key: `Cart::${id}`,
  test: { name, classname: 'Cart', suitePath: [], attempts: [{ status: 'passed' }] },
  attempts: [{ status: 'passed' }],
  status: 'passed',
});

describe.each(testDialects)('upsertTests (%s)', (dialect) => {
  let store: TestStore;
  afterEach(async () => {
    await store?.drop();
  });

  const stored = () =>
    store.db.selectFrom('tests').select(['id', 'name', 'first_seen_at']).orderBy('id').execute();

  it('writes the tests not stored yet and keeps the stored ones as first seen, in any mix', async () => {
    store = await openTestStore(dialect);
    await upsertTests(store, store.db, run('2026-12-01T00:00:00.000Z'), [
      executed('b', 'b first'),
      executed('d', 'd first'),
    ]);
    // Known and new interleaved, and a batch of only known tests.
    await upsertTests(store, store.db, run('2026-12-02T00:00:00.000Z'), [
      executed('a', 'a new'),
      executed('b', 'b again'),
      executed('c', 'c new'),
      executed('d', 'd again'),
      executed('e', 'e new'),
    ]);
    await upsertTests(store, store.db, run('2026-12-03T00:00:00.000Z'), [
      executed('d', 'd third'),
      executed('b', 'b third'),
    ]);
    expect(await stored()).toEqual([
      { id: 'a', name: 'a new', first_seen_at: '2026-12-02T00:00:00.000Z' },
      { id: 'b', name: 'b first', first_seen_at: '2026-12-01T00:00:00.000Z' },
      { id: 'c', name: 'c new', first_seen_at: '2026-12-02T00:00:00.000Z' },
      { id: 'd', name: 'd first', first_seen_at: '2026-12-01T00:00:00.000Z' },
      { id: 'e', name: 'e new', first_seen_at: '2026-12-02T00:00:00.000Z' },
    ]);
  });

  it('stores a batch larger than one statement carries, known tests among it', async () => {
    store = await openTestStore(dialect);
    const many = Array.from({ length: 5_000 }, (_, i) => executed(`t${i}`, `test ${i}`));
    await upsertTests(store, store.db, run('2026-12-01T00:00:00.000Z'), many.slice(0, 2_500));
    await upsertTests(store, store.db, run('2026-12-02T00:00:00.000Z'), many);
    const rows = await stored();
    expect(rows).toHaveLength(5_000);
    expect(rows.filter((row) => row.first_seen_at === '2026-12-02T00:00:00.000Z')).toHaveLength(
      2_500,
    );
  });
});
