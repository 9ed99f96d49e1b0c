import { compareText } from '../../lib/compare-text.ts';
import type { DeliveryResult } from '../event-kinds.ts';
import { eventKinds } from '../event-kinds.ts';
import type { LedgerEvent } from '../dora/ledger-event.ts';

/**
 * What the ledger says about one deployment of a service in one environment (the projection
 * `delivery_deployments`), folded from its events. Every field is a minimum, a sum or a union,
 * so folding the same events in any order gives the same facts (a late or out-of-order event
 * updates them as if it had come in time). Times are epoch milliseconds.
 */
export type DeploymentFacts = {
  service: string;
  /** The event's environment; an event that names none is taken to be in `production`. */
  environment: string;
  /** The deployment id, else the commit of its events. */
  deployment: string;
  /** The first `deploy_started` or `canary_started`; null without one. */
  startedAt: number | null;
  /** The first `deploy_finished`, and its result (success when it says none). */
  finishedAt: number | null;
  finishResult: DeliveryResult | null;
  /** The first `canary_promoted` or successful `deploy_finished`. */
  deployedAt: number | null;
  /** The first failure signal of its own (`canary_failed`, `rollback_triggered`, failed finish). */
  failedAt: number | null;
  rollbacksTriggered: number;
  /** Times of successful `rollback_finished`, ascending. */
  rollbacksOk: number[];
  rollbacksFailed: number;
  /** `commit` and `commits` of its earliest event that carries them, and that event's time. */
  commit: string | null;
  commits: string[] | null;
  commitFrom: number | null;
};

/** The environment a deployment event is counted in (DEFINITIONS.md "Prometheus"). */
export function environmentOf(event: Pick<LedgerEvent, 'environment'>): string {
  return event.environment ?? 'production';
}

/** The deployment an event belongs to, else undefined (not a deployment event, or unplaceable). */
export function deploymentKeyOf(
  event: LedgerEvent,
): { service: string; environment: string; deployment: string } | undefined {
  if (!eventKinds[event.type].belongsToDeployment) return undefined;
  const deployment = event.deployment ?? event.commit;
  if (deployment === null) return undefined;
  return { service: event.service, environment: environmentOf(event), deployment };
}

/** The facts of a deployment none of whose events are in yet. */
export function emptyDeploymentFacts(key: {
  service: string;
  environment: string;
  deployment: string;
}): DeploymentFacts {
  return {
    ...key,
    startedAt: null,
    finishedAt: null,
    finishResult: null,
    deployedAt: null,
    failedAt: null,
    rollbacksTriggered: 0,
    rollbacksOk: [],
    rollbacksFailed: 0,
    commit: null,
    commits: null,
    commitFrom: null,
  };
}

const earlier = (a: number | null, b: number): number => (a === null || b < a ? b : a);

/**
 * The facts with one more event of the deployment folded in (a new object; `facts` is left as
 * it is). Commutative: any order of the same events gives the same facts. Pure; never throws.
 */
export function foldDeploymentEvent(facts: DeploymentFacts, event: LedgerEvent): DeploymentFacts {
  const next = { ...facts, rollbacksOk: facts.rollbacksOk };
  const at = event.at;
  switch (event.type) {
    case 'deploy_started':
    case 'canary_started':
      next.startedAt = earlier(next.startedAt, at);
      break;
    case 'deploy_finished': {
      const result = event.result ?? 'success';
      // The earliest finish decides; at one instant, a failure before a success.
      if (
        next.finishedAt === null ||
        at < next.finishedAt ||
        (at === next.finishedAt && compareText(result, next.finishResult ?? '') < 0)
      ) {
        next.finishedAt = at;
        next.finishResult = result;
      }
      if (result === 'success') next.deployedAt = earlier(next.deployedAt, at);
      else next.failedAt = earlier(next.failedAt, at);
      break;
    }
    case 'canary_promoted':
      next.deployedAt = earlier(next.deployedAt, at);
      break;
    case 'canary_failed':
      next.failedAt = earlier(next.failedAt, at);
      break;
    case 'rollback_triggered':
      next.rollbacksTriggered++;
      next.failedAt = earlier(next.failedAt, at);
      break;
    case 'rollback_finished':
      if (event.result === 'failure') next.rollbacksFailed++;
      else next.rollbacksOk = [...next.rollbacksOk, at].sort((a, b) => a - b);
      break;
    default:
      break;
  }
  if (event.commit !== null || event.commits !== null) {
    const sameTime = next.commitFrom === at;
    const candidate = JSON.stringify([event.commit, event.commits]);
    if (
      next.commitFrom === null ||
      at < next.commitFrom ||
      (sameTime && candidate < JSON.stringify([next.commit, next.commits]))
    ) {
      next.commit = event.commit;
      next.commits = event.commits;
      next.commitFrom = at;
    }
  }
  return next;
}

/**
 * When the deployment started: its first start event, or its first finish when that came
 * earlier (a finish with no start before it starts the deployment, as in Four Keys and DevLake).
 */
export function startOf(facts: DeploymentFacts): number | null {
  if (facts.startedAt === null) return facts.finishedAt;
  if (facts.finishedAt === null) return facts.startedAt;
  return Math.min(facts.startedAt, facts.finishedAt);
}
