import type {
  Dashboard,
  DashboardDeliveryPanels,
  DashboardDeployment,
  DashboardFilters,
  DashboardQuery,
  DashboardReleasesPanel,
  DashboardTest,
  DashboardTestsPanel,
  DeploymentTimeline,
  FourKeys,
} from '../../contracts/dashboard.ts';
import { defaultFlakyQuery } from '../../contracts/queries.ts';
import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import { splitPeriods } from '../../core/delivery/dora/split-periods.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { dayMs, mondayOf } from '../../core/lib/time.ts';
import type { QuarantineEntry } from '../../core/quarantine/quarantine.ts';
import type { FlakyTestEntry } from '../flaky/build-flaky-report.ts';
import { analyzeFlakyTests } from '../flaky/build-flaky-report.ts';
import { buildDoraSeriesWith } from '../delivery/build-dora-report.ts';
import { listDrills } from '../release/list-drills.ts';
import { listDeliveryServices } from '../../store/repositories/delivery/delivery-event.repository.ts';
import { findProjectedDeployments } from '../../store/repositories/delivery/delivery-projection.repository.ts';
import { countDoraStartsPerDay } from '../../store/repositories/delivery/dora-projection.repository.ts';
import {
  findEventsOfDeployment,
  findIncidentsOfDeployments,
  listRecentDeployments,
  type RecentDeploymentRow,
} from '../../store/repositories/delivery/dashboard.repository.ts';
import type { Store } from '../../store/open-store.ts';

/** The hints each empty panel shows: how to send the data it needs (README). */
export const dashboardHints = {
  keys: 'no deployments yet: send deploy events (candor event deploy_started/deploy_finished, POST /api/v1/events, or a GitHub/GitLab webhook)',
  delivery:
    'no deployments yet: send commit_created, tests_passed, deploy_started and deploy_finished events (README "Delivery events")',
  quality:
    'no gate, rollback or drill data yet: record policy_passed/policy_failed, rollback_triggered/rollback_finished, or run candor rollback drill',
  tests:
    'no test results yet: candor ingest <reports>, or POST /api/v1/test-reports from CI (README "candor ingest")',
  releases:
    'no deployments yet: send deploy_started and deploy_finished events with a deployment id (README "Delivery events")',
} as const;

/** Incident window the dashboard's DORA numbers use: the default of `candor dora`. */
const incidentWindowMs = 86_400_000;
/** Deployments the recent releases panel lists. */
const recentLimit = 50;
/** Flaky and broken tests the test truth panel lists. */
const topLimit = 10;

/** What every part of the dashboard reads: the filters, the server's clock and quarantine. */
export type DashboardPartQuery = DashboardQuery & {
  now: Date;
  quarantine?: readonly QuarantineEntry[] | undefined;
  /** Times each step (bench part x prints them); default: runs it. */
  measure?: MeasurePart | undefined;
};

/** Runs one named step of a dashboard read and returns its result (a timer, in the bench). */
export type MeasurePart = <T>(part: string, work: () => Promise<T>) => Promise<T>;

const runPart: MeasurePart = (_part, work) => work();

/**
 * Every panel of the dashboard for a service (default: all), environment and window ending now:
 * the four keys against the previous window, the delivery series, pipeline quality, test truth
 * and recent releases. Metrics come from the same use cases as `candor dora`, `candor flaky` and
 * `candor rollback drills`; a panel with nothing to show is `no-data` with a hint. It is the
 * four parts the page requests on their own (`buildDashboardFilters`, `buildDeliveryPanels`,
 * `buildTestsPanel`, `buildReleasesPanel`), put together; `options.testsPanel` and
 * `options.deliveryPanels` answer those parts instead (the server's read workers).
 * `quarantine` is the server's quarantine file, if any. Throws what those use cases throw.
 */
