import type { Kysely } from 'kysely';
import type { ApiTokenTable, Database } from '../../schema.ts';

export async function insertApiToken(db: Kysely<Database>, token: ApiTokenTable): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

export async function findApiTokenBySecretHash(
  db: Kysely<Database>,
  secretSha256: string,
): Promise<ApiTokenTable | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('secret_sha256', '=', secretSha256)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiTokenTable[]> {
  return db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Marks a token revoked; returns false when no active token has that id. */
export async function revokeApiToken(
  db: Kysely<Database>,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
