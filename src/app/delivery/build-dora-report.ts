import { getHeapStatistics } from 'node:v8';
import { CandorError } from '../../core/lib/candor-error.ts';
import { compareText } from '../../core/lib/compare-text.ts';
import {
  combineDoraPartials,
  compareEvents,
  createDoraAccumulator,
  doraEventTypes,
  type DoraAccumulator,
  type DoraOptions,
  type DoraPartial,
  type DoraReport,
  estimateReplayBytes,
  type LedgerEvent,
  maxReplayBytesPerEvent,
} from '../../core/delivery/dora/compute-dora.ts';
import {
  countLedgerEventsByType,
  countServiceEvents,
  listDeliveryServices,
  streamLedgerEvents,
} from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';
import { splitPeriods, type DoraPeriod } from '../../core/delivery/dora/split-periods.ts';
import { isDoraProjectionReady } from '../../store/repositories/delivery/dora-projection.repository.ts';
import {
  createSharedDoraReads,
  linkProjectedIncidents,
  readProjectedDoraPartial,
  type LinkedIncidents,
} from './read-dora-projections.ts';

export type DoraQuery = {
  now: Date;
  windowMs: number;
  environment: string;
  incidentWindowMs: number;
  service?: string | undefined;
  team?: string | undefined;
  /**
   * Only the headline numbers are wanted (deployments, lead time, change failure, recovery,
   * rework, incident links): read from the projections, the report's stage latency and policy
   * and gate quality are left empty (a replay fills them anyway). For trend periods.
   */
  headlineOnly?: boolean | undefined;
};

/**
 * DORA and pipeline-quality metrics for the window ending now (DEFINITIONS.md). Streams the
 * ledger service by service: memory holds one service's deployments and commits, not its events.
 */
export async function buildDoraReport(store: Store, query: DoraQuery): Promise<DoraReport> {
  return (await buildDoraReports(store, [query]))[0] as DoraReport;
}

/**
 * The reports of several windows, each what `buildDoraReport` answers for it, reading each
 * service's ledger once for all of them (the dashboard asks for a window, its previous window and
 * its weeks). Every report is `computeDora` over the whole ledger: each service's events are
 * replayed, oldest first, into one accumulator per window. When the windows' replays together
 * would not fit the heap, they are replayed one after the other. Throws what `buildDoraReport`
 * throws.
 */
export async function buildDoraReports(
  store: Store,
  queries: readonly DoraQuery[],
): Promise<DoraReport[]> {
  const plans: DoraOptions[] = queries.map((query) => {
    const to = query.now.getTime();
    return {
      from: to - query.windowMs,
      to,
      environment: query.environment,
      incidentWindowMs: query.incidentWindowMs,
      service: query.service,
      team: query.team,
    } satisfies DoraOptions;
  });
  const parts = plans.map((): DoraPartial[] => []);
  const everyService = plans.some((plan) => plan.service === undefined)
    ? await listDeliveryServices(store.db, {})
    : [];
  // Without a team filter, the projections answer (docs/adr/0044); a team's report is replayed.
  const projected = (await isDoraProjectionReady(store.db))
    ? plans.map((plan) => plan.team === undefined)
    : plans.map(() => false);
  // Incident links do not depend on the window: one linking per service, environment and
  // incident window serves all of them, read from the earliest window's start.
  const linkings = new Map<string, Promise<LinkedIncidents>>();
  const earliestFrom = new Map<string, number>();
  const linkKey = (service: string, plan: DoraOptions) =>
    `${service}\0${plan.environment}\0${plan.incidentWindowMs}`;
  for (const [index, plan] of plans.entries())
    if (projected[index])
      for (const service of plan.service !== undefined ? [plan.service] : everyService) {
        const key = linkKey(service, plan);
        earliestFrom.set(key, Math.min(earliestFrom.get(key) ?? Infinity, plan.from));
      }
  // The windows' common reads (daily sums, failed deployments, part-day edges) are made once.
  const shared = createSharedDoraReads(store, {
    from: Math.min(...plans.map((plan) => plan.from)),
    to: Math.max(...plans.map((plan) => plan.to)),
  });
  for (const [index, plan] of plans.entries()) {
    if (!projected[index]) continue;
    for (const service of plan.service !== undefined ? [plan.service] : everyService) {
      const key = linkKey(service, plan);
      let linking = linkings.get(key);
      if (linking === undefined) {
        linking = linkProjectedIncidents(
          store,
          { ...plan, service },
          earliestFrom.get(key) as number,
        );
        linkings.set(key, linking);
      }
      (parts[index] as DoraPartial[]).push(
        await readProjectedDoraPartial(store, service, plan, await linking, {
          headlineOnly: queries[index]?.headlineOnly === true,
          shared,
        }),
      );
    }
  }
  const servicesOf = (plan: DoraOptions) =>
    plan.service !== undefined ? [plan.service] : everyService;
  const services = [...new Set(plans.flatMap(servicesOf))].sort(compareText);
  for (const service of services) {
    const mine = plans.flatMap((plan, index) =>
      !projected[index] && servicesOf(plan).includes(service) ? [{ plan, index }] : [],
    );
    const fitTogether =
      mine.length > 1 && (await replayBytes(store, service, mine.length)) <= replayHeapLimit();
    const groups = fitTogether ? [mine] : mine.map((m) => [m]);
    for (const group of groups) {
      if (group.length === 1) await ensureReplayFits(store, service);
      const accumulators = group.map(({ plan, index }) => ({
        index,
        accumulator: createDoraAccumulator(service, plan),
      }));
      await replay(
        accumulators.map((a) => a.accumulator),
        // Test failures, drills, approvals and game days change no DORA number.
        streamLedgerEvents(store.db, { service, types: doraEventTypes }),
      );
      for (const { index, accumulator } of accumulators)
        (parts[index] as DoraPartial[]).push(accumulator.finish());
    }
  }
  return plans.map(
    (plan, index) => combineDoraPartials(parts[index] as DoraPartial[], plan).report,
  );
}

