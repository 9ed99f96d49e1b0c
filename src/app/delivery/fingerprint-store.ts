import { storeFingerprint } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';

/** A value that changes whenever a test report is stored (for caches of what is derived from them). */
export function fingerprintStore(store: Store): Promise<string> {
  return storeFingerprint(store.db);
}
