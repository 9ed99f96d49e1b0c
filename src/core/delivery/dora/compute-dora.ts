import { compareText } from '../../lib/compare-text.ts';
import type { DeliveryEventType } from '../delivery-event.ts';
import { durationStats, quantile, type DurationStats } from '../../lib/stats.ts';

/** A stored event as the metrics see it; times in epoch milliseconds. */
export type LedgerEvent = {
  type: DeliveryEventType;
  at: number;
  service: string;
  environment: string | null;
  commit: string | null;
  commits: string[] | null;
  deployment: string | null;
  incident: string | null;
  result: 'success' | 'failure' | null;
  attributes: Record<string, unknown> | null;
};

export type DoraOptions = {
  from: number;
  to: number;
  /** The environment whose deployments count. Default `production`. */
  environment: string;
  /** An incident opened this long after a deployment starts links to it by inference, and makes it failed. */
  incidentWindowMs: number;
  service?: string | undefined;
  team?: string | undefined;
};

export type IncidentLink = { incident: string; deployment: string; link: 'explicit' | 'inferred' };

export type StageLatency = {
  from: DeliveryEventType;
  to: DeliveryEventType;
  p50: number | null;
  p90: number | null;
  count: number;
};

/** The JSON of `candor dora --json`. Rates are fractions; a rate without a denominator is null. */
export type DoraReport = {
  window: { from: string; to: string; days: number };
  environment: string;
  deployments: number;
  deploymentFrequencyPerDay: number;
  changeFailureRate: number | null;
  failedDeployments: number;
  leadTimeSeconds: DurationStats;
  recoveryTimeSeconds: DurationStats;
  unrecoveredFailures: number;
  timeToDetectSeconds: DurationStats;
  rollbackSuccessRate: number | null;
  falsePositiveRate: number | null;
  falseNegativeRate: number | null;
  reworkRate: number | null;
  stageLatency: StageLatency[];
  incidentLinks: IncidentLink[];
};

/** One deployment of the accumulator's service in the measured environment. */
type Deployment = {
  id: string;
  commit: string | null;
  commits: string[] | null;
  team: string | null;
  startedAt: number;
  /** When it reached production; NaN while it has not. */
  deployedAt: number;
  /** The earliest failure signal; Infinity without one. */
  firstFailure: number;
  rollbacksTriggered: number;
  /** Times of successful rollbacks; null when none. */
  rollbacksOk: number[] | null;
  rework: boolean;
  /** Resolution times of incidents linked to it (null: not resolved); null when none. */
  incidentsResolved: (number | null)[] | null;
  /** Position in start order, set by `finish`. */
  index: number;
};

type DeferredIncident = {
  at: number;
  incident: string | null;
  deployment: string | null;
  commit: string | null;
};

const deploymentEvents = new Set<DeliveryEventType>([
  'deploy_started',
  'canary_started',
  'canary_promoted',
  'canary_failed',
  'deploy_finished',
  'rollback_triggered',
  'rollback_finished',
]);

/** Stages of a change in pipeline order, for stage latency. */
export const pipelineStages: DeliveryEventType[] = [
  'commit_created',
  'artifact_built',
  'tests_passed',
  'security_scanned',
  'policy_passed',
  'deploy_started',
  'canary_promoted',
];
const stageIndex = new Map(pipelineStages.map((stage, i) => [stage, i]));

/**
 * What one service contributes to a report: counts and samples that add up across services.
 * Every DORA quantity is decided within one service, so a ledger is processed service by service.
 */
export type DoraPartial = {
  deployments: number;
  failedDeployments: number;
  leadTimes: number[];
  recoveries: number[];
  detections: number[];
  unrecovered: number;
  rollbacksTriggered: number;
  rollbacksOk: number;
  passedPolicy: number;
  passedPolicyThenFailed: number;
  blockedByPolicy: number;
  blockedButGood: number;
  rework: number;
  /** Stage spans in seconds, by `from>to`. */
  stageSpans: Map<string, number[]>;
  incidentLinks: (IncidentLink & { at: number })[];
  /** Every finished rollback of the service (any environment), for lifetime counters. */
  rollbacksFinished: { ok: number; failed: number };
};

/** Feeds one service's events in time order (ties in any order) and returns its partial. */
export type DoraAccumulator = {
  add(event: LedgerEvent): void;
  finish(): DoraPartial;
};

const seconds = (ms: number) => ms / 1_000;
const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1e6) / 1e6);

