import { getHeapStatistics } from 'node:v8';
import { CandorError } from '../../core/lib/candor-error.ts';
import { compareText } from '../../core/lib/compare-text.ts';
import type { DeliveryEventType } from '../../core/delivery/event-kinds.ts';
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

/** How far before the window commits and earlier deployments are read, to find each change. */
const lookbackMs = 90 * 86_400_000;
/** Before the window, everything is read for this long; further back only what links a change. */
const slackMs = 7 * 86_400_000;
/** Older events that can still matter: commit times, the previous deployment, policy, open incidents. */
const lookbackTypes: DeliveryEventType[] = [
  'commit_created',
  'deploy_started',
  'canary_started',
  'policy_passed',
  'incident_opened',
  'incident_resolved',
];

export type DoraQuery = {
  now: Date;
  windowMs: number;
  environment: string;
  incidentWindowMs: number;
  service?: string | undefined;
  team?: string | undefined;
};

/**
 * DORA and pipeline-quality metrics for the window ending now (DEFINITIONS.md). Streams the
 * ledger service by service: memory holds one service's deployments and commits, not its events.
 */
export async function buildDoraReport(store: Store, query: DoraQuery): Promise<DoraReport> {
  return (await buildDoraReports(store, [query]))[0] as DoraReport;
}

/** What one window's replay reads: lookback types from `readFrom`, everything from `slackFrom`. */
type ReplayPlan = {
  options: DoraOptions;
  readFrom: number;
  slackFrom: number;
  readTo: number;
  services: string[];
};

/**
 * The reports of several windows, each what `buildDoraReport` answers for it, reading each
 * service's ledger once for all of them (the dashboard asks for a window, its previous window and
 * its weeks): every window's accumulator gets exactly the events, in the order, its own replay
 * would read. When the windows' replays together would not fit the heap, they are replayed one
 * after the other. Throws what `buildDoraReport` throws.
 */
export async function buildDoraReports(
  store: Store,
  queries: readonly DoraQuery[],
): Promise<DoraReport[]> {
  const plans: ReplayPlan[] = [];
  for (const query of queries) {
    const to = query.now.getTime();
    const from = to - query.windowMs;
    const readFrom = from - lookbackMs;
    const readTo = to + query.incidentWindowMs + 1;
    plans.push({
      options: {
        from,
        to,
        environment: query.environment,
        incidentWindowMs: query.incidentWindowMs,
        service: query.service,
        team: query.team,
      },
      readFrom,
      slackFrom: from - slackMs,
      readTo,
      services:
        query.service !== undefined
          ? [query.service]
          : await listDeliveryServices(store.db, { from: iso(readFrom), to: iso(readTo) }),
    });
  }
  const parts = plans.map((): DoraPartial[] => []);
  const services = [...new Set(plans.flatMap((plan) => plan.services))].sort(compareText);
  for (const service of services) {
    const mine = plans.flatMap((plan, index) =>
      plan.services.includes(service) ? [{ plan, index }] : [],
    );
    const fitTogether =
      mine.length > 1 &&
      (await replayBytes(
        store,
        service,
        mine.map((m) => m.plan),
      )) <= replayHeapLimit();
    const groups = fitTogether ? [mine] : mine.map((m) => [m]);
    for (const group of groups) {
      const [only] = group;
      if (group.length === 1 && only !== undefined)
        await ensureReplayFits(store, {
          service,
          from: iso(only.plan.readFrom),
          to: iso(only.plan.readTo),
        });
      const readers = group.map(({ plan, index }) => ({
        index,
        accumulator: createDoraAccumulator(service, plan.options),
        // The events this window's own replay reads (see `replayPlan`).
        reads: (event: LedgerEvent) =>
          event.at >= plan.readFrom &&
          event.at < plan.readTo &&
          (event.at >= plan.slackFrom || lookbackTypes.includes(event.type)),
      }));
      const readFrom = Math.min(...group.map((g) => g.plan.readFrom));
      const slackFrom = Math.min(...group.map((g) => g.plan.slackFrom));
      const readTo = Math.max(...group.map((g) => g.plan.readTo));
      await replay(
        readers,
        streamLedgerEvents(store.db, {
          service,
          from: iso(readFrom),
          to: iso(slackFrom),
          types: lookbackTypes,
        }),
      );
      await replay(
        readers,
        streamLedgerEvents(store.db, {
          service,
          from: iso(slackFrom),
          to: iso(readTo),
          // Test failures, drills, approvals and game days change no DORA number.
          types: doraEventTypes,
        }),
      );
      for (const reader of readers)
        (parts[reader.index] as DoraPartial[]).push(reader.accumulator.finish());
    }
  }
  return plans.map(
    (plan, index) => combineDoraPartials(parts[index] as DoraPartial[], plan.options).report,
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

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
    ...periods.map((period) => ({
      ...query,
      now: new Date(period.to),
      windowMs: period.to - period.from,
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
 * Feeds streamed events to the accumulator in replay order: the store orders by time only, so
 * events of one instant are held back and sorted by type before they go in.
 */
async function replay(
  readers: readonly { accumulator: DoraAccumulator; reads: (event: LedgerEvent) => boolean }[],
  chunks: AsyncIterable<LedgerEvent[]>,
): Promise<void> {
  let instant: LedgerEvent[] = [];
  const flush = () => {
    for (const { accumulator, reads } of readers) {
      // A stable sort of the events a reader reads is the subsequence of the sorted instant.
      const mine = readers.length === 1 ? instant : instant.filter(reads);
      if (mine.length > 1) mine.sort(compareEvents);
      for (const event of mine) accumulator.add(event);
    }
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

/** What replaying one service for every plan at once would hold, estimated from counts. */
async function replayBytes(
  store: Store,
  service: string,
  plans: readonly ReplayPlan[],
): Promise<number> {
  // An index-only count bounds the estimate from above: count by type only when it must.
  let bound = 0;
  for (const plan of plans)
    bound +=
      maxReplayBytesPerEvent *
      (await countServiceEvents(store.db, {
        service,
        from: iso(plan.readFrom),
        to: iso(plan.readTo),
      }));
  if (bound <= replayHeapLimit()) return bound;
  let bytes = 0;
  for (const plan of plans)
    bytes += estimateReplayBytes(
      await countLedgerEventsByType(store.db, {
        service,
        from: iso(plan.readFrom),
        to: iso(plan.readTo),
      }),
    );
  return bytes;
}

async function ensureReplayFits(
  store: Store,
  range: { service: string; from: string; to: string },
): Promise<void> {
  const available = replayHeapLimit();
  // An index-only count bounds the estimate from above: count by type only when it must.
  if (maxReplayBytesPerEvent * (await countServiceEvents(store.db, range)) <= available) return;
  const counts = await countLedgerEventsByType(store.db, range);
  const needed = estimateReplayBytes(counts);
  if (needed <= available) return;
  const mb = (bytes: number) => Math.ceil(bytes / 1_048_576);
  const starts = (counts.get('deploy_started') ?? 0) + (counts.get('canary_started') ?? 0);
  throw new CandorError(
    'limit-exceeded',
    `service "${range.service}" has too many delivery events to replay at once (${starts} deployment starts between ${range.from.slice(0, 10)} and ${range.to.slice(0, 10)}: about ${mb(needed)} MB needed, ${mb(available)} MB available); narrow the window or pick a service, or run candor with a larger heap (README "Limits")`,
  );
}
