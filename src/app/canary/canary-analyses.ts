import { randomUUID } from 'node:crypto';
import type { CanaryConfig } from '../../config/canary-config.ts';
import type { CanaryReport, CanaryVerdict, JudgeMode } from '../../core/canary/canary-report.ts';
import type { DeliveryEventType } from '../../core/delivery/event-kinds.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import { retryWrites, type Db, type Store } from '../../store/open-store.ts';
import {
  findCanaryAnalysis,
  findCanaryAnalysisByDeployment,
  findLatestCanaryAnalysis,
  insertCanaryAnalysis,
  listLatestCanaryVerdicts,
  saveCanaryCheck,
  type CanaryAnalysisRecord,
} from '../../store/repositories/canary/canary-analysis.repository.ts';
import {
  insertDeliveryEvents,
  type StoredDeliveryEvent,
} from '../../store/repositories/delivery/delivery-event.repository.ts';
import { projectDeliveryEvents } from '../delivery/project-delivery-events.ts';
import { analyzeCanary } from './analyze-canary.ts';

/** What the server judges canaries with: the `canary:` section and its source. */
export type CanaryServerSettings = { config: CanaryConfig; client: SourceClient };

/** What starts an analysis (POST /api/v1/canaries). */
export type CanaryStart = {
  service: string;
  environment?: string | undefined;
  deployment?: string | undefined;
  baseline: Record<string, string>;
  canary: Record<string, string>;
  mode?: JudgeMode | undefined;
};

/**
 * An analysis as the API answers it. `verdict` is `pending` until `minimumDuration` has passed
 * (a clear rollback ends it at once); then `promote` or `rollback` (final), or `inconclusive`,
 * final only once `maximumDuration` has passed.
 */
export type CanaryAnalysisView = {
  id: string;
  service: string;
  environment: string | null;
  deployment: string | null;
  baseline: Record<string, string>;
  canary: Record<string, string>;
  verdict: CanaryVerdict | 'pending';
  final: boolean;
  startedAt: string;
  checkedAt: string | null;
  finishedAt: string | null;
  report: CanaryReport | null;
};

/** The ledger's source for the events the server writes for its analyses. */
export const canaryEventSource = 'candor-canary';

function viewOf(record: CanaryAnalysisRecord): CanaryAnalysisView {
  return {
    id: record.id,
    service: record.service,
    environment: record.environment ?? null,
    deployment: record.deployment ?? null,
    baseline: record.baseline,
    canary: record.canary,
    verdict: record.verdict,
    final: record.finishedAt !== undefined,
    startedAt: record.startedAt,
    checkedAt: record.checkedAt ?? null,
    finishedAt: record.finishedAt ?? null,
    report: record.report ?? null,
  };
}

function ledgerEvent(
  record: CanaryAnalysisRecord,
  type: DeliveryEventType,
  at: string,
  verdict?: CanaryVerdict,
) {
  return {
    source: canaryEventSource,
    id: `${record.id}:${type}`,
    type,
    occurredAt: at,
    receivedAt: at,
    service: record.service,
    ...(record.environment === undefined ? {} : { environment: record.environment }),
    ...(record.deployment === undefined ? {} : { deployment: record.deployment }),
    ...(type === 'canary_failed' ? { result: 'failure' as const } : {}),
    attributes: { analysis: record.id, ...(verdict === undefined ? {} : { verdict }) },
  };
}

/**
 * Starts an analysis: stores it (pending) and writes `canary_started` to the ledger with its
 * deployment id, in one transaction. Throws CandorError `database` when the store fails.
 */
export async function startCanaryAnalysis(
  store: Store,
  start: CanaryStart,
  settings: CanaryServerSettings,
  now: Date,
): Promise<CanaryAnalysisView> {
  const record: CanaryAnalysisRecord = {
    id: randomUUID(),
    service: start.service,
    environment: start.environment,
    deployment: start.deployment,
    baseline: start.baseline,
    canary: start.canary,
    mode: start.mode ?? settings.config.mode,
    startedAt: now.toISOString(),
    verdict: 'pending',
  };
  await retryWrites(store, () =>
    store.db.transaction().execute(async (tx) => {
      await insertCanaryAnalysis(tx, record);
      await storeAndProject(store, tx, ledgerEvent(record, 'canary_started', record.startedAt));
    }),
  );
  return viewOf(record);
}

