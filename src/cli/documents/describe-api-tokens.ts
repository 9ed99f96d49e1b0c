import type { ApiTokenList } from '../../contracts/api-tokens.ts';
import type { Document } from '../render/renderer.ts';

/** `candor token list`: one row per token, never its secret. */
export function describeApiTokens(list: ApiTokenList): Document {
  return {
    blocks: [
      {
        kind: 'table',
        columns: [
          { header: 'id' },
          { header: 'name' },
          { header: 'scopes' },
          { header: 'created' },
          { header: 'revoked' },
        ],
        rows: list.tokens.map((t) => [t.id, t.name, t.scopes.join(','), t.createdAt, t.revokedAt]),
      },
    ],
  };
}
