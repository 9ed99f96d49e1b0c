import { getHeapStatistics } from 'node:v8';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { DeliveryEventType } from '../../core/delivery/event-kinds.ts';
import {
  combineDoraPartials,
  compareEvents,
  createDoraAccumulator,
  type DoraAccumulator,
  type DoraOptions,
  type DoraPartial,
  type DoraReport,
  estimateReplayBytes,
  type LedgerEvent,
} from '../../core/delivery/dora/compute-dora.ts';
import {
  countLedgerEventsByType,
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
  const to = query.now.getTime();
  const from = to - query.windowMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  const options: DoraOptions = {
    from,
    to,
    environment: query.environment,
    incidentWindowMs: query.incidentWindowMs,
    service: query.service,
    team: query.team,
  };
  const readFrom = from - lookbackMs;
  const readTo = to + query.incidentWindowMs + 1;
  const services =
    query.service !== undefined
      ? [query.service]
      : await listDeliveryServices(store.db, { from: iso(readFrom), to: iso(readTo) });
  const parts: DoraPartial[] = [];
  for (const service of services) {
    await ensureReplayFits(store, { service, from: iso(readFrom), to: iso(readTo) });
    const accumulator = createDoraAccumulator(service, options);
    await replay(
      accumulator,
      streamLedgerEvents(store.db, {
        service,
        from: iso(readFrom),
        to: iso(from - slackMs),
        types: lookbackTypes,
      }),
    );
    await replay(
      accumulator,
      streamLedgerEvents(store.db, { service, from: iso(from - slackMs), to: iso(readTo) }),
    );
    parts.push(accumulator.finish());
  }
  return combineDoraPartials(parts, options).report;
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
  const report = await buildDoraReport(store, query);
  const to = query.now.getTime();
  const series: DoraSeriesEntry[] = [];
  for (const period of splitPeriods({ from: to - query.windowMs, to }, query.by)) {
    const part = await buildDoraReport(store, {
      ...query,
      now: new Date(period.to),
      windowMs: period.to - period.from,
    });
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
  return { ...report, by: query.by, series };
}

/**
 * Feeds streamed events to the accumulator in replay order: the store orders by time only, so
 * events of one instant are held back and sorted by type before they go in.
 */
async function replay(
  accumulator: DoraAccumulator,
  chunks: AsyncIterable<LedgerEvent[]>,
): Promise<void> {
  let instant: LedgerEvent[] = [];
  const flush = () => {
    if (instant.length > 1) instant.sort(compareEvents);
    for (const event of instant) accumulator.add(event);
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
async function ensureReplayFits(
  store: Store,
  range: { service: string; from: string; to: string },
): Promise<void> {
  const counts = await countLedgerEventsByType(store.db, range);
  const needed = estimateReplayBytes(counts);
  const available = getHeapStatistics().heap_size_limit * replayHeapShare;
  if (needed <= available) return;
  const mb = (bytes: number) => Math.ceil(bytes / 1_048_576);
  const starts = (counts.get('deploy_started') ?? 0) + (counts.get('canary_started') ?? 0);
  throw new CandorError(
    'limit-exceeded',
    `service "${range.service}" has too many delivery events to replay at once (${starts} deployment starts between ${range.from.slice(0, 10)} and ${range.to.slice(0, 10)}: about ${mb(needed)} MB needed, ${mb(available)} MB available); narrow the window or pick a service, or run candor with a larger heap (README "Limits")`,
  );
}