export async function buildDashboard(
  store: Store,
  query: DashboardPartQuery,
  options: {
    testsPanel?: ((query: DashboardPartQuery) => Promise<DashboardTestsPanel>) | undefined;
    deliveryPanels?: ((query: DashboardPartQuery) => Promise<DashboardDeliveryPanels>) | undefined;
  } = {},
): Promise<Dashboard> {
  // Parts answered elsewhere (the server's read workers, `startDashboardReads`) are read while
  // this thread reads the rest; each is awaited below (not an unhandled rejection meanwhile).
  const testsPanel = options.testsPanel?.(query);
  testsPanel?.catch(() => undefined);
  const deliveryPanels = options.deliveryPanels?.(query);
  deliveryPanels?.catch(() => undefined);
  const { generatedAt, filters } = await buildDashboardFilters(store, query);
  const { keys, delivery, quality } = await (deliveryPanels ?? buildDeliveryPanels(store, query));
  const { tests } = await (testsPanel ?? buildTestsPanel(store, query));
  const { releases } = await buildReleasesPanel(store, query);
  return { generatedAt, filters, keys, delivery, quality, tests, releases };
}

/**
 * `GET /api/v1/dashboard/filters`: the query as understood and the services with delivery
 * events in the last 90 days, for the service filter. Never throws but for the store.
 */
export async function buildDashboardFilters(
  store: Store,
  query: DashboardPartQuery,
): Promise<DashboardFilters> {
  const measure = query.measure ?? runPart;
  const now = query.now.getTime();
  const services = await measure('services', () =>
    listDeliveryServices(store.db, {
      from: new Date(now - 90 * dayMs).toISOString(),
      to: new Date(now + dayMs).toISOString(),
    }),
  );
  return {
    generatedAt: query.now.toISOString(),
    filters: {
      service: query.service ?? null,
      environment: query.environment,
      window: query.window,
      services,
    },
  };
}

/**
 * `GET /api/v1/dashboard/delivery`: the four keys, the delivery series and pipeline quality,
 * which share one read of the ledger (`buildDoraSeriesWith`), plus the deployment starts per
 * day and the last drill per service. Throws what those use cases throw.
 */
export async function buildDeliveryPanels(
  store: Store,
  query: DashboardPartQuery,
): Promise<DashboardDeliveryPanels> {
  const measure = query.measure ?? runPart;
  const now = query.now.getTime();
  const from = now - query.windowMs;
  const doraQuery = {
    now: query.now,
    windowMs: query.windowMs,
    environment: query.environment,
    incidentWindowMs,
    service: query.service,
  };
  // One read of the ledger per service for the window, its weeks and the previous window.
  const dora = await measure('dora series (ledger)', () =>
    // The previous window gives only the four keys.
    buildDoraSeriesWith(store, { ...doraQuery, by: 'week' }, [
      { ...doraQuery, now: new Date(from), headlineOnly: true },
    ]),
  );
  const current = dora.series;
  const previous = dora.also[0] as DoraReport;

  const hasDeployments = current.deployments > 0;
  const keys: Dashboard['keys'] =
    hasDeployments || previous.deployments > 0
      ? { status: 'ok', current: fourKeys(current), previous: fourKeys(previous) }
      : { status: 'no-data', hint: dashboardHints.keys };

  let delivery: Dashboard['delivery'] = { status: 'no-data', hint: dashboardHints.delivery };
  if (hasDeployments) {
    const perDay = await measure('deployment starts', async () =>
      countDoraStartsPerDay(
        store.db,
        {
          environment: query.environment,
          services:
            query.service !== undefined
              ? [query.service]
              : await listDeliveryServices(store.db, {}),
        },
        from,
        now,
      ),
    );
    delivery = {
      status: 'ok',
      deploymentsPerDay: countPerDay(perDay, from, now),
      weekly: current.series.map((entry) => ({
        from: entry.window.from,
        to: entry.window.to,
        deployments: entry.deployments,
        leadTimeSeconds: entry.leadTimeSeconds,
        changeFailureRate: entry.changeFailureRate,
        recoveryTimeSeconds: entry.recoveryTimeSeconds,
      })),
      stageLatency: current.stageLatency,
    };
  }

  const drills = (
    await measure('drills', () => listDrills(store, {}, { now: query.now, service: query.service }))
  ).map((row) => ({ ...row, stale: row.status !== 'fresh' }));
  const hasQuality =
    drills.length > 0 ||
    current.falsePositiveRate !== null ||
    current.falseNegativeRate !== null ||
    current.rollbackSuccessRate !== null ||
    current.timeToDetectSeconds.count > 0 ||
    current.gates.length > 0;
  const quality: Dashboard['quality'] = hasQuality
    ? {
        status: 'ok',
        falsePositiveRate: current.falsePositiveRate,
        falseNegativeRate: current.falseNegativeRate,
        timeToDetectSeconds: current.timeToDetectSeconds,
        rollbackSuccessRate: current.rollbackSuccessRate,
        gates: current.gates,
        drills,
      }
    : { status: 'no-data', hint: dashboardHints.quality };
  return { keys, delivery, quality };
}

