import { compareText } from '../../core/lib/compare-text.ts';
import { toSeconds } from '../../core/lib/time.ts';
import type { DoraOptions, DoraPartial } from '../../core/delivery/dora/compute-dora.ts';
import { isInWindow } from '../../core/delivery/dora/dora-options.ts';
import { judgeBlocks, type GateQualityCounts } from '../../core/delivery/dora/gate-quality.ts';
import {
  incidentName,
  unlinkedIncident,
  type IncidentLink,
  type UnlinkedIncident,
} from '../../core/delivery/dora/link-incidents.ts';
import { stageSpansOfPairs } from '../../core/delivery/dora/stage-latency.ts';
import { pipelineStages } from '../../core/delivery/event-kinds.ts';
import {
  countGatePasses,
  countUnmarkedStarts,
  doraKeyText,
  findDoraDeployments,
  findDoraDeploymentsWithCommit,
  findLatestDoraStarts,
  listDoraChecklists,
  readDailyDeployments,
  readDailySpans,
  listSpanPairs,
  countOfBytes,
  writeSecondsOf,
  readFailedInWindow,
  readIncidentsSince,
  readPolicyFailures,
  readStageSpans,
  sumDoraWindow,
  type DoraDeploymentRow,
  type DoraIncident,
  type DoraWindowScope,
  type FailedDoraDeployment,
  type LinkableDoraDeployment,
  findLinkableCarrying,
} from '../../store/repositories/delivery/dora-projection.repository.ts';
import type { Store } from '../../store/open-store.ts';

// One service's part of a DORA report from the projections (docs/adr/0044): the same numbers as
// `createDoraAccumulator` over the service's whole ledger, from sums over the window's rows, the
// few rows that failed, and the incidents and policy blocks, which are few.

/** The earlier-started of two deployments (start order, ties by id). */
function earliest<D extends { startedAt: number; deployment: string }>(
  a: D | undefined,
  b: D | undefined,
): D | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.startedAt < a.startedAt ||
    (b.startedAt === a.startedAt && compareText(b.deployment, a.deployment) < 0)
    ? b
    : a;
}

/** What linked incidents do to a deployment: failure signals and resolutions. */
type Touch = { signals: number[]; resolutions: (number | null)[] };

/** An incident's production deployment, and how it was linked (none: unlinked). */
type LinkedTarget = { target: FailedDoraDeployment | undefined; link: IncidentLink['link'] };

/** The incidents of a service that can touch windows starting at or after some time, linked. */
export type LinkedIncidents = { incidents: DoraIncident[]; targets: LinkedTarget[] };

/**
 * Links the incidents that can touch windows from `from` on (opened since, or still open then)
 * to the production deployments of `options.environment`, by the rules of `linkIncidents`, in
 * opening order. A link does not depend on the window: several windows of one service, the
 * earliest `from` given, share one. Throws what the store throws.
 */
export async function linkProjectedIncidents(
  store: Store,
  options: { service: string; environment: string; incidentWindowMs: number },
  from: number,
): Promise<LinkedIncidents> {
  const { db } = store;
  const { service } = options;
  const incidents = (await readIncidentsSince(db, service, from)).sort((a, b) => a.at - b.at);
  const named = await findDoraDeployments(
    store,
    db,
    incidents.flatMap((i) =>
      i.deployment === null
        ? []
        : [{ service, environment: options.environment, deployment: i.deployment }],
    ),
  );
  const carriers = new Map<string, LinkableDoraDeployment>();
  const shas = incidents.flatMap((i) => (i.commit === null ? [] : [i.commit]));
  for (const d of await findLinkableCarrying(
    store,
    db,
    { service, environment: options.environment },
    shas,
  ))
    for (const sha of new Set([d.commit, ...(d.commits ?? [])]))
      if (sha !== null) carriers.set(sha, earliest(carriers.get(sha), d) as LinkableDoraDeployment);
  const targets: LinkedTarget[] = [];
  for (const e of incidents) {
    let target = earliest<FailedDoraDeployment>(
      e.deployment === null
        ? undefined
        : named.get(
            doraKeyText({ service, environment: options.environment, deployment: e.deployment }),
          ),
      e.commit === null ? undefined : carriers.get(e.commit),
    );
    let link: IncidentLink['link'] = 'explicit';
    if (!target && e.deployment === null && e.commit === null) {
      link = 'inferred';
      // Only an inference within the incident window links; the latest start, ties by id.
      const latest = (
        await findLatestDoraStarts(db, { service, environment: options.environment }, e.at)
      ).reduce<DoraDeploymentRow | undefined>(
        (best, d) =>
          best === undefined || compareText(d.deployment, best.deployment) > 0 ? d : best,
        undefined,
      );
      if (latest && e.at - latest.startedAt <= options.incidentWindowMs) target = latest;
    }
    targets.push({ target, link });
  }
  return { incidents, targets };
}

