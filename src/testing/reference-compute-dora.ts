// Test support: the ledger replay as it stood before the streaming accumulator (issue 7), kept as
// the reference the accumulator must agree with on generated ledgers. Not used by candor itself.
import { compareText } from '../core/lib/compare-text.ts';
import type { DeliveryEventType } from '../core/delivery/event-kinds.ts';
import { durationStats, quantile } from '../core/lib/stats.ts';
import type {
  DoraOptions,
  DoraReport,
  IncidentLink,
  LedgerEvent,
  StageLatency,
  UnlinkedIncident,
} from '../core/delivery/dora/compute-dora.ts';

type Deployment = {
  key: string;
  id: string;
  service: string;
  environment: string;
  commit: string | null;
  commits: string[] | null;
  team: string | null;
  startedAt: number;
  deployedAt: number | null;
  failureSignals: number[];
  rollbackTriggered: number[];
  rollbackFinished: { at: number; ok: boolean }[];
  rework: boolean;
  incidents: { opened: number; resolved: number | null }[];
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
const pipelineStages: DeliveryEventType[] = [
  'commit_created',
  'artifact_built',
  'tests_passed',
  'security_scanned',
  'policy_passed',
  'deploy_started',
  'canary_promoted',
];

const seconds = (ms: number) => ms / 1_000;
const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1e6) / 1e6);

/**
 * DORA metrics and pipeline quality from the ledger, by the definitions in DEFINITIONS.md.
 * Arrival order never matters: everything is ordered by `at`. Pure; never throws.
 */
export function referenceComputeDora(
  allEvents: readonly LedgerEvent[],
  options: DoraOptions,
): DoraReport {
  return referenceComputeDoraSamples(allEvents, options).report;
}

