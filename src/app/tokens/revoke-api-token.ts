import { CandorError } from '../../core/lib/candor-error.ts';
import type { Store } from '../../store/open-store.ts';
import { revokeApiToken as markRevoked } from '../../store/repositories/tokens/api-token.repository.ts';

/**
 * Revokes the active token with this id at `now`. Throws CandorError `not-found` when no active
 * token has it.
 */
export async function revokeApiToken(store: Store, id: string, now: string): Promise<void> {
  if (!(await markRevoked(store.db, id, now)))
    throw new CandorError('not-found', `no active token has the id "${id}"`);
}
