import type { TestHistoryQuery } from '../../contracts/queries.ts';
import type { AttemptJson, TestHistory } from '../../contracts/test-history.ts';
import type { FinalStatus } from '../../core/tests/test-model.ts';
import type { Store } from '../../store/open-store.ts';
import { findTestHistory } from '../../store/repositories/tests/test-result.repository.ts';

/**
 * One test's history, newest first (`candor tests show`): the test with exactly this key, or,
 * when there is none, every variant of it (`key [variant]`). Empty when no stored test matches.
 */
export async function loadTestHistory(store: Store, query: TestHistoryQuery): Promise<TestHistory> {
  const history = await findTestHistory(store.db, query);
  return {
    tests: history.map(({ test, executions }) => ({
      key: test.key,
      repo: test.repo,
      name: test.name,
      classname: test.classname,
      file: test.file,
      suite: test.suite,
      variant: test.variant,
      executions: executions.map((e) => ({
        run: e.run_id,
        startedAt: e.started_at,
        branch: e.branch,
        commit: e.commit_sha,
        // A typed status column is the store's (issue 8, h2); until then the row says string.
        status: e.status as FinalStatus,
        durationMs: e.duration_ms,
        attempts: e.attempts satisfies AttemptJson[],
      })),
    })),
  };
}
