import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadTestHistory } from '../../app/tests/load-test-history.ts';
import { TestHistoryQuery } from '../../contracts/queries.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import type { Store } from '../../store/open-store.ts';

/** Executions per test one request may ask for (the CLI has no such bound). */
const maxExecutionsPerRequest = 1_000;

/** `TestHistoryQuery` with the server's bound on `limit`. */
const TestHistoryRequest = TestHistoryQuery.extend({
  limit: TestHistoryQuery.shape.limit.pipe(z.number().max(maxExecutionsPerRequest)),
});

/**
 * GET /api/v1/tests/history: the JSON of `candor tests show <key> --json` (`key`, `limit`,
 * `repo`); 404 `not-found` when no stored test has the key.
 */
export async function testsRoute(app: FastifyInstance, context: { store: Store }) {
  const { store } = context;
  app.get(
    '/api/v1/tests/history',
    {
      onRequest: requireScope(store, 'read'),
      config: { queryParameters: queryParameters(TestHistoryRequest) },
    },
    async (request) => {
      const query = parseWith(TestHistoryRequest, request.query, 'query');
      const history = await loadTestHistory(store, query);
      if (history.tests.length === 0)
        throw new CandorError('not-found', `no stored test has the key "${query.key}"`);
      return history;
    },
  );
}