/**
 * DORA metrics and pipeline quality from the ledger, by the definitions in DEFINITIONS.md.
 * Arrival order never matters: everything is ordered by `at`. Pure; never throws.
 */
export function computeDora(allEvents: readonly LedgerEvent[], options: DoraOptions): DoraReport {
  return computeDoraSamples(allEvents, options).report;
}

/** `computeDora` with the individual durations behind its summaries (for histograms). */
export function computeDoraSamples(
  allEvents: readonly LedgerEvent[],
  options: DoraOptions,
): { report: DoraReport; leadTimes: number[]; recoveries: number[] } {
  const byService = new Map<string, LedgerEvent[]>();
  for (const event of allEvents) {
    if (options.service !== undefined && event.service !== options.service) continue;
    const list = byService.get(event.service) ?? [];
    list.push(event);
    byService.set(event.service, list);
  }
  const parts = [...byService].map(([service, events]) => {
    const accumulator = createDoraAccumulator(service, options);
    for (const event of events.sort(compareEvents)) accumulator.add(event);
    return accumulator.finish();
  });
  return combineDoraPartials(parts, options);
}

/** The order the ledger is replayed in: by time, then by type. */
export function compareEvents(a: LedgerEvent, b: LedgerEvent): number {
  return a.at - b.at || compareText(a.type, b.type);
}

/**
 * An incremental replay of one service's ledger, for streaming reads: it keeps a compact record
 * per deployment, commit and incident, never the events themselves. Events must arrive ordered
 * by `compareEvents`. Pure; never throws.
 */
