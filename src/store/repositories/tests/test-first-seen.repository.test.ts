import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type TestStore } from '../../../testing/open-test-store.ts';
import { findTestsFirstSeenSince } from './test-first-seen.repository.ts';

describe.each(testDialects)('findTestsFirstSeenSince (%s)', (dialect) => {
  let store: TestStore;
  afterEach(async () => {
    await store?.drop();
  });

  it('lists the tests first seen since an instant, oldest first, of one repository', async () => {
    store = await openTestStore(dialect);
    const test = (id: string, repo: string, key: string, firstSeenAt: string) => ({
      id,
      repo,
      key,
      name: key,
      classname: null,
      file: null,
      line: null,
      suite: null,
      variant: null,
      first_seen_at: firstSeenAt,
    });
    await store.db
      .insertInto('tests')
      .values([
        test('1', 'shop', 'old', '2026-11-01T00:00:00.000Z'),
        test('2', 'shop', 'refund rounds half up', '2026-11-20T10:00:00.000Z'),
        test('3', 'shop', 'a regression', '2026-11-20T09:00:00.000Z'),
        test('4', 'other', 'elsewhere', '2026-11-21T00:00:00.000Z'),
      ])
      .execute();
    expect(
      await findTestsFirstSeenSince(store, { since: '2026-11-20T00:00:00.000Z', repo: 'shop' }),
    ).toEqual([
      { key: 'a regression', firstSeenAt: '2026-11-20T09:00:00.000Z' },
      { key: 'refund rounds half up', firstSeenAt: '2026-11-20T10:00:00.000Z' },
    ]);
    expect(
      await findTestsFirstSeenSince(store, { since: '2026-11-20T00:00:00.000Z' }),
    ).toHaveLength(3);
  });
});