/**
 * The analysis's verdict now: a finished one as stored; otherwise a fresh judgement of the
 * window from its start to `now` (`analyzeCanary`), saved, and when it is final the analysis
 * ends with `canary_promoted` (promote) or `canary_failed` (rollback, or inconclusive at
 * `maximumDuration`) in the ledger. Of several replicas checking at once, one ends it; the
 * others answer what it stored. Throws CandorError `not-found` for an unknown id.
 */
export async function checkCanaryAnalysis(
  store: Store,
  id: string,
  settings: CanaryServerSettings,
  now: Date,
): Promise<CanaryAnalysisView> {
  const record = await findCanaryAnalysis(store.db, id);
  if (record === undefined) throw new CandorError('not-found', `no canary analysis ${id}`);
  if (record.finishedAt !== undefined) return viewOf(record);
  const { config } = settings;
  const elapsed = now.getTime() - Date.parse(record.startedAt);
  const report =
    elapsed < config.interval
      ? undefined
      : (
          await analyzeCanary({
            config,
            labels: { baseline: record.baseline, canary: record.canary },
            start: new Date(record.startedAt),
            end: now,
            client: settings.client,
            mode: record.mode,
          })
        ).report;
  if (report === undefined) return viewOf(record);
  const pastMinimum = elapsed >= config.minimumDuration;
  const pastMaximum = config.maximumDuration !== undefined && elapsed >= config.maximumDuration;
  const verdict: CanaryVerdict | 'pending' =
    report.verdict === 'rollback' || pastMinimum ? report.verdict : 'pending';
  const final =
    verdict === 'rollback' || verdict === 'promote' || (verdict === 'inconclusive' && pastMaximum);
  const at = now.toISOString();
  const saved = await retryWrites(store, () =>
    store.db.transaction().execute(async (tx) => {
      const written = await saveCanaryCheck(tx, id, {
        verdict,
        report,
        checkedAt: at,
        ...(final ? { finishedAt: at } : {}),
      });
      if (written && final)
        await storeAndProject(
          store,
          tx,
          ledgerEvent(
            record,
            verdict === 'promote' ? 'canary_promoted' : 'canary_failed',
            at,
            verdict,
          ),
        );
      return written;
    }),
  );
  if (!saved) return viewOf((await findCanaryAnalysis(store.db, id)) ?? record);
  return viewOf({
    ...record,
    verdict,
    report,
    checkedAt: at,
    ...(final ? { finishedAt: at } : {}),
  });
}

/**
 * Starts an analysis, or, when one of the same service, environment and deployment exists,
 * checks that one: so a poller that can only send the same request each time (Argo Rollouts'
 * `web` provider with a `jsonBody`) starts the analysis with its first request and reads the
 * verdict with the next. `created` says which.
 */
export async function startOrCheckCanaryAnalysis(
  store: Store,
  start: CanaryStart,
  settings: CanaryServerSettings,
  now: Date,
): Promise<{ created: boolean; view: CanaryAnalysisView }> {
  if (start.deployment !== undefined) {
    const existing = await findCanaryAnalysisByDeployment(
      store.db,
      start.service,
      start.environment,
      start.deployment,
    );
    if (existing !== undefined)
      return { created: false, view: await checkCanaryAnalysis(store, existing.id, settings, now) };
  }
  return { created: true, view: await startCanaryAnalysis(store, start, settings, now) };
}

/**
 * The latest analysis of a service (in an environment, when given), checked now; Flagger's
 * webhooks name a canary by name and namespace, not by analysis. Throws CandorError `not-found`
 * when the service has none.
 */
export async function checkLatestCanaryAnalysis(
  store: Store,
  service: string,
  environment: string | undefined,
  settings: CanaryServerSettings,
  now: Date,
): Promise<CanaryAnalysisView> {
  const latest = await findLatestCanaryAnalysis(store.db, service, environment);
  if (latest === undefined)
    throw new CandorError(
      'not-found',
      `no canary analysis for service ${service}${environment === undefined ? '' : ` in ${environment}`}`,
    );
  return checkCanaryAnalysis(store, latest.id, settings, now);
}

/** The latest final verdict per service and environment (the `candor_canary_verdict` gauge). */
export function latestCanaryVerdicts(store: Store) {
  return listLatestCanaryVerdicts(store.db);
}

/**
 * Stores an analysis's event in the ledger and, when it is new there, folds it into the delivery
 * projections in the same transaction, as `candor event` does (docs/adr/0018, 0044).
 */
async function storeAndProject(store: Store, tx: Db, event: StoredDeliveryEvent): Promise<void> {
  if ((await insertDeliveryEvents(store, tx, [event])).length > 0)
    await projectDeliveryEvents(store, tx, [event]);
}