export function createDoraAccumulator(service: string, options: DoraOptions): DoraAccumulator {
  const deployments = new Map<string, Deployment>();
  const resolvedAt = new Map<string, number>();
  const incidents: DeferredIncident[] = [];
  const commitTimes = new Map<string, number>();
  const sortedCommitTimes: number[] = [];
  const policyPassed = new Map<string, number>();
  const policyFailed = new Map<string, number>();
  const stageTimes = new Map<string, number[]>();
  const rollbacksFinished = { ok: 0, failed: 0 };

  const addDeploymentEvent = (event: LedgerEvent): void => {
    const id = event.deployment ?? event.commit;
    if (id === null || (event.environment ?? options.environment) !== options.environment) return;
    let deployment = deployments.get(id);
    if (!deployment) {
      if (event.type !== 'deploy_started' && event.type !== 'canary_started') return;
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
    const fail = (at: number) => {
      if (at < deployment.firstFailure) deployment.firstFailure = at;
    };
    switch (event.type) {
      case 'canary_promoted':
        if (Number.isNaN(deployment.deployedAt)) deployment.deployedAt = event.at;
        break;
      case 'deploy_finished':
        if (event.result === 'failure') fail(event.at);
        else if (Number.isNaN(deployment.deployedAt)) deployment.deployedAt = event.at;
        break;
      case 'canary_failed':
        fail(event.at);
        break;
      case 'rollback_triggered':
        deployment.rollbacksTriggered++;
        fail(event.at);
        break;
      case 'rollback_finished':
        if (event.result !== 'failure') (deployment.rollbacksOk ??= []).push(event.at);
        break;
      default:
        break;
    }
  };

  const addStage = (event: LedgerEvent): void => {
    if (event.at < options.from || event.at > options.to || event.commit === null) return;
    // A canary start is the change's production deployment starting.
    const type: DeliveryEventType = event.type === 'canary_started' ? 'deploy_started' : event.type;
    const index = stageIndex.get(type);
    if (index === undefined) return;
    if (
      (type === 'deploy_started' || type === 'canary_promoted') &&
      (event.environment ?? options.environment) !== options.environment
    )
      return;
    // Pairs of (stage index, first time), in the order the stages first appeared: most changes
    // reach only a few stages, so this stays small.
    const times = stageTimes.get(event.commit);
    if (!times) stageTimes.set(event.commit, [index, event.at]);
    else if (!hasStage(times, index)) times.push(index, event.at);
  };

  return {
    add(event) {
      if (event.type === 'rollback_finished') {
        if (event.result === 'failure') rollbacksFinished.failed++;
        else rollbacksFinished.ok++;
      }
      if (deploymentEvents.has(event.type)) addDeploymentEvent(event);
      addStage(event);
      switch (event.type) {
        case 'incident_resolved':
          if (event.incident !== null) resolvedAt.set(event.incident, event.at);
          break;
        case 'incident_opened':
          incidents.push({
            at: event.at,
            incident: event.incident,
            deployment: event.deployment,
            commit: event.commit,
          });
          break;
        case 'commit_created':
          if (event.commit !== null) {
            if (!commitTimes.has(event.commit)) commitTimes.set(event.commit, event.at);
            sortedCommitTimes.push(event.at); // events arrive in time order
          }
          break;
        case 'policy_passed':
          if (event.commit !== null && !policyPassed.has(event.commit))
            policyPassed.set(event.commit, event.at);
          break;
        case 'policy_failed':
          if (
            event.commit !== null &&
            event.at >= options.from &&
            event.at <= options.to &&
            !policyFailed.has(event.commit)
          )
            policyFailed.set(event.commit, event.at);
          break;
        default:
          break;
      }
    },

    finish() {
      const production = [...deployments.values()]
        .filter((d) => options.team === undefined || d.team === options.team)
        .sort((a, b) => a.startedAt - b.startedAt || compareText(a.id, b.id));
      production.forEach((d, i) => (d.index = i));
      const inTeam = (d: Deployment | undefined) =>
        d !== undefined && (options.team === undefined || d.team === options.team) ? d : undefined;
      let commitIndex: Map<string, Deployment[]> | undefined;
      const byCommit = (sha: string) => (commitIndex ??= indexByCommit(production)).get(sha);

      // Incidents: explicit link (deployment id, commit) first, else the latest deployment that
      // started within the incident window before it opened.
      const incidentLinks: DoraPartial['incidentLinks'] = [];
      const openIncidents: { opened: number; resolved: number | null }[] = [];
      for (const e of incidents) {
        const resolved = e.incident === null ? null : (resolvedAt.get(e.incident) ?? null);
        openIncidents.push({ opened: e.at, resolved });
        let target = earliest(
          e.deployment === null ? undefined : inTeam(deployments.get(e.deployment)),
          e.commit === null ? undefined : byCommit(e.commit)?.[0],
        );
        let link: IncidentLink['link'] = 'explicit';
        if (!target && e.deployment === null && e.commit === null) {
          const latest = production[lastStartedBy(production, e.at)];
          if (latest && e.at - latest.startedAt <= options.incidentWindowMs) target = latest;
          link = 'inferred';
        }
        if (!target) continue;
        incidentLinks.push({
          incident: e.incident ?? `(unnamed at ${new Date(e.at).toISOString()})`,
          deployment: target.id,
          link,
          at: e.at,
        });
        (target.incidentsResolved ??= []).push(resolved);
        if (e.at - target.startedAt <= options.incidentWindowMs && e.at >= target.startedAt)
          if (e.at < target.firstFailure) target.firstFailure = e.at;
      }

      const inWindow = production.filter(
        (d) => d.startedAt >= options.from && d.startedAt <= options.to,
      );
      const failed = inWindow.filter((d) => d.firstFailure !== Infinity);

      // Lead time: first commit of the change → deployed in production.
      const leadTimes: number[] = [];
      for (const d of inWindow) {
        if (Number.isNaN(d.deployedAt)) continue;
        const first = firstCommitOfChange(d, production, commitTimes, sortedCommitTimes);
        if (first !== undefined) leadTimes.push(seconds(d.deployedAt - first));
      }

      const recoveries: number[] = [];
      const detections: number[] = [];
      let unrecovered = 0;
      for (const d of failed) {
        const firstFailure = d.firstFailure;
        detections.push(seconds(firstFailure - d.startedAt));
        let restored = Infinity;
        for (const at of d.rollbacksOk ?? [])
          if (at >= firstFailure && at < restored) restored = at;
        if (restored === Infinity)
          for (const at of d.incidentsResolved ?? [])
            if (at !== null && at >= firstFailure && at < restored) restored = at;
        if (restored === Infinity) unrecovered++;
        else recoveries.push(seconds(restored - firstFailure));
      }

      // Pipeline quality: policy decisions against what happened in production.
      const passedPolicy = inWindow.filter(
        (d) => d.commit !== null && (policyPassed.get(d.commit) ?? Infinity) <= d.startedAt,
      );
      let blockedButGood = 0;
      for (const [commit, at] of policyFailed) {
        const shipped = (byCommit(commit) ?? []).filter(
          (d) => d.commit === commit && d.startedAt >= at,
        );
        if (shipped.length > 0 && shipped.every((d) => d.firstFailure === Infinity))
          blockedButGood++;
      }

      return {
        deployments: inWindow.length,
        failedDeployments: failed.length,
        leadTimes,
        recoveries,
        detections,
        unrecovered,
        rollbacksTriggered: inWindow.reduce((n, d) => n + d.rollbacksTriggered, 0),
        rollbacksOk: inWindow.reduce((n, d) => n + (d.rollbacksOk?.length ?? 0), 0),
        passedPolicy: passedPolicy.length,
        passedPolicyThenFailed: passedPolicy.filter((d) => d.firstFailure !== Infinity).length,
        blockedByPolicy: policyFailed.size,
        blockedButGood,
        rework: countRework(inWindow, openIncidents),
        stageSpans: stageSpans(stageTimes),
        incidentLinks,
        rollbacksFinished,
      };
    },
  };
}

/**
 * Heap bytes an accumulator needs at most for a service's events, from their counts by type:
 * the records it keeps per deployment start, commit, incident and policy decision (measured on
 * Node 24, rounded up). Lets a caller refuse a replay that cannot fit instead of running out.
 */
export function estimateReplayBytes(countsByType: ReadonlyMap<string, number>): number {
  let bytes = 0;
  for (const [type, count] of countsByType) bytes += count * (replayBytesPerEvent[type] ?? 0);
  return bytes;
}

const replayBytesPerEvent: Partial<Record<string, number>> = {
  deploy_started: 250,
  canary_started: 250,
  commit_created: 120,
  incident_opened: 150,
  incident_resolved: 50,
  policy_passed: 60,
  policy_failed: 60,
  artifact_built: 40,
  tests_passed: 40,
  security_scanned: 40,
};

/** Adds up the partials of several services into one report. Pure; never throws. */
export function combineDoraPartials(
  parts: readonly DoraPartial[],
  options: DoraOptions,
): { report: DoraReport; leadTimes: number[]; recoveries: number[] } {
  const sum = (pick: (p: DoraPartial) => number) => parts.reduce((n, p) => n + pick(p), 0);
  const concat = (pick: (p: DoraPartial) => number[]) => {
    const out: number[] = [];
    for (const p of parts) for (const v of pick(p)) out.push(v);
    return out;
  };
  const leadTimes = concat((p) => p.leadTimes);
  const recoveries = concat((p) => p.recoveries);
  const spans = new Map<string, number[]>();
  for (const p of parts)
    for (const [key, values] of p.stageSpans) {
      const list = spans.get(key);
      if (list) for (const v of values) list.push(v);
      else spans.set(key, [...values]);
    }
  const deployments = sum((p) => p.deployments);
  const failed = sum((p) => p.failedDeployments);
  const days = (options.to - options.from) / 86_400_000;
  const report: DoraReport = {
    window: {
      from: new Date(options.from).toISOString(),
      to: new Date(options.to).toISOString(),
      days: Math.round(days * 1000) / 1000,
    },
    environment: options.environment,
    deployments,
    deploymentFrequencyPerDay: days <= 0 ? 0 : Math.round((deployments / days) * 1e6) / 1e6,
    changeFailureRate: ratio(failed, deployments),
    failedDeployments: failed,
    leadTimeSeconds: durationStats(leadTimes),
    recoveryTimeSeconds: durationStats(recoveries),
    unrecoveredFailures: sum((p) => p.unrecovered),
    timeToDetectSeconds: durationStats(concat((p) => p.detections)),
    rollbackSuccessRate: ratio(
      sum((p) => p.rollbacksOk),
      sum((p) => p.rollbacksTriggered),
    ),
    falsePositiveRate: ratio(
      sum((p) => p.passedPolicyThenFailed),
      sum((p) => p.passedPolicy),
    ),
    falseNegativeRate: ratio(
      sum((p) => p.blockedButGood),
      sum((p) => p.blockedByPolicy),
    ),
    reworkRate: ratio(
      sum((p) => p.rework),
      deployments,
    ),
    stageLatency: summariseSpans(spans),
    incidentLinks: parts
      .flatMap((p) => p.incidentLinks)
      .sort((a, b) => a.at - b.at || compareText(a.incident, b.incident))
      .map(({ incident, deployment, link }) => ({ incident, deployment, link })),
  };
  return { report, leadTimes, recoveries };
}

/** Deployments by each commit they carry (`commit` and `commits`), in start order. */
function indexByCommit(production: readonly Deployment[]): Map<string, Deployment[]> {
  const byCommit = new Map<string, Deployment[]>();
  const add = (sha: string, d: Deployment) => {
    const list = byCommit.get(sha);
    if (!list) byCommit.set(sha, [d]);
    else if (list.at(-1) !== d) list.push(d);
  };
  for (const d of production) {
    if (d.commit !== null) add(d.commit, d);
    for (const sha of d.commits ?? []) add(sha, d);
  }
  return byCommit;
}

function earliest(a: Deployment | undefined, b: Deployment | undefined): Deployment | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.index <= b.index ? a : b;
}