/**
 * One service's `DoraPartial` for a window without a team filter, read from the projections;
 * `linked` from `linkProjectedIncidents` with a `from` at or before the window's (else linked
 * here). Throws what the store throws.
 */
export async function readProjectedDoraPartial(
  store: Store,
  service: string,
  options: DoraOptions,
  linked?: LinkedIncidents,
  {
    headlineOnly = false,
    shared,
  }: { headlineOnly?: boolean; shared?: SharedDoraReads | undefined } = {},
): Promise<DoraPartial> {
  const db = store.db;
  const reads = shared ?? directReads(store);
  const scope: DoraWindowScope = {
    service,
    environment: options.environment,
    from: options.from,
    to: options.to,
  };
  const split = splitByDays(options.from, options.to + 1);
  const dailies = split.days
    ? await reads.dailyDeployments(
        { service, environment: options.environment },
        split.days.first,
        split.days.last,
      )
    : [];
  const edgeSums = [];
  for (const edge of split.edges)
    edgeSums.push(await reads.windowSums({ ...scope, ...inclusive(edge) }));
  const sums = {
    deployments: 0,
    rework: 0,
    rollbacksTriggered: 0,
    rollbacksOk: 0,
    policyPassed: 0,
  };
  for (const part of [...dailies, ...edgeSums]) {
    sums.deployments += part.deployments;
    sums.rework += part.rework;
    sums.rollbacksTriggered += part.rollbacksTriggered;
    sums.rollbacksOk += part.rollbacksOk;
    sums.policyPassed += part.policyPassed;
  }
  // Lead times in seconds, straight into one typed array (no per-value objects to collect).
  const leadTimes = new Float64Array(
    dailies.reduce((n, d) => n + countOfBytes(d.leads), 0) +
      edgeSums.reduce((n, e) => n + e.leadMs.length, 0),
  );
  let filled = 0;
  for (const d of dailies) filled = writeSecondsOf(d.leads, leadTimes, filled);
  for (const e of edgeSums) for (const ms of e.leadMs) leadTimes[filled++] = toSeconds(ms);

  // Incidents and their deployments (link-incidents.ts), for those that can touch the window.
  const linking =
    linked ?? (await linkProjectedIncidents(store, { ...options, service }, options.from));
  const { incidents, targets } = linking;
  const { touched, signalsOf, resolutionsOf } = touchesOf(linking, options.incidentWindowMs);
  const links: (IncidentLink & { at: number })[] = [];
  const unlinked: (UnlinkedIncident & { at: number })[] = [];
  // The window's own incidents: `incidents` is in opening order.
  for (let index = firstAtOrAfter(incidents, options.from); index < incidents.length; index++) {
    const e = incidents[index] as DoraIncident;
    if (e.at > options.to) break;
    const { target, link } = targets[index] as LinkedTarget;
    if (!target) unlinked.push(unlinkedIncident(e));
    else links.push({ incident: incidentName(e), deployment: target.deployment, link, at: e.at });
  }
  const firstFailureOf = (d: FailedDoraDeployment): number => {
    let first = d.firstFailure ?? Infinity;
    const signals = signalsOf.get(d.deployment);
    if (signals !== undefined) for (const at of signals) if (at < first) first = at;
    return first;
  };

  // Failed deployments of the window: own signals, or a linked incident (recovery.ts). One
  // service and environment: a deployment's name is its key.
  const candidates = new Map<string, FailedDoraDeployment>();
  for (const d of await reads.failedInWindow(scope)) candidates.set(d.deployment, d);
  for (const [deployment, { row }] of touched)
    if (isInWindow(row.startedAt, options)) candidates.set(deployment, row);
  const failed: FailedDoraDeployment[] = [];
  const recoveries: number[] = [];
  const detections: number[] = [];
  let unrecovered = 0;
  for (const d of candidates.values()) {
    const first = firstFailureOf(d);
    if (first === Infinity) continue;
    failed.push(d);
    detections.push(toSeconds(first - d.startedAt));
    let restored = Infinity;
    for (const at of d.rollbacksOk) if (at >= first && at < restored) restored = at;
    for (const at of resolutionsOf.get(d.deployment) ?? [])
      if (at !== null && at >= first && at < restored) restored = at;
    if (restored === Infinity) unrecovered++;
    else recoveries.push(toSeconds(restored - first));
  }

  // Rework (rework.ts): marked, or started while an incident of the service was open.
  let rework = sums.rework;
  const unmarkedOn = new Map(dailies.map((d) => [d.day, d.deployments - d.rework]));
  for (const interval of openIntervals(incidents, options)) {
    const parts = splitByDays(interval.from, interval.to);
    if (parts.days)
      for (let day = parts.days.first; day <= parts.days.last; day += dayMs)
        rework += unmarkedOn.get(day) ?? 0;
    for (const edge of parts.edges)
      rework += await countUnmarkedStarts(
        db,
        { service, environment: options.environment },
        edge.from,
        edge.to,
      );
  }

  // Policy and gates, and stage latency: only when more than the headline numbers are asked for.
  const quality = headlineOnly
    ? { blockedByPolicy: 0, blockedButGood: 0, gates: [] }
    : await readPolicyQuality(store, scope, failed, firstFailureOf, split, dailies);
  const stageSpans = headlineOnly
    ? stageSpansOfPairs([])
    : await readWindowStageSpans(store, scope, split);

  return {
    deployments: sums.deployments,
    failedDeployments: failed.length,
    leadTimes,
    recoveries,
    detections,
    unrecovered,
    rollbacksTriggered: sums.rollbacksTriggered,
    rollbacksOk: sums.rollbacksOk,
    passedPolicy: sums.policyPassed,
    passedPolicyThenFailed: failed.filter((d) => d.passedChecklists.length > 0).length,
    blockedByPolicy: quality.blockedByPolicy,
    blockedButGood: quality.blockedButGood,
    rework,
    stageSpans,
    incidentLinks: links,
    unlinkedIncidents: unlinked,
    rollbacksFinished: { ok: 0, failed: 0 },
    gates: quality.gates,
  };
}

