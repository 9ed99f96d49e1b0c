import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiScope } from '../../core/access/api-scope.ts';
import type { Store } from '../../store/open-store.ts';
import {
  findApiTokenBySecretHash,
  insertApiToken,
} from '../../store/repositories/tokens/api-token.repository.ts';

const secretPrefix = 'candor_';

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a token; the secret is returned once and only its hash is stored. */
export async function createApiToken(
  store: Store,
  options: { name: string; scopes: ApiScope[]; now: string },
): Promise<{ id: string; secret: string }> {
  const secret = `${secretPrefix}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await insertApiToken(store.db, {
    id,
    name: options.name,
    scopes: options.scopes,
    secretSha256: hashSecret(secret),
    createdAt: options.now,
  });
  return { id, secret };
}

/** The scopes of an active token with this secret, or undefined. Compares hashes in constant time. */
export async function verifyApiToken(
  store: Store,
  secret: string,
): Promise<{ id: string; scopes: ApiScope[] } | undefined> {
  const presented = hashSecret(secret);
  const token = await findApiTokenBySecretHash(store.db, presented);
  if (!token) return undefined;
  const a = Buffer.from(token.secretSha256, 'hex');
  const b = Buffer.from(presented, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  return { id: token.id, scopes: token.scopes };
}
