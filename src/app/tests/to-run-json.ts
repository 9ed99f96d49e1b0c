import type { RunSummary } from '../../store/repositories/tests/test-result.repository.ts';

/** A stored run as the CLI's `runs --json` and `GET /api/v1/runs` print it. */
export function toRunJson(r: RunSummary) {
  return {
    id: r.id,
    repo: r.repo,
    branch: r.branch,
    commit: r.commitSha,
    variant: r.variant,
    ciProvider: r.ciProvider,
    ciJob: r.ciJob,
    ciAttempt: r.ciAttempt,
    ciUrl: r.ciUrl,
    startedAt: r.startedAt,
    reports: r.reports,
    tests: r.tests,
    passed: r.passed,
    failed: r.failed,
    skipped: r.skipped,
    flaky: r.flaky,
  };
}
