import type { FastifyInstance } from 'fastify';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import { DoraQuery } from '../../contracts/queries.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';

/** GET /api/v1/dora: the JSON of `candor dora --json`; the query names its flags. */
export async function doraRoute(app: FastifyInstance, options: { store: Store; now: () => Date }) {
  app.get(
    '/api/v1/dora',
    {
      onRequest: requireScope(options.store, 'read'),
      config: { queryParameters: queryParameters(DoraQuery) },
    },
    async (request) =>
      buildDoraReport(options.store, {
        ...parseWith(DoraQuery, request.query, 'query'),
        now: options.now(),
      }),
  );
}
