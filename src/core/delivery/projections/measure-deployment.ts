import type { DeliveryResult } from '../event-kinds.ts';
import { startOf, type DeploymentFacts } from './deployment-facts.ts';

/** An incident linked to a deployment, as its measure needs it (times in epoch milliseconds). */
export type LinkedIncident = {
  opened: number;
  /** The latest `incident_resolved` of the incident; null while it has none. */
  resolved: number | null;
  link: 'explicit' | 'inferred';
};

/**
 * What one deployment adds to the lifetime counters and histograms of `/metrics`
 * (DEFINITIONS.md "Prometheus"): the result of its first completion, a `canary_promoted`
 * (success) or a `deploy_finished` (its result), null before either; whether it failed,
 * its lead time and recovery time in seconds (null when unknown).
 */
export type DeploymentMeasure = {
  result: DeliveryResult | null;
  failed: boolean;
  leadSeconds: number | null;
  recoverySeconds: number | null;
};

/** The measure of a deployment none of whose events counts (not started nor finished). */
export const noMeasure: DeploymentMeasure = {
  result: null,
  failed: false,
  leadSeconds: null,
  recoverySeconds: null,
};

/**
 * A deployment's measure from its facts, the commit times of its service and its linked
 * incidents: failed at its first own failure signal, or at a linked incident opened after it
 * started (explicit: whatever the delay; inferred: within `incidentWindowMs`); lead time from the
 * earliest known commit time of its `commit` and `commits` to deployed; recovery from the first
 * failure to the first successful rollback after it, else to the first resolution of a linked
 * incident after it. Pure; never throws.
 */
export function measureDeployment(
  facts: DeploymentFacts,
  context: {
    commitTime(sha: string): number | undefined;
    incidents: readonly LinkedIncident[];
    incidentWindowMs: number;
  },
): DeploymentMeasure {
  const started = startOf(facts);
  if (started === null) return noMeasure;
  let failure = facts.failedAt ?? Infinity;
  for (const i of context.incidents)
    if (
      i.opened >= started &&
      (i.link === 'explicit' || i.opened - started <= context.incidentWindowMs) &&
      i.opened < failure
    )
      failure = i.opened;
  let leadSeconds: number | null = null;
  if (facts.deployedAt !== null) {
    let first = Infinity;
    for (const sha of [facts.commit, ...(facts.commits ?? [])]) {
      const t = sha === null ? undefined : context.commitTime(sha);
      if (t !== undefined && t < first) first = t;
    }
    if (first !== Infinity) leadSeconds = (facts.deployedAt - first) / 1_000;
  }
  let recoverySeconds: number | null = null;
  if (failure !== Infinity) {
    let restored = facts.rollbacksOk.find((at) => at >= failure) ?? Infinity;
    for (const i of context.incidents)
      if (i.resolved !== null && i.resolved >= failure && i.resolved < restored)
        restored = i.resolved;
    if (restored !== Infinity) recoverySeconds = (restored - failure) / 1_000;
  }
  // Its result is that of its first completion: a promotion (success) or a finish.
  const result =
    facts.deployedAt !== null && (facts.finishedAt === null || facts.deployedAt <= facts.finishedAt)
      ? 'success'
      : facts.finishResult;
  return { result, failed: failure !== Infinity, leadSeconds, recoverySeconds };
}

/** An `incident_opened` as linking needs it. */
export type IncidentToLink = { at: number; deployment: string | null; commit: string | null };

/**
 * The production deployment an incident links to (DEFINITIONS.md "Incidents and their
 * deployments"): explicitly the earlier-started of the deployment it names and the first one
 * carrying the commit it names; by inference, when it names neither, the latest deployment that
 * started at most `incidentWindowMs` before it. Undefined when none fits. Pure; never throws.
 */
export function chooseIncidentTarget(
  incident: IncidentToLink,
  candidates: {
    named: DeploymentFacts | undefined;
    carryingCommit: readonly DeploymentFacts[];
    latestStartedBy: DeploymentFacts | undefined;
  },
  incidentWindowMs: number,
): { target: DeploymentFacts; link: LinkedIncident['link'] } | undefined {
  if (incident.deployment !== null || incident.commit !== null) {
    const started = [candidates.named, ...candidates.carryingCommit].filter(
      (d): d is DeploymentFacts => d !== undefined && startOf(d) !== null,
    );
    const first = started.sort(
      (a, b) =>
        (startOf(a) as number) - (startOf(b) as number) || (a.deployment < b.deployment ? -1 : 1),
    )[0];
    return first === undefined ? undefined : { target: first, link: 'explicit' };
  }
  const latest = candidates.latestStartedBy;
  const start = latest === undefined ? null : startOf(latest);
  if (latest === undefined || start === null || incident.at - start > incidentWindowMs)
    return undefined;
  return { target: latest, link: 'inferred' };
}

/**
 * Bucket edges of the lead time and recovery time histograms, in seconds: 1 min, 5 min, 15 min,
 * 30 min, then 1 h, 4 h, 1 d, 3 d, 1 w, 30 d and 180 d (the DORA bands are at 1 h, 1 d, 1 w, 30 d
 * and 180 d).
 */
export const deliveryBucketsSeconds: readonly number[] = [
  60, 300, 900, 1_800, 3_600, 14_400, 86_400, 259_200, 604_800, 2_592_000, 15_552_000,
];

/** The bucket label of an observation: the first edge at or above it, else `+Inf`. */
export function bucketLabelOf(seconds: number): string {
  const edge = deliveryBucketsSeconds.find((upper) => seconds <= upper);
  return edge === undefined ? '+Inf' : String(edge);
}

/** One change to a lifetime total (`delivery_totals`): metric, label, amount. */
export type TotalChange = { metric: string; label: string; value: number };

/**
 * What replacing a deployment's measure `before` by `after` changes in the totals: its
 * deployment (label: result), its change failure, and its lead and recovery observations (label:
 * bucket, and the sum). Nothing when they are the same. Pure; never throws.
 */
export function diffMeasures(before: DeploymentMeasure, after: DeploymentMeasure): TotalChange[] {
  const changes: TotalChange[] = [];
  const add = (m: DeploymentMeasure, sign: 1 | -1) => {
    if (m.result !== null) changes.push({ metric: 'deployments', label: m.result, value: sign });
    if (m.failed) changes.push({ metric: 'change_failures', label: '', value: sign });
    for (const [metric, seconds] of [
      ['lead_time', m.leadSeconds],
      ['recovery_time', m.recoverySeconds],
    ] as const)
      if (seconds !== null)
        changes.push(
          { metric, label: bucketLabelOf(seconds), value: sign },
          { metric, label: 'sum', value: sign * seconds },
        );
  };
  if (
    before.result === after.result &&
    before.failed === after.failed &&
    before.leadSeconds === after.leadSeconds &&
    before.recoverySeconds === after.recoverySeconds
  )
    return changes;
  add(before, -1);
  add(after, 1);
  return changes;
}