/** What the incidents of a linking do to their deployments; the same for every window. */
type Touches = {
  /** By deployment name. */
  touched: Map<string, { row: FailedDoraDeployment; touch: Touch }>;
  signalsOf: Map<string, number[]>;
  resolutionsOf: Map<string, (number | null)[]>;
};

const touchesByLinking = new WeakMap<LinkedIncidents, Map<number, Touches>>();

/**
 * The deployments a linking's incidents touch, with the failure signals (an explicit link, or
 * one within `incidentWindowMs` of the start) and resolutions each brings: worked out once per
 * linking and incident window, since the windows of a report share both (docs/adr/0048).
 */
function touchesOf(linking: LinkedIncidents, incidentWindowMs: number): Touches {
  let byWindow = touchesByLinking.get(linking);
  if (byWindow === undefined)
    touchesByLinking.set(linking, (byWindow = new Map<number, Touches>()));
  const known = byWindow.get(incidentWindowMs);
  if (known !== undefined) return known;
  const touched = new Map<string, { row: FailedDoraDeployment; touch: Touch }>();
  for (const [index, e] of linking.incidents.entries()) {
    const { target, link } = linking.targets[index] as LinkedTarget;
    if (!target) continue;
    // The linking's service and environment: a deployment's name is its key.
    let entry = touched.get(target.deployment);
    if (!entry)
      touched.set(
        target.deployment,
        (entry = { row: target, touch: { signals: [], resolutions: [] } }),
      );
    entry.touch.resolutions.push(e.resolved);
    if (
      e.at >= target.startedAt &&
      (link === 'explicit' || e.at - target.startedAt <= incidentWindowMs)
    )
      entry.touch.signals.push(e.at);
  }
  // Only the deployments incidents touched have signals besides their own.
  const signalsOf = new Map<string, number[]>();
  const resolutionsOf = new Map<string, (number | null)[]>();
  for (const [, { row, touch }] of touched) {
    signalsOf.set(row.deployment, touch.signals);
    resolutionsOf.set(row.deployment, touch.resolutions);
  }
  const touches = { touched, signalsOf, resolutionsOf };
  byWindow.set(incidentWindowMs, touches);
  return touches;
}

