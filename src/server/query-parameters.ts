import type { FastifyRequest } from 'fastify';
import { CandorError } from '../core/lib/candor-error.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The query parameters a route reads (`queryParameters(Schema)`); a route without it takes
     * none. Checked for every request by `refuseUnknownQuery`.
     */
    queryParameters?: readonly string[];
  }
}

/**
 * A `preParsing` hook for every route (registered once by `buildServer`, so it runs after the
 * token check and before a byte of the body is read): a query parameter the route does not read
 * is a CandorError `invalid-input` (400) naming it and the ones it reads, instead of being
 * dropped (`?comit=` silently turning off what `commit` does).
 */
export async function refuseUnknownQuery(request: FastifyRequest): Promise<void> {
  const query = request.query;
  // An unknown path is answered 404 whatever its query.
  if (request.is404 || typeof query !== 'object' || query === null) return;
  const known = request.routeOptions.config.queryParameters ?? [];
  for (const name of Object.keys(query)) {
    if (known.includes(name)) continue;
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    throw new CandorError(
      'invalid-input',
      `query.${name}: unknown parameter; ${route} ${known.length === 0 ? 'takes no query parameters' : `takes ${known.join(', ')}`}`,
    );
  }
}
