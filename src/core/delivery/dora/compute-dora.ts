import { compareText } from '../../lib/compare-text.ts';
import { round } from '../../lib/round.ts';
import { durationStats, durationStatsInPlace, type DurationStats } from '../../lib/stats.ts';
import { dayMs } from '../../lib/time.ts';
import { deliveryEventTypes, type DeliveryEventType } from '../event-kinds.ts';
import { createDeploymentCollector, hasFailed } from './collect-deployments.ts';
import { isInWindow, type DoraOptions } from './dora-options.ts';
import { measureLeadTimes, createCommitTimes } from './lead-time.ts';
import { compareEvents, type LedgerEvent } from './ledger-event.ts';
import {
  createIncidentCollector,
  linkIncidents,
  type IncidentLink,
  type UnlinkedIncident,
} from './link-incidents.ts';
import { createPolicyDecisions, measurePipelineQuality } from './pipeline-quality.ts';
import {
  combineGateQuality,
  createGateDecisions,
  type GateQuality,
  type GateQualityCounts,
} from './gate-quality.ts';
import { countRollbacks, createRollbackTally, measureRecovery } from './recovery.ts';
import { countRework } from './rework.ts';
import {
  createStageTimes,
  mergeStageSpans,
  summariseStageSpans,
  type StageLatency,
  type StageSpans,
} from './stage-latency.ts';

// The DORA computation, phase by phase along DEFINITIONS.md: deployments (collect-deployments),
// incidents and their deployments (link-incidents), lead time, recovery and detection, rework,
// pipeline quality and stage latency each have a module; this one composes them.
export { compareEvents, type LedgerEvent } from './ledger-event.ts';
export type { DoraOptions } from './dora-options.ts';
export type { IncidentLink, UnlinkedIncident } from './link-incidents.ts';
export type { StageLatency } from './stage-latency.ts';
export type { GateQuality } from './gate-quality.ts';

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
  /** Incidents opened in the window that link to no production deployment, and why. */
  unlinkedIncidents: UnlinkedIncident[];
  /** Per gate (checklist): what it blocked and passed, against production. */
  gates: GateQuality[];
};

/**
 * What one service contributes to a report: counts and samples that add up across services.
 * Every DORA quantity is decided within one service, so a ledger is processed service by service.
 */
export type DoraPartial = {
  deployments: number;
  failedDeployments: number;
  leadTimes: number[] | Float64Array;
  recoveries: number[] | Float64Array;
  detections: number[] | Float64Array;
  unrecovered: number;
  rollbacksTriggered: number;
  rollbacksOk: number;
  passedPolicy: number;
  passedPolicyThenFailed: number;
  blockedByPolicy: number;
  blockedButGood: number;
  rework: number;
  /** Stage spans in seconds, by pair of stages. */
  stageSpans: StageSpans;
  incidentLinks: (IncidentLink & { at: number })[];
  unlinkedIncidents: (UnlinkedIncident & { at: number })[];
  /** Every finished rollback of the service (any environment), for lifetime counters. */
  rollbacksFinished: { ok: number; failed: number };
  /** Per checklist of `candor gate`. */
  gates: GateQualityCounts[];
};

/**
 * Event types no part of the replay reads: they mark no stage, belong to no deployment, signal
 * no failure, and are not the commit, policy, incident or rollback events read by name. A reader
 * may leave them out (`doraEventTypes`); a new event type is read until it is listed here.
 */
export const typesDoraIgnores: ReadonlySet<DeliveryEventType> = new Set<DeliveryEventType>([
  'tests_failed',
  'rollback_drill',
  'release_approved',
  'game_day',
]);

/** The event types the replay reads: every type but `typesDoraIgnores`. */
export const doraEventTypes: readonly DeliveryEventType[] = deliveryEventTypes.filter(
  (type) => !typesDoraIgnores.has(type),
);

