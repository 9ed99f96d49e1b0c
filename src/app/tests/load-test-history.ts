import type { TestHistoryQuery } from '../../contracts/queries.ts';
import type { AttemptJson, TestHistory } from '../../contracts/test-history.ts';
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
        run: e.runId,
        startedAt: e.startedAt,
        branch: e.branch,
        commit: e.commitSha,
        status: e.status,
        durationMs: e.durationMs,
        attempts: e.attempts satisfies AttemptJson[],
      })),
    })),
  };
}
