import { existsSync } from 'node:fs';
import { describeStoreLocation, openStore, type StoreLocation } from '../../store/open-store.ts';
import { loadTestHistory } from '../tests/load-test-history.ts';

/**
 * Why `key` may not name a test, for `quarantine add` to warn about (a typo quarantines
 * nothing): no stored test has it, or there is no history to check it against (a SQLite file
 * that does not exist is not created). Undefined when a stored test has the key, or a variant of
 * it. Throws CandorError `database` when the store cannot be opened.
 */
export async function findUnknownKey(
  location: StoreLocation,
  key: string,
): Promise<string | undefined> {
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    return `no test history at ${describeStoreLocation(location)} to check "${key}" against`;
  }
  const store = await openStore(location);
  try {
    const history = await loadTestHistory(store, { key, limit: 1 });
    if (history.tests.length > 0) return undefined;
    return `no stored test has the key "${key}" (candor runs and candor tests show print the keys)`;
  } finally {
    await store.close();
  }
}
