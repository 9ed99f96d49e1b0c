import { randomUUID } from 'node:crypto';
import type { CandorConfig } from '../../config/candor-config.ts';
import type { WatchServiceConfig } from '../../config/watch-config.ts';
import type { WatchListQuery, WatchRegistration, WatchState } from '../../contracts/watches.ts';
import { CandorError, isCandorError } from '../../core/lib/candor-error.ts';
import type { WatchFinding, WatchReport, WatchResult } from '../../core/watch/evaluate-watch.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import type { Store } from '../../store/open-store.ts';
import {
  claimWatch,
  findWatch,
  findWatchByDeployment,
  insertWatch,
  listWatches,
  saveWatchEvaluation,
  type WatchRecord,
} from '../../store/repositories/watch/watch.repository.ts';
import type { RollbackRun } from '../release/run-rollback.ts';
import { collectWatch } from './collect-watch.ts';
import { recordWatchEvent } from './record-watch-event.ts';
import { findWatchedDeployment } from './watch-service.ts';
import { rollbackForFindings } from './watch-once.ts';

/**
 * What `candor serve` watches with (`--config`): candor.yml (its `watch:`, `canary:` and
 * `services:` sections), the canary source, where rollback actions run, and how long a replica's
 * claim on a watch lasts (`leaseMs`: another replica takes over a watch whose holder died after
 * it; it must outlast one evaluation).
 */
export type WatchServerSettings = {
  config: CandorConfig;
  client: SourceClient;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  leaseMs: number;
};

/** Default `WatchServerSettings.leaseMs`: one minute. */
export const defaultWatchLeaseMs = 60_000;

/** A watch as the API answers it (README "Watches in candor serve"). */
export type WatchView = {
  id: string;
  service: string;
  environment: string;
  deployment: string;
  state: WatchState;
  /** `pending` until the first evaluation; the latest verdict; final once `state` is finished. */
  verdict: 'pending' | WatchResult;
  deployedAt: string;
  windowEnd: string;
  everyMs: number;
  createdAt: string;
  checkedAt: string | null;
  finishedAt: string | null;
  evaluations: number;
  findings: WatchFinding[];
  report: WatchReport | null;
};

function viewOf(record: WatchRecord): WatchView {
  return {
    id: record.id,
    service: record.service,
    environment: record.environment,
    deployment: record.deployment,
    state: record.finishedAt === null ? 'watching' : 'finished',
    verdict: record.verdict,
    deployedAt: record.deployedAt,
    windowEnd: record.windowEnd,
    everyMs: record.everyMs,
    createdAt: record.createdAt,
    checkedAt: record.checkedAt,
    finishedAt: record.finishedAt,
    evaluations: record.evaluations,
    findings: record.report?.findings ?? [],
    report: record.report,
  };
}

function watchConfigOf(config: CandorConfig, service: string): WatchServiceConfig {
  const watch = config.watch?.[service];
  if (watch === undefined)
    throw new CandorError(
      'not-found',
      `candor.yml has no watch.${service}` +
        (Object.keys(config.watch ?? {}).length > 0
          ? `; watched services: ${Object.keys(config.watch ?? {}).join(', ')}`
          : ': start candor serve with a candor.yml that has a watch: section (--config)'),
    );
  if (config.canary === undefined)
    throw new CandorError(
      'not-found',
      'the watch reads canary.source and canary.metrics: candor.yml has no canary:',
    );
  return watch;
}

/**
 * Registers a watch of a service's deployment (POST /api/v1/watches): its deploy time from the
 * ledger (`findWatchedDeployment`), its window and period from the request or `watch.<service>`;
 * stored pending, and `watch_started` recorded. Idempotent: a watch of the same service,
 * environment and deployment is answered as it stands (`created` false). Throws CandorError
 * `not-found` (no `watch.<service>`, no canary:) or `usage` (no such deployment in the ledger).
 */
export async function registerWatch(
  store: Store,
  registration: WatchRegistration,
  settings: WatchServerSettings,
  now: Date,
): Promise<{ created: boolean; view: WatchView }> {
  const watch = watchConfigOf(settings.config, registration.service);
  const watched = await findWatchedDeployment(store, {
    service: registration.service,
    environment: registration.environment,
    deployment: registration.deployment,
    now,
  });
  const key = {
    service: registration.service,
    environment: registration.environment,
    deployment: watched.deployment,
  };
  const existing = await findWatchByDeployment(store.db, key);
  if (existing !== undefined) return { created: false, view: viewOf(existing) };
  const window = registration.window ?? watch.window;
  const record = {
    id: randomUUID(),
    ...key,
    deployedAt: watched.deployedAt.toISOString(),
    windowEnd: new Date(watched.deployedAt.getTime() + window).toISOString(),
    everyMs: registration.every ?? watch.every,
    createdAt: now.toISOString(),
  };
  await insertWatch(store.db, record);
  await recordWatchEvent(store, { type: 'watch_started', watch: record.id, ...key, at: now });
  const stored = await findWatch(store.db, record.id);
  if (stored === undefined) throw new CandorError('internal', `watch ${record.id} vanished`);
  return { created: true, view: viewOf(stored) };
}

/** One watch (GET /api/v1/watches/:id). Throws CandorError `not-found` for an unknown id. */
export async function showWatch(store: Store, id: string): Promise<WatchView> {
  const record = await findWatch(store.db, id);
  if (record === undefined) throw new CandorError('not-found', `no watch ${id}`);
  return viewOf(record);
}

