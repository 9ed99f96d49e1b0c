import type { RunsQuery } from '../../contracts/queries.ts';
import type { RunList } from '../../contracts/runs.ts';
import type { Store } from '../../store/open-store.ts';
import { listRuns as loadRuns } from '../../store/repositories/tests/test-result.repository.ts';
import { toRunJson } from './to-run-json.ts';

/**
 * The latest runs with their counts, newest first (`candor runs`, `GET /api/v1/runs`).
 * Throws CandorError `database` when the store fails.
 */
export async function listRuns(store: Store, query: RunsQuery): Promise<RunList> {
  const runs = await loadRuns(store.db, { limit: query.limit, repo: query.repo });
  return { runs: runs.map(toRunJson) };
}
