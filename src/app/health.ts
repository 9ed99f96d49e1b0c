import type { Store } from '../store/open-store.ts';

/**
 * Whether the store answers a query (`GET /healthz`): `ok`, or `unavailable` when the database
 * cannot be reached or has no schema. Never throws.
 */
export async function checkHealth(store: Store): Promise<'ok' | 'unavailable'> {
  try {
    await store.db.selectFrom('candor_migration').select('name').limit(1).execute();
    return 'ok';
  } catch {
    return 'unavailable';
  }
}
