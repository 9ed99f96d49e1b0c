import type { CandorConfig } from '../../config/candor-config.ts';
import {
  decideChaosReadiness,
  type BudgetReading,
  type ChaosReadiness,
} from '../../core/chaos/decide-chaos-readiness.ts';
import type { ChaosExperiment } from '../../core/chaos/chaos-experiment.ts';
import { dayMs } from '../../core/lib/time.ts';
import { openMetricSource, type MetricSourceConfig } from '../../sources/metric-sources.ts';
import { judgeDrift, type DriftJudgement, type KpiReading } from '../../core/chaos/judge-drift.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';
import { chaosConfigOf, loadChaosCatalog } from './load-chaos-catalog.ts';
import { experimentById } from './record-game-day.ts';

/** How far back the ledger is read for open incidents and releases in flight. */
const lookBackDays = 90;

/** The ledger event types readiness reads. */
const readinessTypes = [
  'incident_opened',
  'incident_resolved',
  'deploy_started',
  'canary_started',
  'deploy_finished',
  'canary_failed',
  'canary_promoted',
  'rollback_finished',
] as const;

/**
 * The error ratio of the experiment's SLO now, from `chaos.source` (else `canary.source`) with
 * `slo.errorRatioQuery`: unknown (never a throw) when there is no query or source, or the source
 * is down, refuses, or answers with no value.
 */
export async function readErrorBudget(
  experiment: ChaosExperiment,
  config: CandorConfig,
  environment: { env: Record<string, string | undefined>; cwd: string; now: Date },
): Promise<BudgetReading> {
  const query = experiment.slo.errorRatioQuery;
  if (query === undefined)
    return { kind: 'unknown', reason: `slo.errorRatioQuery is not set in ${experiment.id}` };
  const sourceConfig = chaosConfigOf(config).source ?? config.canary?.source;
  if (sourceConfig === undefined)
    return {
      kind: 'unknown',
      reason: 'no metric source: set chaos.source (or canary.source) in candor.yml',
    };
  const read = await readInstant(sourceConfig, query, environment);
  return read.kind === 'measured' ? { kind: 'measured', errorRatio: read.value } : read;
}

/**
 * The value of a PromQL expression now (the last point of the first series), through a metric
 * source: unknown (never a throw) when the source is down, refuses, or answers with no value.
 */
export async function readInstant(
  sourceConfig: MetricSourceConfig,
  query: string,
  environment: { env: Record<string, string | undefined>; cwd: string; now: Date },
): Promise<KpiReading> {
  const client = openMetricSource(sourceConfig, { env: environment.env, cwd: environment.cwd });
  const answer = await client.query({
    kind: 'instant',
    query,
    time: Math.floor(environment.now.getTime() / 1000),
  });
  if (!answer.ok) {
    const problem = answer.errors[0];
    return {
      kind: 'unknown',
      reason: `${client.location}: ${problem?.kind ?? 'error'}: ${problem?.message ?? ''}`,
    };
  }
  const value = answer.value.series[0]?.points.at(-1)?.value ?? null;
  if (value === null || !Number.isFinite(value))
    return { kind: 'unknown', reason: `${client.location} returned no value for ${query}` };
  return { kind: 'measured', value };
}

/**
 * `candor chaos drift [id]`: the KPI invariants of every `ai-drift` entry (or the one named),
 * each read now through the metric source and judged against its absolute condition.
 * Throws CandorError `usage` (unknown id, or not an ai-drift entry), `io`.
 */
export async function judgeDriftEntries(
  root: string,
  config: CandorConfig,
  options: { id?: string | undefined; env: Record<string, string | undefined>; now: Date },
): Promise<DriftJudgement[]> {
  const catalog = loadChaosCatalog(root, config);
  const entries =
    options.id === undefined
      ? catalog.entries.map((e) => e.experiment).filter((e) => e.kind === 'ai-drift')
      : [experimentById(catalog.entries, options.id)];
  const sourceConfig = chaosConfigOf(config).source ?? config.canary?.source;
  const judgements: DriftJudgement[] = [];
  for (const experiment of entries) {
    if (experiment.kind !== 'ai-drift')
      throw new CandorError(
        'usage',
        `${experiment.id} is not an ai-drift entry (kind: ${experiment.kind})`,
      );
    const readings: KpiReading[] = [];
    for (const invariant of experiment.invariants)
      readings.push(
        sourceConfig === undefined
          ? { kind: 'unknown', reason: 'no metric source: set chaos.source (or canary.source)' }
          : await readInstant(sourceConfig, invariant.query, {
              env: options.env,
              cwd: root,
              now: options.now,
            }),
      );
    judgements.push(judgeDrift(experiment, readings));
  }
  return judgements;
}

/**
 * `candor chaos ready <id>`: may the experiment run now (README "candor chaos")? Reads the
 * catalog, the error budget through the metric source and the service's ledger events.
 * Throws CandorError `usage` (unknown id), `io`, `database`.
 */
export async function chaosReadiness(
  store: Store,
  root: string,
  config: CandorConfig,
  options: { id: string; env: Record<string, string | undefined>; now: Date },
): Promise<ChaosReadiness> {
  const catalog = loadChaosCatalog(root, config);
  const experiment = experimentById(catalog.entries, options.id);
  const budget = await readErrorBudget(experiment, config, {
    env: options.env,
    cwd: root,
    now: options.now,
  });
  const events = await findDeliveryEvents(store.db, {
    from: new Date(options.now.getTime() - lookBackDays * dayMs).toISOString(),
    to: new Date(options.now.getTime() + dayMs).toISOString(),
    service: experiment.service,
    types: [...readinessTypes],
  });
  return decideChaosReadiness({
    experiment,
    budget,
    events: events.map((e) => ({
      type: e.type,
      occurredAt: e.occurredAt,
      service: e.service,
      environment: e.environment ?? 'production',
      deployment: e.deployment,
      incident: e.incident,
    })),
    freezes: catalog.config.freezes,
    now: options.now,
  });
}
