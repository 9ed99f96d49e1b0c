import type { FastifyInstance } from 'fastify';
import { buildDoraReport, buildDoraSeries } from '../../app/delivery/build-dora-report.ts';
import { DoraTrendQuery } from '../../contracts/queries.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';

/**
 * GET /api/v1/dora: the JSON of `candor dora --json`, or with `by` of `candor dora --by … --json`;
 * the query names its flags.
 */
export async function doraRoute(app: FastifyInstance, options: { store: Store; now: () => Date }) {
  app.get(
    '/api/v1/dora',
    {
      onRequest: requireScope(options.store, 'read'),
      config: { queryParameters: queryParameters(DoraTrendQuery) },
    },
    async (request) => {
      const { by, ...query } = parseWith(DoraTrendQuery, request.query, 'query');
      const now = options.now();
      return by === undefined
        ? buildDoraReport(options.store, { ...query, now })
        : buildDoraSeries(options.store, { ...query, now, by });
    },
  );
}
