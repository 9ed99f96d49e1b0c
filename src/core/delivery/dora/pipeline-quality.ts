import { hasFailed, type Deployment, type ProductionDeployments } from './collect-deployments.ts';
import { isInWindow, type DoraOptions } from './dora-options.ts';
import type { LedgerEvent } from './ledger-event.ts';

/** The policy decisions of one service, collected from its events in replay order. */
export type PolicyDecisions = {
  /** Takes `policy_passed` and `policy_failed` events with a commit; ignores the others. */
  add(event: LedgerEvent): void;
  /** The first `policy_passed` time of each commit, at any time. */
  readonly passed: ReadonlyMap<string, number>;
  /** The first `policy_failed` time of each commit, within the window. */
  readonly failed: ReadonlyMap<string, number>;
};

/** Keeps the first pass of each commit and its first failure in the window. Pure; never throws. */
export function createPolicyDecisions(options: Pick<DoraOptions, 'from' | 'to'>): PolicyDecisions {
  const passed = new Map<string, number>();
  const failed = new Map<string, number>();
  return {
    add(event) {
      if (event.commit === null) return;
      if (event.type === 'policy_passed') {
        if (!passed.has(event.commit)) passed.set(event.commit, event.at);
      } else if (event.type === 'policy_failed') {
        if (isInWindow(event.at, options) && !failed.has(event.commit))
          failed.set(event.commit, event.at);
      }
    },
    passed,
    failed,
  };
}

/**
 * The policy gate judged by what happened in production (DEFINITIONS.md "gate false-positive
 * rate", "gate false-negative rate"). Passed: deployments of `measured` whose commit passed
 * policy at or before they started; of those, the ones that failed. Blocked: commits that failed
 * policy in the window; of those, the ones that later shipped unchanged (a production deployment
 * of that same commit starting at or after the block) with no such deployment failing.
 * Never throws.
 */
export function measurePipelineQuality(
  measured: readonly Deployment[],
  deployments: ProductionDeployments,
  policy: PolicyDecisions,
): {
  passedPolicy: number;
  passedPolicyThenFailed: number;
  blockedByPolicy: number;
  blockedButGood: number;
} {
  let passedPolicy = 0;
  let passedPolicyThenFailed = 0;
  for (const d of measured) {
    if (d.commit === null || (policy.passed.get(d.commit) ?? Infinity) > d.startedAt) continue;
    passedPolicy++;
    if (hasFailed(d)) passedPolicyThenFailed++;
  }
  let blockedButGood = 0;
  for (const [commit, at] of policy.failed) {
    const shipped = (deployments.byCommit(commit) ?? []).filter(
      (d) => d.commit === commit && d.startedAt >= at,
    );
    if (shipped.length > 0 && !shipped.some(hasFailed)) blockedButGood++;
  }
  return {
    passedPolicy,
    passedPolicyThenFailed,
    blockedByPolicy: policy.failed.size,
    blockedButGood,
  };
}