/** Index of the last deployment (in start order) that started at or before `at`; -1 if none. */
function lastStartedBy(production: readonly Deployment[], at: number): number {
  let low = 0;
  let high = production.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((production[middle] as Deployment).startedAt <= at) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Deployments made while an incident of the service was open (sweep over start order). */
function countRework(
  inWindow: readonly Deployment[],
  incidents: readonly { opened: number; resolved: number | null }[],
): number {
  const byOpening = [...incidents].sort((a, b) => a.opened - b.opened);
  let next = 0;
  let openUntil = -Infinity;
  let count = 0;
  for (const d of inWindow) {
    for (let i = byOpening[next]; i !== undefined && i.opened <= d.startedAt; i = byOpening[++next])
      openUntil = Math.max(openUntil, i.resolved ?? Infinity);
    if (d.rework || openUntil > d.startedAt) count++;
  }
  return count;
}

/**
 * Time of the first commit of a deployment's change: the earliest of its `commits` when given;
 * else the service's first commit after the previous production deployment's commit, up to its
 * own commit. Undefined when no commit time is known. Binary search over the sorted commit times.
 */
function firstCommitOfChange(
  d: Deployment,
  production: readonly Deployment[],
  commitTimes: ReadonlyMap<string, number>,
  sortedCommitTimes: readonly number[],
): number | undefined {
  if (d.commits !== null && d.commits.length > 0) {
    let first: number | undefined;
    for (const sha of d.commits) {
      const t = commitTimes.get(sha);
      if (t !== undefined && (first === undefined || t < first)) first = t;
    }
    return first;
  }
  if (d.commit === null) return undefined;
  const own = commitTimes.get(d.commit);
  if (own === undefined) return undefined;
  let after = -Infinity;
  for (let i = d.index - 1; i >= 0; i--) {
    const previous = production[i] as Deployment;
    if (previous.commit !== null && previous.commit !== d.commit) {
      after = commitTimes.get(previous.commit) ?? -Infinity;
      break;
    }
  }
  // first index with time > after
  let low = 0;
  let high = sortedCommitTimes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedCommitTimes[middle] as number) > after) high = middle;
    else low = middle + 1;
  }
  const first = sortedCommitTimes[low];
  return first !== undefined && first <= own ? first : own;
}

