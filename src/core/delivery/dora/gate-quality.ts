import { compareText } from '../../lib/compare-text.ts';
import { round } from '../../lib/round.ts';
import { hasFailed, type Deployment, type ProductionDeployments } from './collect-deployments.ts';
import { isInWindow, type DoraOptions } from './dora-options.ts';
import type { LedgerEvent } from './ledger-event.ts';

/** The checklist a policy event without `attributes.checklist` is counted under. */
export const unnamedChecklist = '(unnamed)';

/**
 * How one gate (a checklist of `candor gate`, by `attributes.checklist` of its `policy_passed`
 * and `policy_failed` events) did against production (DEFINITIONS.md "Gate quality per gate").
 * A false positive blocked a change that later shipped unchanged and did not fail; a false
 * negative passed a deployment that then failed.
 */
export type GateQuality = {
  checklist: string;
  /** Commits the gate blocked (a first `policy_failed` in the window). */
  blocked: number;
  /** False positives: blocked commits later deployed unchanged to production, none failing. */
  blockedThenShipped: number;
  /** Blocked commits that never shipped unchanged, or shipped and failed: catches. */
  trueCatches: number;
  /** Production deployments of the window whose commit the gate passed before they started. */
  passed: number;
  /** False negatives: of those, the ones that failed. */
  passedThenFailed: number;
  /** blockedThenShipped ÷ blocked; null when nothing was blocked. */
  falsePositiveShare: number | null;
  /** passedThenFailed ÷ passed; null when nothing was passed. */
  falseNegativeShare: number | null;
  /** The conditions that blocked the false positives (`attributes.failing`), most often first. */
  falsePositiveConditions: { name: string; count: number }[];
};

/** The counts of one service, to be added across services. */
export type GateQualityCounts = Omit<GateQuality, 'falsePositiveShare' | 'falseNegativeShare'>;

/** The policy decisions of one service per checklist, collected in replay order. */
export type GateDecisions = {
  add(event: LedgerEvent): void;
  measure(measured: readonly Deployment[], deployments: ProductionDeployments): GateQualityCounts[];
};

type Decisions = {
  passed: Map<string, number>;
  failed: Map<string, { at: number; failing: string[] }>;
};

/** The checklist of a policy event (`attributes.checklist`, else `(unnamed)`). Never throws. */
export function checklistOf(event: Pick<LedgerEvent, 'attributes'>): string {
  const checklist = event.attributes?.['checklist'];
  return typeof checklist === 'string' && checklist !== '' ? checklist : unnamedChecklist;
}

/** The failing conditions of a `policy_failed` (`attributes.failing`, at most 50). Never throws. */
export function failingOf(event: Pick<LedgerEvent, 'attributes'>): string[] {
  const failing = event.attributes?.['failing'];
  return Array.isArray(failing)
    ? failing.filter((name): name is string => typeof name === 'string').slice(0, 50)
    : [];
}

/**
 * Keeps, per checklist, the first pass of each commit (at any time) and its first block in the
 * window, the same rules as the pipeline-quality totals but per gate. Pure; never throws.
 */
export function createGateDecisions(options: Pick<DoraOptions, 'from' | 'to'>): GateDecisions {
  const byChecklist = new Map<string, Decisions>();
  const of = (checklist: string) => {
    let decisions = byChecklist.get(checklist);
    if (decisions === undefined) {
      decisions = { passed: new Map(), failed: new Map() };
      byChecklist.set(checklist, decisions);
    }
    return decisions;
  };
  return {
    add(event) {
      if (event.commit === null) return;
      if (event.type === 'policy_passed') {
        const { passed } = of(checklistOf(event));
        if (!passed.has(event.commit)) passed.set(event.commit, event.at);
      } else if (event.type === 'policy_failed' && isInWindow(event.at, options)) {
        const { failed } = of(checklistOf(event));
        if (!failed.has(event.commit))
          failed.set(event.commit, { at: event.at, failing: failingOf(event) });
      }
    },
    measure(measured, deployments) {
      return [...byChecklist].map(([checklist, { passed, failed }]) => {
        let passedCount = 0;
        let passedThenFailed = 0;
        for (const d of measured) {
          if (d.commit === null || (passed.get(d.commit) ?? Infinity) > d.startedAt) continue;
          passedCount++;
          if (hasFailed(d)) passedThenFailed++;
        }
        const judged = judgeBlocks(failed, (commit, at) => {
          const shipped = (deployments.byCommit(commit) ?? []).filter(
            (d) => d.commit === commit && d.startedAt >= at,
          );
          return shipped.length > 0 && !shipped.some(hasFailed);
        });
        return {
          checklist,
          blocked: failed.size,
          blockedThenShipped: judged.blockedThenShipped,
          trueCatches: failed.size - judged.blockedThenShipped,
          passed: passedCount,
          passedThenFailed,
          falsePositiveConditions: judged.falsePositiveConditions,
        };
      });
    },
  };
}

/**
 * A checklist's blocks judged: how many shipped unchanged and fine (`shippedFine`: false
 * positives), and the failing conditions of those, by name. Never throws.
 */
export function judgeBlocks(
  blocks: ReadonlyMap<string, { at: number; failing: readonly string[] }>,
  shippedFine: (commit: string, at: number) => boolean,
): { blockedThenShipped: number; falsePositiveConditions: { name: string; count: number }[] } {
  let blockedThenShipped = 0;
  const conditions = new Map<string, number>();
  for (const [commit, { at, failing }] of blocks) {
    if (!shippedFine(commit, at)) continue;
    blockedThenShipped++;
    for (const name of failing) conditions.set(name, (conditions.get(name) ?? 0) + 1);
  }
  return {
    blockedThenShipped,
    falsePositiveConditions: [...conditions].map(([name, count]) => ({ name, count })),
  };
}

/** Adds up the per-checklist counts of several services, sorted by checklist. Never throws. */
export function combineGateQuality(
  parts: readonly (readonly GateQualityCounts[])[],
): GateQuality[] {
  const totals = new Map<string, GateQualityCounts & { conditions: Map<string, number> }>();
  for (const part of parts)
    for (const counts of part) {
      const total = totals.get(counts.checklist) ?? {
        checklist: counts.checklist,
        blocked: 0,
        blockedThenShipped: 0,
        trueCatches: 0,
        passed: 0,
        passedThenFailed: 0,
        falsePositiveConditions: [],
        conditions: new Map<string, number>(),
      };
      total.blocked += counts.blocked;
      total.blockedThenShipped += counts.blockedThenShipped;
      total.trueCatches += counts.trueCatches;
      total.passed += counts.passed;
      total.passedThenFailed += counts.passedThenFailed;
      for (const { name, count } of counts.falsePositiveConditions)
        total.conditions.set(name, (total.conditions.get(name) ?? 0) + count);
      totals.set(counts.checklist, total);
    }
  const share = (n: number, d: number) => (d === 0 ? null : round(n / d, 6));
  return [...totals.values()]
    .sort((a, b) => compareText(a.checklist, b.checklist))
    .map(({ conditions, ...total }) => ({
      checklist: total.checklist,
      blocked: total.blocked,
      blockedThenShipped: total.blockedThenShipped,
      trueCatches: total.trueCatches,
      passed: total.passed,
      passedThenFailed: total.passedThenFailed,
      falsePositiveShare: share(total.blockedThenShipped, total.blocked),
      falseNegativeShare: share(total.passedThenFailed, total.passed),
      falsePositiveConditions: [...conditions]
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count || compareText(a.name, b.name))
        .slice(0, 10),
    }));
}
