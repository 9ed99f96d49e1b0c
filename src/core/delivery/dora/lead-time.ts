import { toSeconds } from '../../lib/time.ts';
import type { Deployment } from './collect-deployments.ts';
import type { LedgerEvent } from './ledger-event.ts';

/** The commit times of one service, collected from its events in replay order. */
export type CommitTimes = {
  /** Takes `commit_created` events with a commit; ignores the others. */
  add(event: LedgerEvent): void;
  /** The first `commit_created` time of a commit. */
  timeOf(sha: string): number | undefined;
  /** Every `commit_created` time, ascending (events arrive in time order). */
  readonly sorted: readonly number[];
};

/** Keeps the first time of each commit and every commit time in order. Pure; never throws. */
export function createCommitTimes(): CommitTimes {
  const first = new Map<string, number>();
  const sorted: number[] = [];
  return {
    add(event) {
      if (event.type !== 'commit_created' || event.commit === null) return;
      if (!first.has(event.commit)) first.set(event.commit, event.at);
      sorted.push(event.at);
    },
    timeOf: (sha) => first.get(sha),
    sorted,
  };
}

/**
 * Lead time for changes, in seconds (DEFINITIONS.md): per deployed deployment of `measured`,
 * from the first commit of its change to when it was deployed. A deployment whose change has no
 * known commit time has no lead time. `production` is every production deployment in start
 * order (for the previous deployment of each change). Never throws.
 */
export function measureLeadTimes(
  measured: readonly Deployment[],
  production: readonly Deployment[],
  commits: CommitTimes,
): number[] {
  const leadTimes: number[] = [];
  for (const d of measured) {
    if (Number.isNaN(d.deployedAt)) continue;
    const first = firstCommitOfChange(d, production, commits);
    if (first !== undefined) leadTimes.push(toSeconds(d.deployedAt - first));
  }
  return leadTimes;
}

/**
 * Time of the first commit of a deployment's change: the earliest of its `commits` when given;
 * else the service's first commit after the previous production deployment's commit, up to its
 * own commit. Undefined when no commit time is known. Binary search over the sorted commit times.
 */
export function firstCommitOfChange(
  d: Deployment,
  production: readonly Deployment[],
  commits: CommitTimes,
): number | undefined {
  if (d.commits !== null && d.commits.length > 0) {
    let first: number | undefined;
    for (const sha of d.commits) {
      const t = commits.timeOf(sha);
      if (t !== undefined && (first === undefined || t < first)) first = t;
    }
    return first;
  }
  if (d.commit === null) return undefined;
  const own = commits.timeOf(d.commit);
  if (own === undefined) return undefined;
  let after = -Infinity;
  for (let i = d.index - 1; i >= 0; i--) {
    const previous = production[i] as Deployment;
    if (previous.commit !== null && previous.commit !== d.commit) {
      after = commits.timeOf(previous.commit) ?? -Infinity;
      break;
    }
  }
  const { sorted } = commits;
  // first index with time > after
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) > after) high = middle;
    else low = middle + 1;
  }
  const first = sorted[low];
  return first !== undefined && first <= own ? first : own;
}
