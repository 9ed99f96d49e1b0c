import type { FastifyRequest } from 'fastify';
import { verifyApiToken } from '../app/tokens/api-tokens.ts';
import { hasScope, type ApiScope } from '../core/access/api-scope.ts';
import { CandorError } from '../core/lib/candor-error.ts';
import type { Store } from '../store/open-store.ts';

/**
 * An `onRequest` hook that lets a request through only with a bearer token holding `scope`.
 * It runs before Fastify reads the body, so a refused request's body is never read, buffered or
 * parsed (the error handler answers with `Connection: close`). Throws CandorError
 * `unauthorized` (no token, unknown or revoked) or `forbidden` (the scope is missing).
 */
export function requireScope(store: Store, scope: ApiScope) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1])
      throw new CandorError(
        'unauthorized',
        'a bearer token is required (Authorization: Bearer <token>)',
      );
    const token = await verifyApiToken(store, match[1]);
    if (!token) throw new CandorError('unauthorized', 'the token is unknown or revoked');
    if (!hasScope(token.scopes, scope)) {
      throw new CandorError('forbidden', `the token lacks the "${scope}" scope`);
    }
  };
}

/**
 * Checks a token given some other way than the `Authorization` header (Flagger's webhooks carry
 * it in their `metadata`). Throws CandorError `unauthorized` or `forbidden` as `requireScope`.
 */
export async function authorizeToken(
  store: Store,
  token: string | undefined,
  scope: ApiScope,
): Promise<void> {
  if (token === undefined || token === '')
    throw new CandorError(
      'unauthorized',
      'a token is required (Authorization: Bearer <token>, or metadata.token for Flagger)',
    );
  const verified = await verifyApiToken(store, token);
  if (!verified) throw new CandorError('unauthorized', 'the token is unknown or revoked');
  if (!hasScope(verified.scopes, scope))
    throw new CandorError('forbidden', `the token lacks the "${scope}" scope`);
}