/** `computeDora` with the individual durations behind its summaries (for histograms). */
export function referenceComputeDoraSamples(
  allEvents: readonly LedgerEvent[],
  options: DoraOptions,
): { report: DoraReport; leadTimes: number[]; recoveries: number[] } {
  const events = [...allEvents].sort((a, b) => a.at - b.at || compareText(a.type, b.type));
  const inService = (e: LedgerEvent) =>
    options.service === undefined || e.service === options.service;

  // Deployments, keyed by (service, environment, deployment id or commit).
  const deployments = new Map<string, Deployment>();
  for (const event of events) {
    if (!deploymentEvents.has(event.type) || !inService(event)) continue;
    const id = event.deployment ?? event.commit;
    if (id === null) continue;
    const environment = event.environment ?? 'production';
    const key = `${event.service}\0${environment}\0${id}`;
    let deployment = deployments.get(key);
    if (!deployment) {
      if (
        event.type !== 'deploy_started' &&
        event.type !== 'canary_started' &&
        event.type !== 'deploy_finished'
      )
        continue;
      deployment = {
        key,
        id,
        service: event.service,
        environment,
        commit: event.commit,
        commits: event.commits,
        team: typeof event.attributes?.['team'] === 'string' ? event.attributes['team'] : null,
        startedAt: event.at,
        deployedAt: null,
        failureSignals: [],
        rollbackTriggered: [],
        rollbackFinished: [],
        rework: false,
        incidents: [],
      };
      deployments.set(key, deployment);
    }
    deployment.commit ??= event.commit;
    deployment.commits ??= event.commits;
    if (event.attributes?.['rework'] === true || event.attributes?.['hotfix'] === true)
      deployment.rework = true;
    switch (event.type) {
      case 'canary_promoted':
        deployment.deployedAt ??= event.at;
        break;
      case 'deploy_finished':
        if (event.result === 'failure') deployment.failureSignals.push(event.at);
        else deployment.deployedAt ??= event.at;
        break;
      case 'canary_failed':
        deployment.failureSignals.push(event.at);
        break;
      case 'rollback_triggered':
        deployment.rollbackTriggered.push(event.at);
        deployment.failureSignals.push(event.at);
        break;
      case 'rollback_finished':
        deployment.rollbackFinished.push({ at: event.at, ok: event.result !== 'failure' });
        break;
      default:
        break;
    }
  }
  const production = [...deployments.values()]
    .filter((d) => d.environment === options.environment)
    .filter((d) => options.team === undefined || d.team === options.team)
    .sort((a, b) => a.startedAt - b.startedAt || compareText(a.key, b.key));
  const byService = new Map<string, Deployment[]>();
  for (const d of production) {
    const list = byService.get(d.service) ?? [];
    list.push(d);
    byService.set(d.service, list);
  }

  // Incidents: explicit link (deployment id, commit) first, else the latest production deployment
  // of the service that started within the incident window before it opened.
  const incidentLinks: IncidentLink[] = [];
  const unlinkedIncidents: UnlinkedIncident[] = [];
  const resolvedAt = new Map<string, number>();
  for (const e of events)
    if (e.type === 'incident_resolved' && e.incident !== null)
      resolvedAt.set(`${e.service}\0${e.incident}`, e.at);
  const openIncidents: { service: string; opened: number; resolved: number | null }[] = [];
  for (const e of events) {
    if (e.type !== 'incident_opened' || !inService(e)) continue;
    const resolved =
      e.incident === null ? null : (resolvedAt.get(`${e.service}\0${e.incident}`) ?? null);
    openIncidents.push({ service: e.service, opened: e.at, resolved });
    const candidates = byService.get(e.service) ?? [];
    let target = candidates.find(
      (d) =>
        (e.deployment !== null && d.id === e.deployment) ||
        (e.commit !== null && (d.commit === e.commit || (d.commits ?? []).includes(e.commit))),
    );
    let link: 'explicit' | 'inferred' = 'explicit';
    if (!target && e.deployment === null && e.commit === null) {
      target = candidates
        .filter((d) => d.startedAt <= e.at && e.at - d.startedAt <= options.incidentWindowMs)
        .at(-1);
      link = 'inferred';
    }
    if (!target) {
      if (e.at >= options.from && e.at <= options.to)
        unlinkedIncidents.push({
          incident: e.incident ?? `(unnamed at ${new Date(e.at).toISOString()})`,
          openedAt: new Date(e.at).toISOString(),
          reason:
            e.deployment !== null
              ? 'unknown-deployment'
              : e.commit !== null
                ? 'unknown-commit'
                : 'no-recent-deployment',
        });
      continue;
    }
    if (e.at >= options.from && e.at <= options.to)
      incidentLinks.push({
        incident: e.incident ?? `(unnamed at ${new Date(e.at).toISOString()})`,
        deployment: target.id,
        link,
      });
    target.incidents.push({ opened: e.at, resolved });
    if (
      (link === 'explicit' || e.at - target.startedAt <= options.incidentWindowMs) &&
      e.at >= target.startedAt
    )
      target.failureSignals.push(e.at);
  }

  const inWindow = production.filter(
    (d) => d.startedAt >= options.from && d.startedAt <= options.to,
  );
  const failed = inWindow.filter((d) => d.failureSignals.length > 0);

  // Lead time: first commit of the change → deployed in production.
  const commitTimes = new Map<string, number>();
  const serviceCommitTimes = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'commit_created' || e.commit === null) continue;
    const id = `${e.service}\0${e.commit}`;
    if (!commitTimes.has(id)) commitTimes.set(id, e.at);
    const times = serviceCommitTimes.get(e.service) ?? [];
    times.push(e.at); // events are sorted, so each list is too
    serviceCommitTimes.set(e.service, times);
  }
  const leadTimes: number[] = [];
  for (const d of inWindow) {
    if (d.deployedAt === null) continue;
    const first = firstCommitOfChange(
      d,
      byService.get(d.service) ?? [],
      commitTimes,
      serviceCommitTimes.get(d.service) ?? [],
    );
    if (first !== undefined) leadTimes.push(seconds(d.deployedAt - first));
  }

  const recovery: number[] = [];
  const detect: number[] = [];
  let unrecovered = 0;
  for (const d of failed) {
    const firstFailure = Math.min(...d.failureSignals);
    detect.push(seconds(firstFailure - d.startedAt));
    const rolledBack = d.rollbackFinished
      .filter((r) => r.ok && r.at >= firstFailure)
      .map((r) => r.at);
    const resolved = d.incidents
      .map((i) => i.resolved)
      .filter((t): t is number => t !== null && t >= firstFailure);
    const restorations = [...rolledBack, ...resolved];
    const restored = restorations.length > 0 ? Math.min(...restorations) : null;
    if (restored === null) unrecovered++;
    else recovery.push(seconds(restored - firstFailure));
  }

  const rollbacksTriggered = inWindow.reduce((n, d) => n + d.rollbackTriggered.length, 0);
  const rollbacksOk = inWindow.reduce(
    (n, d) => n + d.rollbackFinished.filter((r) => r.ok).length,
    0,
  );

  // Pipeline quality: policy decisions against what happened in production.
  const policyPassed = new Map<string, number>();
  const policyFailed = new Map<string, number>();
  for (const e of events) {
    if (e.commit === null || !inService(e)) continue;
    const id = `${e.service}\0${e.commit}`;
    if (e.type === 'policy_passed' && !policyPassed.has(id)) policyPassed.set(id, e.at);
    if (
      e.type === 'policy_failed' &&
      e.at >= options.from &&
      e.at <= options.to &&
      !policyFailed.has(id)
    )
      policyFailed.set(id, e.at);
  }
  const passedPolicy = inWindow.filter(
    (d) =>
      d.commit !== null &&
      (policyPassed.get(`${d.service}\0${d.commit}`) ?? Infinity) <= d.startedAt,
  );
  let blockedButGood = 0;
  for (const [id, at] of policyFailed) {
    const [service, commit] = id.split('\0') as [string, string];
    const shipped = (byService.get(service) ?? []).filter(
      (d) => d.commit === commit && d.startedAt >= at,
    );
    if (shipped.length > 0 && shipped.every((d) => d.failureSignals.length === 0)) blockedButGood++;
  }

  // Per gate: the same decisions, keyed by checklist as well.
  const checklistOf = (e: LedgerEvent) =>
    typeof e.attributes?.['checklist'] === 'string' && e.attributes['checklist'] !== ''
      ? e.attributes['checklist']
      : '(unnamed)';
  const gatePassed = new Map<string, number>();
  const gateFailed = new Map<string, { at: number; failing: string[] }>();
  const checklists = new Set<string>();
  for (const e of events) {
    if (e.commit === null || !inService(e)) continue;
    if (e.type !== 'policy_passed' && e.type !== 'policy_failed') continue;
    const id = `${e.service}\0${checklistOf(e)}\0${e.commit}`;
    if (e.type === 'policy_passed') {
      checklists.add(checklistOf(e));
      if (!gatePassed.has(id)) gatePassed.set(id, e.at);
    } else if (e.at >= options.from && e.at <= options.to) {
      checklists.add(checklistOf(e));
      const failing = Array.isArray(e.attributes?.['failing'])
        ? (e.attributes['failing'] as unknown[]).filter((n): n is string => typeof n === 'string')
        : [];
      if (!gateFailed.has(id)) gateFailed.set(id, { at: e.at, failing });
    }
  }
  const gates = [...checklists].sort(compareText).map((checklist) => {
    const passed = inWindow.filter(
      (d) =>
        d.commit !== null &&
        (gatePassed.get(`${d.service}\0${checklist}\0${d.commit}`) ?? Infinity) <= d.startedAt,
    );
    const blocked = [...gateFailed].filter(([id]) => id.split('\0')[1] === checklist);
    const conditions = new Map<string, number>();
    let blockedThenShipped = 0;
    for (const [id, { at, failing }] of blocked) {
      const [service, , commit] = id.split('\0') as [string, string, string];
      const shipped = (byService.get(service) ?? []).filter(
        (d) => d.commit === commit && d.startedAt >= at,
      );
      if (shipped.length === 0 || shipped.some((d) => d.failureSignals.length > 0)) continue;
      blockedThenShipped++;
      for (const name of failing) conditions.set(name, (conditions.get(name) ?? 0) + 1);
    }
    const passedThenFailed = passed.filter((d) => d.failureSignals.length > 0).length;
    return {
      checklist,
      blocked: blocked.length,
      blockedThenShipped,
      trueCatches: blocked.length - blockedThenShipped,
      passed: passed.length,
      passedThenFailed,
      falsePositiveShare: ratio(blockedThenShipped, blocked.length),
      falseNegativeShare: ratio(passedThenFailed, passed.length),
      falsePositiveConditions: [...conditions]
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count || compareText(a.name, b.name))
        .slice(0, 10),
    };
  });

  const rework = inWindow.filter(
    (d) =>
      d.rework ||
      openIncidents.some(
        (i) =>
          i.service === d.service &&
          i.opened <= d.startedAt &&
          (i.resolved === null || i.resolved > d.startedAt),
      ),
  );

  const days = (options.to - options.from) / 86_400_000;
  const report: DoraReport = {
    window: {
      from: new Date(options.from).toISOString(),
      to: new Date(options.to).toISOString(),
      days: Math.round(days * 1000) / 1000,
    },
    environment: options.environment,
    deployments: inWindow.length,
    deploymentFrequencyPerDay: days <= 0 ? 0 : Math.round((inWindow.length / days) * 1e6) / 1e6,
    changeFailureRate: ratio(failed.length, inWindow.length),
    failedDeployments: failed.length,
    leadTimeSeconds: durationStats(leadTimes),
    recoveryTimeSeconds: durationStats(recovery),
    unrecoveredFailures: unrecovered,
    timeToDetectSeconds: durationStats(detect),
    rollbackSuccessRate: ratio(rollbacksOk, rollbacksTriggered),
    falsePositiveRate: ratio(blockedButGood, policyFailed.size),
    falseNegativeRate: ratio(
      passedPolicy.filter((d) => d.failureSignals.length > 0).length,
      passedPolicy.length,
    ),
    reworkRate: ratio(rework.length, inWindow.length),
    stageLatency: stageLatency(events.filter(inService), options),
    incidentLinks,
    unlinkedIncidents,
    gates,
  };
  return { report, leadTimes, recoveries: recovery };
}

