import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
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
 * The names a query schema of src/contracts reads: the keys of its object, through transforms,
 * pipes, defaults and optionals. Throws a bug (Error) for a schema that is not an object at
 * heart: a route's query is always one.
 */
export function queryParameters(schema: z.ZodType): readonly string[] {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodObject) return Object.keys(current.shape);
    if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodDefault)
      current = current.unwrap() as z.ZodType;
    else throw new Error('a query schema must be an object');
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
  if (typeof query !== 'object' || query === null) return;
  const known = request.routeOptions.config.queryParameters ?? [];
  for (const name of Object.keys(query)) {
    if (known.includes(name)) continue;
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    throw new CandorError(
      'invalid-input',
      `query.${name}: unknown parameter; ${route} ${known.length === 0 ? 'takes no query parameters' : `takes ${known.join(', ')}`}`,
    );
  }
}
