import type { ApiTokenList } from '../../contracts/api-tokens.ts';
import type { Store } from '../../store/open-store.ts';
import { listApiTokens as loadApiTokens } from '../../store/repositories/tokens/api-token.repository.ts';

/** Every token, oldest first, revoked ones too; never a secret (`candor token list`). */
export async function listApiTokens(store: Store): Promise<ApiTokenList> {
  const tokens = await loadApiTokens(store.db);
  return {
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      scopes: t.scopes,
      createdAt: t.createdAt,
      revokedAt: t.revokedAt,
    })),
  };
}
