import type { Store } from '../../open-store.ts';

/** A test identity and when the ledger first saw it. */
export type FirstSeenTest = { key: string; firstSeenAt: string };

/**
 * The tests first seen at or after `since` (ISO), oldest first, at most `limit` (default 1000):
 * the regression tests added after an incident. `repo` narrows to one repository.
 */
export async function findTestsFirstSeenSince(
  store: Store,
  options: { since: string; repo?: string | undefined; limit?: number | undefined },
): Promise<FirstSeenTest[]> {
  let query = store.db
    .selectFrom('tests')
    .select(['key', 'first_seen_at'])
    .where('first_seen_at', '>=', options.since);
  if (options.repo !== undefined) query = query.where('repo', '=', options.repo);
  const rows = await query
    .orderBy('first_seen_at')
    .orderBy('key')
    .limit(options.limit ?? 1000)
    .execute();
  return rows.map((row) => ({ key: row.key, firstSeenAt: row.first_seen_at }));
}
