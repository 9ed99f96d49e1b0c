import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/open-store.ts';
import { listRuns } from '../../store/repositories/tests/test-result.repository.ts';
import { toRunJson } from '../../app/tests/to-run-json.ts';
import { requireScope } from '../authenticate.ts';
import { RunsQuery } from '../http-schemas.ts';
import { parseWith } from '../parse-with.ts';

/** GET /api/v1/runs: the latest runs with their counts (same fields as `candor runs --json`). */
export async function runsRoute(app: FastifyInstance, options: { store: Store }) {
  const { store } = options;
  app.get('/api/v1/runs', { onRequest: requireScope(store, 'read') }, async (request) => {
    const query = parseWith(RunsQuery, request.query, 'query');
    const runs = await listRuns(store.db, { limit: query.limit, repo: query.repo });
    return { runs: runs.map(toRunJson) };
  });
}