function fourKeys(report: DoraReport): FourKeys {
  return {
    window: report.window,
    deployments: report.deployments,
    deploymentFrequencyPerDay: report.deploymentFrequencyPerDay,
    leadTimeSeconds: report.leadTimeSeconds,
    changeFailureRate: report.changeFailureRate,
    recoveryTimeSeconds: report.recoveryTimeSeconds,
  };
}

/** Deployments per UTC day from `from` to `to`, every day present. */
function countPerDay(perDay: ReadonlyMap<number, number>, from: number, to: number) {
  const counts: { day: string; deployments: number }[] = [];
  for (let day = Math.floor(from / dayMs) * dayMs; day < to; day += dayMs)
    counts.push({
      day: new Date(day).toISOString().slice(0, 10),
      deployments: perDay.get(day) ?? 0,
    });
  return counts;
}

/**
 * `GET /api/v1/dashboard/tests`: the test truth panel (flake budget with its weekly trend, the
 * top flaky and broken tests with evidence and hints, the quarantine). Throws what
 * `analyzeFlakyTests` throws.
 */
export async function buildTestsPanel(
  store: Store,
  query: DashboardPartQuery,
): Promise<DashboardTestsPanel> {
  const measure = query.measure ?? runPart;
  const flakyQuery = { ...defaultFlakyQuery, ownersOf: () => [] };
  const analysis = await measure('flaky analysis (test aggregates)', () =>
    analyzeFlakyTests(
      store,
      { ...flakyQuery, now: query.now, windowMs: query.windowMs },
      // Evidence and hints only for the tests the panel lists.
      { detailsFor: topLimit },
    ),
  );
  if (analysis.budget.executions === 0)
    return { tests: { status: 'no-data', hint: dashboardHints.tests } };
  const now = query.now.getTime();
  // The window's own budget by calendar week (its flaky executions, as the window's tests are
  // classified), so the weeks add up to the gauge; one analysis instead of one per week.
  const byWeek = new Map(analysis.budget.weekly.map((week) => [week.week, week]));
  const weekly = splitPeriods({ from: now - query.windowMs, to: now }, 'week').map((period) => {
    const week = byWeek.get(mondayOf(new Date(period.from).toISOString().slice(0, 10)));
    return {
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      rate: week === undefined || week.executions === 0 ? null : week.rate,
      executions: week?.executions ?? 0,
    };
  });
  const of = (classification: string) =>
    analysis.notable
      .filter((t) => t.classification === classification)
      .slice(0, topLimit)
      .map(toDashboardTest);
  return {
    tests: {
      status: 'ok',
      budget: analysis.budget,
      weekly,
      topFlaky: of('flaky'),
      broken: of('broken'),
      quarantined: (query.quarantine ?? []).map((entry) => ({
        key: entry.key,
        owner: entry.owner,
        reason: entry.reason,
        expires: entry.expires,
        mode: entry.mode,
      })),
    },
  };
}

function toDashboardTest(test: FlakyTestEntry): DashboardTest {
  return {
    key: test.key,
    flakyRate: test.flakyRate,
    executions: test.executions,
    failures: test.failures,
    signals: test.signals,
    lastFlakyAt: test.lastFlakyAt,
    evidence: (test.evidence ?? []).map((e) => ({
      kind: e.kind,
      at: e.at,
      runId: e.runId,
      commit: e.commit,
    })),
    hints: test.hints ?? [],
  };
}

/**
 * `GET /api/v1/dashboard/releases`: the window's newest deployments with their canary verdict,
 * gate results, incidents and rollbacks. Throws what the store throws.
 */
