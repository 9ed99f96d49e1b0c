import type { CandorConfig } from '../../config/candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { dayMs } from '../../core/lib/time.ts';
import type { WatchReport } from '../../core/watch/evaluate-watch.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';
import type { WatchClock } from './watch-clock.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { selectWatchedInvariants } from '../../core/watch/check-invariant.ts';
import { loadChaosCatalog } from '../chaos/load-chaos-catalog.ts';
import { collectWatch } from './collect-watch.ts';
import { rollbackForFindings, type WatchOnce } from './watch-once.ts';
import { randomUUID } from 'node:crypto';
import { recordWatchEvent, type WatchEvent } from './record-watch-event.ts';

/** The deployment watched and when it went out. */
export type WatchedDeployment = { deployment: string; deployedAt: Date };

/**
 * The deployment a watch starts from, from the ledger's last 90 days: `deployment` when given,
 * else the service's latest in `environment`; its time is its `deploy_finished` (the new version
 * serves), else its first `deploy_started`/`canary_started`. Throws CandorError `usage` when the
 * ledger has none.
 */
export async function findWatchedDeployment(
  store: Store,
  request: { service: string; environment: string; deployment?: string | undefined; now: Date },
): Promise<WatchedDeployment> {
  const events = (
    await findDeliveryEvents(store.db, {
      from: new Date(request.now.getTime() - 90 * dayMs).toISOString(),
      to: new Date(request.now.getTime() + dayMs).toISOString(),
      service: request.service,
      types: ['deploy_started', 'canary_started', 'deploy_finished'],
    })
  ).filter(
    (e) =>
      e.deployment !== undefined &&
      (request.deployment !== undefined
        ? e.deployment === request.deployment
        : (e.environment ?? request.environment) === request.environment),
  );
  const deployment = request.deployment ?? events.at(-1)?.deployment;
  const mine = events.filter((e) => e.deployment === deployment);
  const at = mine.find((e) => e.type === 'deploy_finished') ?? mine[0];
  if (deployment === undefined || at === undefined)
    throw new CandorError(
      'usage',
      request.deployment !== undefined
        ? `no deploy event of ${request.service} deployment ${request.deployment} in the ledger's last 90 days: the watch needs its time (candor event deploy_finished)`
        : `no deployment of ${request.service} in ${request.environment} in the ledger's last 90 days: record one (candor event deploy_finished) or pass --deployment`,
    );
  return { deployment, deployedAt: new Date(at.occurredAt) };
}

export type LiveWatch = WatchOnce & {
  /** The watch's window: from the deploy to its end. */
  window: { start: string; end: string };
  /** Why the watch stopped: `once`, `degraded`, `window-ended`, `signal`. */
  stopped: 'once' | 'degraded' | 'window-ended' | 'signal';
  evaluations: number;
};

/**
 * The live post-deploy watch (`candor watch --service S`): evaluates the service's `watch:`
 * metrics — and the KPI invariants of the chaos catalog's `ai-drift` entries whose service and
 * blast-radius environment are the watched ones (absolute conditions, core/watch/check-invariant.ts;
 * a catalog file that does not parse is a warning) — from the deploy to now, then — unless `once` — again every `every` until the window
 * ends, stopping early on a degraded verdict (after its rollback, when a `rollback: true` metric
 * asked for one) or when `signal` aborts (the last verdict then says `inconclusive` unless
 * degraded: the window was not watched to its end). `onReport` sees every evaluation. Time comes
 * from `clock`, so the loop runs in tests without waiting. Throws CandorError `usage` (no
 * `watch.S`, no canary source, no deployment in the ledger) or as `runRollback`. Unless `once`,
 * records `watch_started` and `watch_finished` (docs/adr/0026) with the deployment id.
 */
