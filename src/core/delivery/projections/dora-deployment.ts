import { eventKinds, pipelineStages } from '../event-kinds.ts';
import { createDeploymentCollector } from '../dora/collect-deployments.ts';
import { checklistOf } from '../dora/gate-quality.ts';
import { compareEvents, defaultEnvironment, type LedgerEvent } from '../dora/ledger-event.ts';

// The DORA projections (docs/adr/0044): what `computeDora` decides per deployment and per change,
// computed from that deployment's or that change's own events, so that a report sums and sorts
// rows instead of replaying the ledger. Each function gives what the replay gives for the same
// events (the parity tests of build-dora-report.test.ts hold them to it).

/** One deployment of one service in one environment, as the replay records it. */
export type DoraDeploymentRecord = {
  service: string;
  environment: string;
  deployment: string;
  startedAt: number;
  team: string | null;
  commit: string | null;
  commits: string[] | null;
  /** When it reached production; null while it has not. */
  deployedAt: number | null;
  /** The first failure signal of its own events; null without one. */
  firstFailure: number | null;
  rollbacksTriggered: number;
  /** Times of successful rollbacks, in replay order. */
  rollbacksOk: number[];
  rework: boolean;
};

/** The key of the deployment an event belongs to, else undefined (`createDeploymentCollector`). */
export function doraDeploymentKeyOf(
  event: LedgerEvent,
): { service: string; environment: string; deployment: string } | undefined {
  if (!eventKinds[event.type].belongsToDeployment) return undefined;
  const deployment = event.deployment ?? event.commit;
  if (deployment === null) return undefined;
  return {
    service: event.service,
    environment: event.environment ?? defaultEnvironment,
    deployment,
  };
}

/**
 * The deployment `key` as the replay records it from `events` (any order; the events of other
 * deployments are ignored): undefined when none of them creates it. Pure; never throws.
 */
export function replayDeployment(
  key: { service: string; environment: string; deployment: string },
  events: readonly LedgerEvent[],
): DoraDeploymentRecord | undefined {
  const collector = createDeploymentCollector({ environment: key.environment });
  for (const event of [...events].sort(compareEvents))
    if (event.service === key.service && (event.deployment ?? event.commit) === key.deployment)
      collector.add(event);
  const d = collector.finish().byId(key.deployment);
  if (d === undefined) return undefined;
  return {
    ...key,
    startedAt: d.startedAt,
    team: d.team,
    commit: d.commit,
    commits: d.commits,
    deployedAt: Number.isNaN(d.deployedAt) ? null : d.deployedAt,
    firstFailure: d.firstFailure === Infinity ? null : d.firstFailure,
    rollbacksTriggered: d.rollbacksTriggered,
    rollbacksOk: d.rollbacksOk ?? [],
    rework: d.rework,
  };
}

/** What a deployment's lead time was measured from, so a late commit time can find it again. */
export type LeadMeasure = {
  /** Milliseconds from the first commit of its change to deployed; null when unknown. */
  leadMs: number | null;
  /** Its change starts after this commit time (null: with the first commit, or `commits`). */
  after: number | null;
  /** Its own commit's time, when its change is measured after `after`; else null. */
  own: number | null;
};

/**
 * The lead time of a deployment (`measureLeadTimes` and `firstCommitOfChange`, lead-time.ts):
 * `previousCommit` is the commit of the last production deployment before it (in start order)
 * with a commit other than its own, null when there is none; `timeOf` gives a commit's first
 * `commit_created` time; `firstCommitAfter(t)` the first `commit_created` time of the service
 * after `t` (any commit, every event). Pure; never throws.
 */