function hasStage(pairs: readonly number[], stage: number): boolean {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === stage) return true;
  return false;
}

/** Spans between consecutive stages each change went through (a pipeline may skip a stage). */
function stageSpans(stageTimes: ReadonlyMap<string, number[]>): Map<string, number[]> {
  const spans = new Map<string, number[]>();
  const times = new Array<number>(pipelineStages.length);
  for (const pairs of stageTimes.values()) {
    if (pairs.length < 4) continue; // one stage: no span
    times.fill(NaN);
    for (let i = 0; i < pairs.length; i += 2) times[pairs[i] as number] = pairs[i + 1] as number;
    let previous = -1;
    for (let i = 0; i < times.length; i++) {
      if (Number.isNaN(times[i])) continue;
      if (previous >= 0) {
        const span = (times[i] as number) - (times[previous] as number);
        if (span >= 0) {
          const key = `${previous}>${i}`;
          const list = spans.get(key);
          if (list) list.push(seconds(span));
          else spans.set(key, [seconds(span)]);
        }
      }
      previous = i;
    }
  }
  return spans;
}

function summariseSpans(spans: ReadonlyMap<string, number[]>): StageLatency[] {
  return [...spans]
    .map(([key, values]) => {
      const [from, to] = key.split('>').map(Number) as [number, number];
      return { from, to, values };
    })
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map(({ from, to, values }) => {
      const sorted = values.sort((x, y) => x - y);
      return {
        from: pipelineStages[from] as DeliveryEventType,
        to: pipelineStages[to] as DeliveryEventType,
        p50: Math.round(quantile(sorted, 0.5) * 1000) / 1000,
        p90: Math.round(quantile(sorted, 0.9) * 1000) / 1000,
        count: sorted.length,
      };
    });
}