/** Watches, newest first (GET /api/v1/watches?service=&state=&limit=). */
export async function listServedWatches(
  store: Store,
  query: WatchListQuery,
): Promise<{ watches: WatchView[] }> {
  const records = await listWatches(store.db, {
    service: query.service,
    finished: query.state === undefined ? undefined : query.state === 'finished',
    limit: query.limit,
  });
  return { watches: records.map(viewOf) };
}

/** What one pass of the scheduler did, watch by watch. */
export type WatchTick = {
  /** The watches this replica evaluated (and saved) in this pass. */
  evaluated: { id: string; verdict: WatchResult; final: boolean }[];
  /** Rollbacks the final verdicts ran. */
  rollbacks: RollbackRun[];
  /** Watches whose evaluation failed (a query placeholder without a value, …): tried again next pass. */
  errors: { id: string; message: string }[];
};

/**
 * One pass of the watch scheduler of `candor serve` (docs/adr/0026): every unfinished watch that
 * is due (never evaluated, or `every` since its last evaluation, or its window's end reached) is
 * claimed with the lease (`claimWatch`; of several replicas one wins, the others skip it), read
 * again, evaluated like `candor watch --once` (`collectWatch`), and saved by the holder
 * (`saveWatchEvaluation`). A degraded verdict or the window's end makes it final: then
 * `watch_finished` is recorded (before the final save, so no finished watch lacks it) and, for a
 * degraded `rollback: true` metric, the rollback action runs, once (only the replica whose final
 * save won gets there). An evaluation the signal cut
 * short is dropped, not saved; one that fails with a CandorError other than `database` (a
 * placeholder `labels` does not give) is listed in `errors` and tried again at the next pass.
 * Throws CandorError `database` through the store, and what a rollback throws.
 */
export async function runWatchTick(
  store: Store,
  settings: WatchServerSettings,
  request: { owner: string; now: () => Date; signal: AbortSignal },
): Promise<WatchTick> {
  const tick: WatchTick = { evaluated: [], rollbacks: [], errors: [] };
  const open = await listWatches(store.db, { finished: false, limit: 10_000 });
  for (const candidate of open) {
    if (request.signal.aborted) break;
    if (!isDue(candidate, request.now())) continue;
    const watch = settings.config.watch?.[candidate.service];
    const canary = settings.config.canary;
    // A service whose watch: was removed from candor.yml keeps its watch until it is back.
    if (watch === undefined || canary === undefined) continue;
    const claimed = await claimWatch(store.db, {
      id: candidate.id,
      owner: request.owner,
      now: request.now(),
      leaseMs: settings.leaseMs,
    });
    if (!claimed) continue;
    // Read again under the lease: another replica may have evaluated it since the list.
    const record = await findWatch(store.db, candidate.id);
    if (record === undefined || !isDue(record, request.now())) continue;
    const windowEnd = Date.parse(record.windowEnd);
    let report: WatchReport;
    try {
      report = await collectWatch({
        canary,
        watch: {
          ...watch,
          window: windowEnd - Date.parse(record.deployedAt),
          every: record.everyMs,
        },
        service: record.service,
        deployment: record.deployment,
        environment: record.environment,
        deployedAt: new Date(record.deployedAt),
        now: request.now(),
        client: settings.client,
        signal: request.signal,
      });
    } catch (error) {
      // One watch's bad configuration does not stop the others; the database failing does.
      if (!isCandorError(error) || error.code === 'database') throw error;
      tick.errors.push({ id: record.id, message: error.message });
      continue;
    }
    if (request.signal.aborted) break;
    const at = request.now();
    const final = report.verdict === 'degraded' || at.getTime() >= windowEnd;
    // The ledger hears of the end before the watch is marked finished: a finished watch always
    // has its `watch_finished` (a crash between the two leaves the watch open, to be evaluated
    // again, and the event's fixed id keeps a repeat from being stored twice).
    if (final)
      await recordWatchEvent(store, {
        type: 'watch_finished',
        watch: record.id,
        service: record.service,
        environment: record.environment,
        deployment: record.deployment,
        at,
        verdict: report.verdict,
        evaluations: record.evaluations + 1,
      });
    const saved = await saveWatchEvaluation(store.db, {
      id: record.id,
      owner: request.owner,
      now: at,
      report,
      final,
    });
    if (!saved) continue;
    tick.evaluated.push({ id: record.id, verdict: report.verdict, final });
    if (!final) continue;
    const { rollbackRun } = await rollbackForFindings(
      // The server's store stays open: the rollback borrows it.
      () => Promise.resolve({ ...store, close: () => Promise.resolve() }),
      settings.config,
      report,
      {
        cwd: settings.cwd,
        service: record.service,
        deployment: record.deployment,
        environment: record.environment,
        allowRollback: true,
        env: settings.env,
        now: request.now,
        signal: new AbortController().signal,
      },
    );
    if (rollbackRun !== null) tick.rollbacks.push(rollbackRun);
  }
  return tick;
}

/** Due: never evaluated, `every` since the last evaluation, or the window's end reached. */
function isDue(record: WatchRecord, now: Date): boolean {
  if (record.finishedAt !== null) return false;
  if (record.checkedAt === null) return true;
  const next = Math.min(
    Date.parse(record.checkedAt) + record.everyMs,
    Math.max(Date.parse(record.windowEnd), Date.parse(record.checkedAt) + 1),
  );
  return now.getTime() >= next;
}