/** The index of the first incident opened at or after `at` (incidents in opening order). */
function firstAtOrAfter(incidents: readonly DoraIncident[], at: number): number {
  let lo = 0;
  let hi = incidents.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((incidents[mid] as DoraIncident).at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type DayRange = ReturnType<typeof splitByDays>;

type DailyDeployments = Awaited<ReturnType<typeof readDailyDeployments>>;
type WindowSums = Awaited<ReturnType<typeof sumDoraWindow>>;

/**
 * The projection reads that several windows of one report call share (`createSharedDoraReads`),
 * each answering what its repository function answers for the window asked.
 */
export type SharedDoraReads = {
  dailyDeployments(
    scope: { service: string; environment: string },
    first: number,
    last: number,
  ): Promise<DailyDeployments>;
  windowSums(scope: DoraWindowScope): Promise<WindowSums>;
  failedInWindow(scope: DoraWindowScope): Promise<FailedDoraDeployment[]>;
};

/** Each read straight from the store. */
function directReads(store: Store): SharedDoraReads {
  return {
    dailyDeployments: (scope, first, last) => readDailyDeployments(store.db, scope, first, last),
    windowSums: (scope) => sumDoraWindow(store, store.db, scope),
    failedInWindow: (scope) => readFailedInWindow(store.db, scope),
  };
}

/**
 * Reads shared by windows that all lie within `union` (a window, its previous window and its
 * weeks): a service's daily sums and failed deployments are read once for the whole union and
 * cut to each window here; the sums of a part-day edge are read once per edge (a window and its
 * first and last weeks share theirs). Never throws but for the store.
 */
export function createSharedDoraReads(
  store: Store,
  union: { from: number; to: number },
): SharedDoraReads {
  const direct = directReads(store);
  const unionDays = splitByDays(union.from, union.to + 1).days;
  const dailies = new Map<string, Promise<DailyDeployments>>();
  const failed = new Map<string, Promise<FailedDoraDeployment[]>>();
  const sums = new Map<string, Promise<WindowSums>>();
  const keyOf = (scope: { service: string; environment: string }) =>
    `${scope.service}\0${scope.environment}`;
  const isInside = (from: number, to: number) => from >= union.from && to <= union.to;
  return {
    async dailyDeployments(scope, first, last) {
      if (unionDays === undefined || first < unionDays.first || last > unionDays.last)
        return direct.dailyDeployments(scope, first, last);
      const key = keyOf(scope);
      let all = dailies.get(key);
      if (all === undefined) {
        all = direct.dailyDeployments(scope, unionDays.first, unionDays.last);
        dailies.set(key, all);
      }
      return (await all).filter((d) => d.day >= first && d.day <= last);
    },
    windowSums(scope) {
      const key = `${keyOf(scope)}\0${scope.from}\0${scope.to}`;
      let read = sums.get(key);
      if (read === undefined) {
        read = direct.windowSums(scope);
        sums.set(key, read);
      }
      return read;
    },
    async failedInWindow(scope) {
      if (!isInside(scope.from, scope.to)) return direct.failedInWindow(scope);
      const key = keyOf(scope);
      let all = failed.get(key);
      if (all === undefined) {
        all = direct.failedInWindow({ ...scope, from: union.from, to: union.to });
        failed.set(key, all);
      }
      return (await all).filter((d) => d.startedAt >= scope.from && d.startedAt <= scope.to);
    },
  };
}

/**
 * Policy blocks and gate quality of one service's window (pipeline-quality.ts, gate-quality.ts):
 * `failed` are the window's failed deployments, `firstFailureOf` their first failure signal.
 */
async function readPolicyQuality(
  store: Store,
  scope: DoraWindowScope,
  failed: readonly FailedDoraDeployment[],
  firstFailureOf: (d: FailedDoraDeployment) => number,
  split: DayRange,
  dailies: readonly { passes: Record<string, number> }[],
): Promise<Pick<DoraPartial, 'blockedByPolicy' | 'blockedButGood' | 'gates'>> {
  const db = store.db;
  const failures = await readPolicyFailures(store, db, scope);
  const shippedRows = (
    await findDoraDeploymentsWithCommit(
      store,
      db,
      scope.service,
      failures.map((f) => f.commit),
    )
  ).filter((d) => d.environment === scope.environment);
  const goodAfter = (commit: string, at: number): boolean => {
    const shipped = shippedRows.filter((d) => d.commit === commit && d.startedAt >= at);
    return shipped.length > 0 && shipped.every((d) => firstFailureOf(d) === Infinity);
  };
  const firstBlock = new Map<string, number>();
  for (const f of failures) if (!firstBlock.has(f.commit)) firstBlock.set(f.commit, f.at);
  let blockedButGood = 0;
  for (const [commit, at] of firstBlock) if (goodAfter(commit, at)) blockedButGood++;
  const checklists = [
    ...new Set([
      ...(await listDoraChecklists(db, scope.service)),
      ...failures.map((f) => f.checklist),
    ]),
  ];
  const passes = new Map<string, number>();
  const addPasses = (counts: Iterable<[string, number]>) => {
    for (const [checklist, n] of counts) passes.set(checklist, (passes.get(checklist) ?? 0) + n);
  };
  for (const d of dailies) addPasses(Object.entries(d.passes));
  for (const edge of split.edges)
    addPasses(await countGatePasses(db, { ...scope, ...inclusive(edge) }, checklists));
  const gates: GateQualityCounts[] = checklists.map((checklist) => {
    const blocks = new Map<string, { at: number; failing: string[] }>();
    for (const f of failures)
      if (f.checklist === checklist && !blocks.has(f.commit))
        blocks.set(f.commit, { at: f.at, failing: f.failing });
    const judged = judgeBlocks(blocks, goodAfter);
    return {
      checklist,
      blocked: blocks.size,
      blockedThenShipped: judged.blockedThenShipped,
      trueCatches: blocks.size - judged.blockedThenShipped,
      passed: passes.get(checklist) ?? 0,
      passedThenFailed: failed.filter((d) => d.passedChecklists.includes(checklist)).length,
      falsePositiveConditions: judged.falsePositiveConditions,
    };
  });

  return { blockedByPolicy: firstBlock.size, blockedButGood, gates };
}

/** Stage latency of one service's window (stage-latency.ts): every pair of stages, in pipeline order. */
async function readWindowStageSpans(
  store: Store,
  scope: DoraWindowScope,
  split: DayRange,
): Promise<DoraPartial['stageSpans']> {
  const db = store.db;
  const stages = pipelineStages.length;
  const daily = split.days
    ? await readDailySpans(
        db,
        { service: scope.service, environment: scope.environment },
        split.days.first,
        split.days.last,
        stages,
      )
    : new Map<number, Uint8Array[]>();
  const edgeSpans = new Map<number, number[]>();
  // Every span has its day's row: the pairs a service has spans of are those of its days.
  const present =
    split.edges.length === 0
      ? []
      : await listSpanPairs(db, { service: scope.service, environment: scope.environment }, stages);
  for (const edge of split.edges)
    for (const key of present) {
      const [from, to] = [Math.floor(key / stages), key % stages];
      const spans = await readStageSpans(store, db, { ...scope, ...inclusive(edge) }, from, to);
      if (spans.length === 0) continue;
      const list = edgeSpans.get(key);
      if (list) for (const ms of spans) list.push(ms);
      else edgeSpans.set(key, spans);
    }
  const pairs = [...new Set([...daily.keys(), ...edgeSpans.keys()])].map((key) => {
    const blobs = daily.get(key) ?? [];
    const rest = edgeSpans.get(key) ?? [];
    const seconds = new Float64Array(blobs.reduce((n, b) => n + countOfBytes(b), 0) + rest.length);
    let at = 0;
    for (const blob of blobs) at = writeSecondsOf(blob, seconds, at);
    for (const ms of rest) seconds[at++] = toSeconds(ms);
    return { from: Math.floor(key / stages), to: key % stages, seconds };
  });

  return stageSpansOfPairs(pairs);
}

const dayMs = 86_400_000;

/** An exclusive range as the inclusive one the window reads take (times are whole ms). */
const inclusive = (range: { from: number; to: number }) => ({ from: range.from, to: range.to - 1 });

/**
 * A range of times [from, to) cut into the whole UTC days inside it (first and last day's
 * midnight, when there is one) and the rest before and after them.
 */
function splitByDays(
  from: number,
  to: number,
): { days: { first: number; last: number } | undefined; edges: { from: number; to: number }[] } {
  const first = Math.ceil(from / dayMs) * dayMs;
  const end = Math.floor(to / dayMs) * dayMs;
  if (first + dayMs > end) return { days: undefined, edges: from < to ? [{ from, to }] : [] };
  const edges: { from: number; to: number }[] = [];
  if (from < first) edges.push({ from, to: first });
  if (end < to) edges.push({ from: end, to });
  return { days: { first, last: end - dayMs }, edges };
}

/**
 * The times incidents were open (opened at or before, resolved after or never), joined where
 * they overlap and clipped to the window: [from, to) ranges of start times (rework.ts).
 */
function openIntervals(
  incidents: readonly { at: number; resolved: number | null }[],
  window: { from: number; to: number },
): { from: number; to: number }[] {
  const merged: { from: number; to: number }[] = [];
  for (const i of [...incidents].sort((a, b) => a.at - b.at)) {
    const until = i.resolved ?? Infinity;
    if (until <= i.at) continue;
    const last = merged.at(-1);
    if (last !== undefined && i.at <= last.to) last.to = Math.max(last.to, until);
    else merged.push({ from: i.at, to: until });
  }
  return merged
    .map((r) => ({ from: Math.max(r.from, window.from), to: Math.min(r.to, window.to + 1) }))
    .filter((r) => r.from < r.to);
}
