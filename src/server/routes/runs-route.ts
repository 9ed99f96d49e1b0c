import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listRuns } from '../../app/tests/list-runs.ts';
import { RunsQuery } from '../../contracts/queries.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';

/** Runs one request may ask for (the CLI has no such bound). */
const maxRunsPerRequest = 1_000;

/** `RunsQuery` with the server's bound on `limit`. */
const RunsRequest = RunsQuery.extend({
  limit: RunsQuery.shape.limit.pipe(z.number().max(maxRunsPerRequest)),
});

/** GET /api/v1/runs: the latest runs with their counts (the JSON of `candor runs --json`). */
export async function runsRoute(app: FastifyInstance, options: { store: Store }) {
  const { store } = options;
  app.get(
    '/api/v1/runs',
    {
      onRequest: requireScope(store, 'read'),
      config: { queryParameters: queryParameters(RunsRequest) },
    },
    async (request) => listRuns(store, parseWith(RunsRequest, request.query, 'query')),
  );
}