export function measureLead(
  d: Pick<DoraDeploymentRecord, 'commit' | 'commits' | 'deployedAt'>,
  previousCommit: string | null,
  context: {
    timeOf(sha: string): number | undefined;
    firstCommitAfter(after: number): number | undefined;
  },
): LeadMeasure {
  const lead = (first: number | undefined) =>
    d.deployedAt === null || first === undefined ? null : d.deployedAt - first;
  if (d.commits !== null && d.commits.length > 0) {
    let first: number | undefined;
    for (const sha of d.commits) {
      const t = context.timeOf(sha);
      if (t !== undefined && (first === undefined || t < first)) first = t;
    }
    return { leadMs: lead(first), after: null, own: null };
  }
  if (d.commit === null) return { leadMs: null, after: null, own: null };
  const own = context.timeOf(d.commit);
  if (own === undefined) return { leadMs: null, after: null, own: null };
  const after = previousCommit === null ? -Infinity : (context.timeOf(previousCommit) ?? -Infinity);
  const next = context.firstCommitAfter(after);
  const first = next !== undefined && next <= own ? next : own;
  return { leadMs: lead(first), after: after === -Infinity ? null : after, own };
}

/**
 * The checklists that passed a deployment's commit at or before it started, sorted, from the
 * first `policy_passed` time of each checklist for that commit (`createGateDecisions`). Pure.
 */
export function passedChecklists(
  startedAt: number,
  firstPasses: ReadonlyMap<string, number>,
): string[] {
  return [...firstPasses]
    .filter(([, at]) => at <= startedAt)
    .map(([checklist]) => checklist)
    .sort();
}

/** The first `policy_passed` time of each checklist, from a commit's events. Pure. */
export function firstPassesOf(events: readonly LedgerEvent[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const event of events) {
    if (event.type !== 'policy_passed' || event.commit === null) continue;
    const checklist = checklistOf(event);
    const at = first.get(checklist);
    if (at === undefined || event.at < at) first.set(checklist, event.at);
  }
  return first;
}

/** A span between two consecutive stages of one change (`stage-latency.ts`). */
export type DoraStageSpan = {
  /** The later stage's deployment environment; '' when neither stage belongs to a deployment. */
  environment: string;
  from: number;
  to: number;
  endAt: number;
  spanMs: number;
};

const isDeploymentStage = pipelineStages.map((stage) => eventKinds[stage].belongsToDeployment);

/**
 * The spans of one change, from the events of one commit (`createStageTimes`): the first time
 * of each stage it reached, a deployment's stages per environment; between consecutive stages
 * of each environment's chain, a span (negative ones left out) kept under that environment when
 * its later stage is a deployment's, else once under ''. Pure; never throws.
 */
export function stageSpansOf(events: readonly LedgerEvent[]): DoraStageSpan[] {
  const before = new Array<number>(pipelineStages.length).fill(NaN);
  const deployed = new Map<string, number[]>();
  for (const event of events) {
    if (event.commit === null) continue;
    const stage = eventKinds[event.type].stage;
    if (stage === null) continue;
    const index = pipelineStages.indexOf(stage);
    let times = before;
    if (isDeploymentStage[index] === true) {
      const environment = event.environment ?? defaultEnvironment;
      times = deployed.get(environment) ?? new Array<number>(pipelineStages.length).fill(NaN);
      deployed.set(environment, times);
    }
    if (Number.isNaN(times[index]) || event.at < (times[index] as number)) times[index] = event.at;
  }
  const spans: DoraStageSpan[] = [];
  const chain = (times: readonly number[], environment: string, deploymentOnly: boolean) => {
    let previous = -1;
    for (let i = 0; i < times.length; i++) {
      if (Number.isNaN(times[i])) continue;
      if (previous >= 0 && (!deploymentOnly || isDeploymentStage[i] === true)) {
        const span = (times[i] as number) - (times[previous] as number);
        if (span >= 0)
          spans.push({
            environment,
            from: previous,
            to: i,
            endAt: times[i] as number,
            spanMs: span,
          });
      }
      previous = i;
    }
  };
  chain(before, '', false);
  for (const [environment, times] of deployed) {
    const merged = before.map((t, i) => (isDeploymentStage[i] === true ? (times[i] as number) : t));
    chain(merged, environment, true);
  }
  return spans;
}