export async function watchService(
  openStore: () => Promise<Store>,
  config: CandorConfig,
  request: {
    service: string;
    deployment?: string | undefined;
    environment: string;
    window?: number | undefined;
    every?: number | undefined;
    once: boolean;
    allowRollback: boolean;
    client: SourceClient;
    clock: WatchClock;
    cwd: string;
    env: Readonly<Record<string, string | undefined>>;
    signal: AbortSignal;
    onReport?: (report: WatchReport) => void;
  },
): Promise<LiveWatch> {
  const serviceConfig = config.watch?.[request.service];
  if (serviceConfig === undefined)
    throw new CandorError(
      'usage',
      `candor.yml has no watch.${request.service}` +
        (Object.keys(config.watch ?? {}).length > 0
          ? `; watched services: ${Object.keys(config.watch ?? {}).join(', ')}`
          : '; add a watch: section (README "candor watch")'),
    );
  if (config.canary === undefined)
    throw new CandorError(
      'usage',
      'the watch reads canary.source and canary.metrics: candor.yml has no canary:',
    );
  const watch = {
    ...serviceConfig,
    window: request.window ?? serviceConfig.window,
    every: request.every ?? serviceConfig.every,
  };
  const store = await openStore();
  let watched: WatchedDeployment;
  try {
    watched = await findWatchedDeployment(store, {
      service: request.service,
      environment: request.environment,
      deployment: request.deployment,
      now: request.clock.now(),
    });
  } finally {
    await store.close();
  }
  // The ai-drift entries of the catalog whose blast radius is this service and environment.
  const catalog = loadChaosCatalog(request.cwd, config);
  const invariants = selectWatchedInvariants(
    catalog.entries.map((e) => e.experiment),
    { service: request.service, environment: request.environment },
  );
  const catalogWarnings = catalog.problems.map(
    (p) => `${formatProblem(p, p.file)} (not watched: fix it, candor chaos check)`,
  );
  const windowEnd = watched.deployedAt.getTime() + watch.window;
  // A live watch (not --once) is in the ledger: watch_started now, watch_finished at its end.
  const watchId = `cli-${randomUUID()}`;
  const record = async (event: Pick<WatchEvent, 'type' | 'verdict' | 'evaluations'>) => {
    if (request.once) return;
    const ledger = await openStore();
    try {
      await recordWatchEvent(ledger, {
        ...event,
        watch: watchId,
        service: request.service,
        environment: request.environment,
        deployment: watched.deployment,
        at: request.clock.now(),
      });
    } finally {
      await ledger.close();
    }
  };
  await record({ type: 'watch_started' });
  let evaluations = 0;
  let report: WatchReport;
  let stopped: LiveWatch['stopped'];
  for (;;) {
    report = await collectWatch({
      canary: config.canary,
      watch,
      service: request.service,
      deployment: watched.deployment,
      environment: request.environment,
      deployedAt: watched.deployedAt,
      now: request.clock.now(),
      client: request.client,
      signal: request.signal,
      invariants,
    });
    evaluations++;
    request.onReport?.(report);
    if (request.once) stopped = 'once';
    else if (report.verdict === 'degraded') stopped = 'degraded';
    else if (request.clock.now().getTime() >= windowEnd) stopped = 'window-ended';
    else if (request.signal.aborted) stopped = 'signal';
    else {
      await request.clock.sleep(
        Math.min(watch.every, windowEnd - request.clock.now().getTime()),
        request.signal,
      );
      if (!request.signal.aborted) continue;
      stopped = 'signal';
    }
    break;
  }
  if (stopped === 'signal' && report.verdict !== 'degraded')
    report = { ...report, verdict: 'inconclusive' };
  await record({ type: 'watch_finished', verdict: report.verdict, evaluations });
  const rolled = await rollbackForFindings(openStore, config, report, {
    cwd: request.cwd,
    service: request.service,
    deployment: watched.deployment,
    environment: request.environment,
    allowRollback: request.allowRollback,
    env: request.env,
    now: () => request.clock.now(),
    signal: new AbortController().signal,
  });
  return {
    ...report,
    ...rolled,
    warnings: [...catalogWarnings, ...rolled.warnings],
    window: {
      start: watched.deployedAt.toISOString(),
      end: new Date(windowEnd).toISOString(),
    },
    stopped,
    evaluations,
  };
}