export async function buildReleasesPanel(
  store: Store,
  query: DashboardPartQuery,
): Promise<DashboardReleasesPanel> {
  const measure = query.measure ?? runPart;
  const to = query.now.getTime();
  const rows = await measure('recent deployments', () =>
    listRecentDeployments(store.db, {
      environment: query.environment,
      service: query.service,
      from: to - query.windowMs,
      to,
      limit: recentLimit,
    }),
  );
  if (rows.length === 0) return { releases: { status: 'no-data', hint: dashboardHints.releases } };
  const byService = new Map<string, RecentDeploymentRow[]>();
  for (const row of rows) byService.set(row.service, [...(byService.get(row.service) ?? []), row]);
  const described = new Map<RecentDeploymentRow, DashboardDeployment>();
  for (const [service, list] of byService) {
    const ids = list.map((row) => row.deployment);
    const incidents = await measure('releases: incidents', () =>
      findIncidentsOfDeployments(store.db, service, ids),
    );
    const events = await measure('releases: their events', () =>
      findEventsOfDeployment(store.db, {
        service,
        deployments: ids,
        commits: list.flatMap((row) => (row.commit === null ? [] : [row.commit])),
        incidents: [],
        limit: 100_000,
      }),
    );
    for (const row of list) {
      const own = events.filter(
        (e) => e.deployment === row.deployment && e.environment === row.environment,
      );
      const ofCommit = events.filter((e) => row.commit !== null && e.commit === row.commit);
      const canary = own.some((e) => e.type === 'canary_failed')
        ? 'failed'
        : own.some((e) => e.type === 'canary_promoted')
          ? 'promoted'
          : null;
      described.set(row, {
        service,
        environment: row.environment,
        deployment: row.deployment,
        commit: row.commit,
        startedAt: row.startAt === null ? null : new Date(row.startAt).toISOString(),
        finishedAt: row.finishedAt === null ? null : new Date(row.finishedAt).toISOString(),
        result: row.result,
        failed: row.failed,
        leadTimeSeconds: row.leadSeconds,
        canary,
        gates: {
          passed: ofCommit.filter((e) => e.type === 'policy_passed').length,
          failed: ofCommit.filter((e) => e.type === 'policy_failed').length,
        },
        incidents: incidents.get(row.deployment) ?? [],
        rollbacks: row.rollbacks,
      });
    }
  }
  return {
    releases: {
      status: 'ok',
      deployments: rows.map((row) => described.get(row) as DashboardDeployment),
    },
  };
}

/** Steps a timeline lists at most. */
const timelineLimit = 1_000;

/**
 * A deployment's timeline from the ledger, oldest first: the events of its commits (commit,
 * build, tests, scans, policy), its own events (canary, promotion, finish, rollback) and those
 * of the incidents linked to it. Throws CandorError `not-found` for an unknown deployment.
 */
export async function buildDeploymentTimeline(
  store: Store,
  query: { service: string; environment: string; deployment: string },
): Promise<DeploymentTimeline> {
  const found = await findProjectedDeployments(store.capabilities, store.db, [query]);
  const projected = [...found.values()][0];
  if (projected === undefined)
    throw new CandorError(
      'not-found',
      `no deployment "${query.deployment}" of service "${query.service}" in ${query.environment}`,
    );
  const { facts } = projected;
  const commits = [
    ...new Set([facts.commit, ...(facts.commits ?? [])].flatMap((c) => (c === null ? [] : [c]))),
  ];
  const incidents =
    (await findIncidentsOfDeployments(store.db, query.service, [query.deployment])).get(
      query.deployment,
    ) ?? [];
  const events = await findEventsOfDeployment(store.db, {
    service: query.service,
    deployments: [query.deployment],
    commits,
    incidents,
    limit: timelineLimit,
  });
  const steps = events
    // Another deployment of the same commit (another environment) is not this one's story.
    .filter(
      (e) =>
        e.deployment === null ||
        (e.deployment === query.deployment &&
          (e.environment ?? 'production') === query.environment) ||
        (e.incident !== null && incidents.includes(e.incident)),
    )
    .map((e) => ({
      type: e.type,
      occurredAt: e.occurredAt,
      result: e.result,
      source: e.source,
      id: e.id,
    }));
  return {
    service: query.service,
    environment: query.environment,
    deployment: query.deployment,
    commit: facts.commit,
    steps,
  };
}
