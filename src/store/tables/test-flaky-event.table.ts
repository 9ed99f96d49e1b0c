/**
 * What evidence of flakiness says: `retry` (passed after a failed attempt in one run) or
 * `same-commit` (failed and passed on one commit, outside systemic reports).
 */
export const flakyEvidenceKinds = ['retry', 'same-commit'] as const;
export type FlakyEvidenceKind = (typeof flakyEvidenceKinds)[number];

/** `test_flaky_events`: evidence of flakiness, one row per flaky execution. */
export type TestFlakyEventTable = {
  test_id: string;
  at: string;
  kind: FlakyEvidenceKind;
  /** The run of the flaky execution (for same-commit: the failing one). */
  run_id: string;
  commit_sha: string | null;
  other_run_id: string | null;
};
