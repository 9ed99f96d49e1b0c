import { isApiScope, type ApiScope } from '../../../core/access/api-scope.ts';
import type { ApiTokenTable } from '../../tables/api-token.table.ts';
import type { Db } from '../../tables/database.ts';

/** A stored API token (never its secret: only the secret's hash). */
export type ApiToken = {
  id: string;
  name: string;
  /** Distinct, sorted. */
  scopes: ApiScope[];
  /** sha256 of the secret, hex. */
  secretSha256: string;
  createdAt: string;
  revokedAt: string | null;
};

function fromRow(row: ApiTokenTable): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(',').filter(isApiScope),
    secretSha256: row.secret_sha256,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Stores a new, active token; its scopes are stored distinct and sorted. */
export async function insertApiToken(
  db: Db,
  token: Omit<ApiToken, 'scopes' | 'revokedAt'> & { scopes: readonly ApiScope[] },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      name: token.name,
      scopes: [...new Set(token.scopes)].sort().join(','),
      secret_sha256: token.secretSha256,
      created_at: token.createdAt,
      revoked_at: null,
    })
    .execute();
}

/** The active token whose secret has this hash, if any. */
export async function findApiTokenBySecretHash(
  db: Db,
  secretSha256: string,
): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('secret_sha256', '=', secretSha256)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** Every token, revoked ones included, oldest first. */
export async function listApiTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

/** Marks a token revoked; returns false when no active token has that id. */
export async function revokeApiToken(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
