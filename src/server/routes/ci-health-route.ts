import type { FastifyInstance } from 'fastify';
import { buildCiHealth } from '../../app/ci-health/build-ci-health.ts';
import { CiHealthQuery } from '../../contracts/queries.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';

/** GET /api/v1/ci-health: the JSON of `candor ci-health --json`; the query names its flags. */
export async function ciHealthRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date },
) {
  app.get(
    '/api/v1/ci-health',
    {
      onRequest: requireScope(options.store, 'read'),
      config: { queryParameters: queryParameters(CiHealthQuery) },
    },
    async (request) =>
      buildCiHealth(options.store, {
        ...parseWith(CiHealthQuery, request.query, 'query'),
        now: options.now(),
      }),
  );
}