/** Feeds one service's events in time order (ties in any order) and returns its partial. */
export type DoraAccumulator = {
  add(event: LedgerEvent): void;
  finish(): DoraPartial;
};

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
): { report: DoraReport; leadTimes: Float64Array; recoveries: Float64Array } {
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

/**
 * An incremental replay of one service's ledger, for streaming reads: it keeps a compact record
 * per deployment, commit and incident, never the events themselves. Events must arrive ordered
 * by `compareEvents`. Pure; never throws.
 */
export function createDoraAccumulator(service: string, options: DoraOptions): DoraAccumulator {
  const deployments = createDeploymentCollector(options);
  const incidents = createIncidentCollector();
  const commits = createCommitTimes();
  const policy = createPolicyDecisions(options);
  const gates = createGateDecisions(options);
  const stages = createStageTimes(options);
  const rollbacks = createRollbackTally();

  return {
    add(event) {
      rollbacks.add(event);
      deployments.add(event);
      stages.add(event);
      incidents.add(event);
      commits.add(event);
      policy.add(event);
      gates.add(event);
    },

    finish() {
      const production = deployments.finish();
      // Linking first: a linked incident is a failure signal of its deployment.
      const linked = linkIncidents(incidents, production, options);
      const measured = production.list.filter((d) => isInWindow(d.startedAt, options));
      const failed = measured.filter(hasFailed);
      const { recoveries, detections, unrecovered } = measureRecovery(failed);
      const rollbacksOfMeasured = countRollbacks(measured);
      return {
        deployments: measured.length,
        failedDeployments: failed.length,
        leadTimes: measureLeadTimes(measured, production.list, commits),
        recoveries,
        detections,
        unrecovered,
        rollbacksTriggered: rollbacksOfMeasured.triggered,
        rollbacksOk: rollbacksOfMeasured.ok,
        ...measurePipelineQuality(measured, production, policy),
        rework: countRework(measured, linked.incidents),
        stageSpans: stages.spans(),
        // The links of the incidents opened in the window.
        incidentLinks: linked.links.filter((l) => isInWindow(l.at, options)),
        unlinkedIncidents: linked.unlinked,
        rollbacksFinished: rollbacks.finished,
        gates: gates.measure(measured, production),
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
} satisfies Partial<Record<DeliveryEventType, number>>;

/**
 * The most heap bytes one event of any type costs the accumulator (`estimateReplayBytes`): an
 * event count times this bounds the estimate from above, without counting by type.
 */
export const maxReplayBytesPerEvent: number = Math.max(
  ...Object.values(replayBytesPerEvent).map((bytes) => bytes ?? 0),
);

/** A rate rounded to 6 decimals; null without a denominator (never 0). */
function ratio(n: number, d: number): number | null {
  return d === 0 ? null : round(n / d, 6);
}

/** Adds up the partials of several services into one report. Pure; never throws. */
export function combineDoraPartials(
  parts: readonly DoraPartial[],
  options: DoraOptions,
): { report: DoraReport; leadTimes: Float64Array; recoveries: Float64Array } {
  const sum = (pick: (p: DoraPartial) => number) => parts.reduce((n, p) => n + pick(p), 0);
  const concat = (pick: (p: DoraPartial) => number[] | Float64Array) => {
    const out = new Float64Array(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += pick(p).length;
    }
    return out;
  };
  const leadTimes = concat((p) => p.leadTimes);
  const recoveries = concat((p) => p.recoveries);
  const deployments = sum((p) => p.deployments);
  const failed = sum((p) => p.failedDeployments);
  const days = (options.to - options.from) / dayMs;
  const report: DoraReport = {
    window: {
      from: new Date(options.from).toISOString(),
      to: new Date(options.to).toISOString(),
      days: round(days, 3),
    },
    environment: options.environment,
    deployments,
    deploymentFrequencyPerDay: days <= 0 ? 0 : round(deployments / days, 6),
    changeFailureRate: ratio(failed, deployments),
    failedDeployments: failed,
    leadTimeSeconds: durationStats(leadTimes),
    recoveryTimeSeconds: durationStats(recoveries),
    unrecoveredFailures: sum((p) => p.unrecovered),
    timeToDetectSeconds: durationStatsInPlace(concat((p) => p.detections)),
    rollbackSuccessRate: ratio(
      sum((p) => p.rollbacksOk),
      sum((p) => p.rollbacksTriggered),
    ),
    falsePositiveRate: ratio(
      sum((p) => p.blockedButGood),
      sum((p) => p.blockedByPolicy),
    ),
    falseNegativeRate: ratio(
      sum((p) => p.passedPolicyThenFailed),
      sum((p) => p.passedPolicy),
    ),
    reworkRate: ratio(
      sum((p) => p.rework),
      deployments,
    ),
    stageLatency: summariseStageSpans(mergeStageSpans(parts.map((p) => p.stageSpans))),
    incidentLinks: parts
      .flatMap((p) => p.incidentLinks)
      .sort((a, b) => a.at - b.at || compareText(a.incident, b.incident))
      .map(({ incident, deployment, link }) => ({ incident, deployment, link })),
    unlinkedIncidents: parts
      .flatMap((p) => p.unlinkedIncidents)
      .sort((a, b) => a.at - b.at || compareText(a.incident, b.incident))
      .map(({ incident, openedAt, reason }) => ({ incident, openedAt, reason })),
    gates: combineGateQuality(parts.map((p) => p.gates)),
  };
  return { report, leadTimes, recoveries };
}