/** One period of `candor dora --by`: the headline numbers of that week or month. */
export type DoraSeriesEntry = Pick<
  DoraReport,
  | 'window'
  | 'deployments'
  | 'deploymentFrequencyPerDay'
  | 'changeFailureRate'
  | 'failedDeployments'
  | 'leadTimeSeconds'
  | 'recoveryTimeSeconds'
  | 'unrecoveredFailures'
  | 'reworkRate'
>;

/** The JSON of `candor dora --by week|month --json`: the window's report and its trend. */
export type DoraSeries = DoraReport & { by: DoraPeriod; series: DoraSeriesEntry[] };

/**
 * The report of the window ending now, and the same numbers per calendar week or month of it,
 * oldest first (the first and last periods clipped to the window). Each period is measured as a
 * window of its own (DEFINITIONS.md "Trend"). Throws what `buildDoraReport` throws.
 */
export async function buildDoraSeries(
  store: Store,
  query: DoraQuery & { by: DoraPeriod },
): Promise<DoraSeries> {
  return (await buildDoraSeriesWith(store, query, [])).series;
}

/**
 * `buildDoraSeries`, and the reports of `also` (other windows of the same environment and
 * service, such as the previous window), from one read of the ledger per service.
 */
export async function buildDoraSeriesWith(
  store: Store,
  query: DoraQuery & { by: DoraPeriod },
  also: readonly DoraQuery[],
): Promise<{ series: DoraSeries; also: DoraReport[] }> {
  const to = query.now.getTime();
  const periods = splitPeriods({ from: to - query.windowMs, to }, query.by);
  const reports = await buildDoraReports(store, [
    query,
    ...also,
    // A period shows only the headline numbers (`DoraSeriesEntry`).
    ...periods.map((period) => ({
      ...query,
      now: new Date(period.to),
      windowMs: period.to - period.from,
      headlineOnly: true,
    })),
  ]);
  const report = reports[0] as DoraReport;
  const series: DoraSeriesEntry[] = [];
  for (const part of reports.slice(1 + also.length)) {
    series.push({
      window: part.window,
      deployments: part.deployments,
      deploymentFrequencyPerDay: part.deploymentFrequencyPerDay,
      changeFailureRate: part.changeFailureRate,
      failedDeployments: part.failedDeployments,
      leadTimeSeconds: part.leadTimeSeconds,
      recoveryTimeSeconds: part.recoveryTimeSeconds,
      unrecoveredFailures: part.unrecoveredFailures,
      reworkRate: part.reworkRate,
    });
  }
  return {
    series: { ...report, by: query.by, series },
    also: reports.slice(1, 1 + also.length),
  };
}

/**
 * Feeds streamed events to the accumulators in replay order: the store orders by time only, so
 * events of one instant are held back and sorted by type before they go in.
 */
async function replay(
  accumulators: readonly DoraAccumulator[],
  chunks: AsyncIterable<LedgerEvent[]>,
): Promise<void> {
  let instant: LedgerEvent[] = [];
  const flush = () => {
    if (instant.length > 1) instant.sort(compareEvents);
    for (const accumulator of accumulators) for (const event of instant) accumulator.add(event);
    instant = [];
  };
  for await (const chunk of chunks) {
    for (const event of chunk) {
      if (instant.length > 0 && (instant[0] as LedgerEvent).at !== event.at) flush();
      instant.push(event);
    }
  }
  flush();
}

/** Share of the heap one service's replay may take: the rest is for the process and the output. */
const replayHeapShare = 0.5;

/**
 * Refuses, before reading, a replay whose records would not fit in this process's heap.
 * Throws CandorError `limit-exceeded` naming the service and what to do.
 */
function replayHeapLimit(): number {
  return getHeapStatistics().heap_size_limit * replayHeapShare;
}

/** What replaying one service's ledger for `windows` windows at once would hold, from counts. */
async function replayBytes(store: Store, service: string, windows: number): Promise<number> {
  // An index-only count bounds the estimate from above: count by type only when it must.
  const bound =
    windows * maxReplayBytesPerEvent * (await countServiceEvents(store.db, { service }));
  if (bound <= replayHeapLimit()) return bound;
  return windows * estimateReplayBytes(await countLedgerEventsByType(store.db, { service }));
}

async function ensureReplayFits(store: Store, service: string): Promise<void> {
  const available = replayHeapLimit();
  // An index-only count bounds the estimate from above: count by type only when it must.
  if (maxReplayBytesPerEvent * (await countServiceEvents(store.db, { service })) <= available)
    return;
  const counts = await countLedgerEventsByType(store.db, { service });
  const needed = estimateReplayBytes(counts);
  if (needed <= available) return;
  const mb = (bytes: number) => Math.ceil(bytes / 1_048_576);
  const starts = (counts.get('deploy_started') ?? 0) + (counts.get('canary_started') ?? 0);
  throw new CandorError(
    'limit-exceeded',
    `service "${service}" has too many delivery events to replay at once (${starts} deployment starts: about ${mb(needed)} MB needed, ${mb(available)} MB available); pick a service, or run candor with a larger heap (README "Limits")`,
  );
}
