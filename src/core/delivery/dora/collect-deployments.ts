import { compareText } from '../../lib/compare-text.ts';
import { eventKinds } from '../event-kinds.ts';
import type { DoraOptions } from './dora-options.ts';
import { isInEnvironment, type LedgerEvent } from './ledger-event.ts';

/**
 * One deployment of a service in the measured environment (DEFINITIONS.md "Deployments"): the
 * compact record the replay keeps of its events.
 */
export type Deployment = {
  /** The deployment id, else the commit of the event that started it. */
  id: string;
  commit: string | null;
  commits: string[] | null;
  /** `attributes.team` of the event that started it. */
  team: string | null;
  startedAt: number;
  /** When it reached production; NaN while it has not. */
  deployedAt: number;
  /** The earliest failure signal; Infinity without one. */
  firstFailure: number;
  rollbacksTriggered: number;
  /** Times of successful rollbacks; null when none. */
  rollbacksOk: number[] | null;
  /** An event of it said `attributes.rework` or `attributes.hotfix`. */
  rework: boolean;
  /** Resolution times of incidents linked to it (null: not resolved); null when none. */
  incidentsResolved: (number | null)[] | null;
  /** Position in start order among the production deployments; -1 outside them. */
  index: number;
};

/** The production deployments of one service, once its events are all in. */
export type ProductionDeployments = {
  /** Of the team when one is asked for, in start order (ties by id); `index` is the position. */
  list: Deployment[];
  /** The deployment with this id, when it is one of `list`. */
  byId(id: string): Deployment | undefined;
  /** The deployments carrying this commit (`commit` or `commits`), in start order. */
  byCommit(sha: string): readonly Deployment[] | undefined;
  /** The last deployment that started at or before `at`. */
  lastStartedBy(at: number): Deployment | undefined;
};

/** Collects the deployments of one service from its events in replay order. */
export type DeploymentCollector = {
  /** Takes the events that belong to a deployment (`eventKinds`); ignores the others. */
  add(event: LedgerEvent): void;
  finish(): ProductionDeployments;
};

/** True when the deployment has a failure signal (DEFINITIONS.md "failed deployment"). */
export function hasFailed(deployment: Deployment): boolean {
  return deployment.firstFailure !== Infinity;
}

/**
 * Deployments as DEFINITIONS.md defines them, within one service: keyed by deployment id (else
 * commit) in `options.environment`; created by the first event that `createsDeployment`, and
 * deployed at the first `canary_promoted` or successful `deploy_finished`; an event's failure
 * signal (`eventKinds`) lowers `firstFailure`. Events must arrive ordered by `compareEvents`.
 * Pure; never throws.
 */
export function createDeploymentCollector(
  options: Pick<DoraOptions, 'environment' | 'team'>,
): DeploymentCollector {
  const deployments = new Map<string, Deployment>();

  return {
    add(event) {
      const kind = eventKinds[event.type];
      if (!kind.belongsToDeployment) return;
      const id = event.deployment ?? event.commit;
      if (id === null || !isInEnvironment(event, options.environment)) return;
      let deployment = deployments.get(id);
      if (!deployment) {
        if (!kind.createsDeployment) return;
        const team = event.attributes?.['team'];
        deployment = {
          id,
          commit: event.commit,
          commits: event.commits,
          team: typeof team === 'string' ? team : null,
          startedAt: event.at,
          deployedAt: NaN,
          firstFailure: Infinity,
          rollbacksTriggered: 0,
          rollbacksOk: null,
          rework: false,
          incidentsResolved: null,
          index: -1,
        };
        deployments.set(id, deployment);
      }
      deployment.commit ??= event.commit;
      deployment.commits ??= event.commits;
      if (event.attributes?.['rework'] === true || event.attributes?.['hotfix'] === true)
        deployment.rework = true;
      const signal = kind.failureSignal;
      if (
        (signal === 'always' || (signal === 'on-failure-result' && event.result === 'failure')) &&
        event.at < deployment.firstFailure
      )
        deployment.firstFailure = event.at;
      switch (event.type) {
        case 'canary_promoted':
          if (Number.isNaN(deployment.deployedAt)) deployment.deployedAt = event.at;
          break;
        case 'deploy_finished':
          if (event.result !== 'failure' && Number.isNaN(deployment.deployedAt))
            deployment.deployedAt = event.at;
          break;
        case 'rollback_triggered':
          deployment.rollbacksTriggered++;
          break;
        case 'rollback_finished':
          if (event.result !== 'failure') (deployment.rollbacksOk ??= []).push(event.at);
          break;
        default:
          break;
      }
    },

    finish() {
      const inTeam = (d: Deployment | undefined) =>
        d !== undefined && (options.team === undefined || d.team === options.team) ? d : undefined;
      const list = [...deployments.values()]
        .filter((d) => inTeam(d) !== undefined)
        .sort((a, b) => a.startedAt - b.startedAt || compareText(a.id, b.id));
      list.forEach((d, i) => (d.index = i));
      let commitIndex: Map<string, Deployment[]> | undefined;
      return {
        list,
        byId: (id) => inTeam(deployments.get(id)),
        byCommit: (sha) => (commitIndex ??= indexByCommit(list)).get(sha),
        lastStartedBy: (at) => list[lastStartedBy(list, at)],
      };
    },
  };
}

/** Deployments by each commit they carry (`commit` and `commits`), in start order. */
function indexByCommit(list: readonly Deployment[]): Map<string, Deployment[]> {
  const byCommit = new Map<string, Deployment[]>();
  const add = (sha: string, d: Deployment) => {
    const deployments = byCommit.get(sha);
    if (!deployments) byCommit.set(sha, [d]);
    else if (deployments.at(-1) !== d) deployments.push(d);
  };
  for (const d of list) {
    if (d.commit !== null) add(d.commit, d);
    for (const sha of d.commits ?? []) add(sha, d);
  }
  return byCommit;
}

/** Index of the last deployment (in start order) that started at or before `at`; -1 if none. */
function lastStartedBy(list: readonly Deployment[], at: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as Deployment).startedAt <= at) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