/**
 * Time of the first commit of a deployment's change: the earliest of its `commits` when given;
 * else the service's first commit after the previous production deployment's commit, up to its
 * own commit. Undefined when no commit time is known. Binary search over the sorted commit times.
 */
function firstCommitOfChange(
  d: Deployment,
  serviceDeployments: Deployment[],
  commitTimes: Map<string, number>,
  sortedCommitTimes: number[],
): number | undefined {
  const timeOf = (sha: string) => commitTimes.get(`${d.service}\0${sha}`);
  if (d.commits !== null && d.commits.length > 0) {
    const times = d.commits.map(timeOf).filter((t): t is number => t !== undefined);
    return times.length === 0 ? undefined : Math.min(...times);
  }
  if (d.commit === null) return undefined;
  const own = timeOf(d.commit);
  if (own === undefined) return undefined;
  let after = -Infinity;
  for (let i = serviceDeployments.indexOf(d) - 1; i >= 0; i--) {
    const previous = serviceDeployments[i] as Deployment;
    if (previous.commit !== null && previous.commit !== d.commit) {
      after = timeOf(previous.commit) ?? -Infinity;
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

function stageLatency(events: readonly LedgerEvent[], options: DoraOptions): StageLatency[] {
  const environment = options.environment;
  const firstAt = new Map<string, Map<DeliveryEventType, number>>();
  for (const e of events) {
    // A canary start is the change's production deployment starting.
    const type: DeliveryEventType = e.type === 'canary_started' ? 'deploy_started' : e.type;
    if (e.commit === null || !pipelineStages.includes(type)) continue;
    if (
      (type === 'deploy_started' || type === 'canary_promoted') &&
      (e.environment ?? 'production') !== environment
    )
      continue;
    const id = `${e.service}\0${e.commit}`;
    const stages = firstAt.get(id) ?? new Map<DeliveryEventType, number>();
    if (!stages.has(type)) stages.set(type, e.at);
    firstAt.set(id, stages);
  }
  // Consecutive stages a change went through (a pipeline without, say, a security scan skips it).
  const spans = new Map<
    string,
    { from: DeliveryEventType; to: DeliveryEventType; values: number[] }
  >();
  for (const stages of firstAt.values()) {
    const present = pipelineStages.filter((stage) => stages.has(stage));
    for (let i = 0; i + 1 < present.length; i++) {
      const from = present[i] as DeliveryEventType;
      const to = present[i + 1] as DeliveryEventType;
      const end = stages.get(to) as number;
      const span = end - (stages.get(from) as number);
      // A span counts in the window its later stage falls in.
      if (span < 0 || end < options.from || end > options.to) continue;
      const key = `${from}>${to}`;
      const entry = spans.get(key) ?? { from, to, values: [] };
      entry.values.push(seconds(span));
      spans.set(key, entry);
    }
  }
  return [...spans.values()]
    .sort(
      (a, b) =>
        pipelineStages.indexOf(a.from) - pipelineStages.indexOf(b.from) ||
        pipelineStages.indexOf(a.to) - pipelineStages.indexOf(b.to),
    )
    .map(({ from, to, values }) => {
      const sorted = values.sort((x, y) => x - y);
      return {
        from,
        to,
        p50: Math.round(quantile(sorted, 0.5) * 1000) / 1000,
        p90: Math.round(quantile(sorted, 0.9) * 1000) / 1000,
        count: sorted.length,
      };
    });
}
