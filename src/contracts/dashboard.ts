import { z } from 'zod';
import type { DurationStats } from '../core/lib/stats.ts';
import type { GateQuality } from '../core/delivery/dora/gate-quality.ts';
import type { StageLatency } from '../core/delivery/dora/stage-latency.ts';
import type { FlakeBudget } from '../core/flaky/flake-budget.ts';
import type { DrillRow } from '../core/release/drill-status.ts';

/** The windows the dashboard offers (README "The dashboard and `candor report`"). */
export const dashboardWindows = ['7d', '14d', '30d', '90d'] as const;
export type DashboardWindow = (typeof dashboardWindows)[number];

/** The defaults of `DashboardQuery`, as text. */
export const dashboardQueryDefaults = { window: '30d', env: 'production' } as const;

/**
 * `GET /api/v1/dashboard` and `candor report`: one service (default: all), the environment
 * `production`, the window `30d` (one of 7d, 14d, 30d, 90d).
 */
export const DashboardQuery = z
  .object({
    service: z.string().min(1).optional(),
    env: z.string().min(1).default(dashboardQueryDefaults.env),
    window: z.enum(dashboardWindows).default(dashboardQueryDefaults.window),
  })
  .transform((query) => ({
    service: query.service,
    environment: query.env,
    window: query.window,
    windowMs: Number.parseInt(query.window, 10) * 86_400_000,
  }));
export type DashboardQuery = z.output<typeof DashboardQuery>;

/** `GET /api/v1/dashboard/deployments/:deployment/timeline`: which deployment, of which service. */
export const TimelineQuery = z.object({
  service: z.string().min(1),
  env: z.string().min(1).default(dashboardQueryDefaults.env),
});
export type TimelineQuery = z.output<typeof TimelineQuery>;

/**
 * A panel's payload: its data, or `no-data` with the hint that says how to send it (so the
 * page shows "no data yet: how to send it" instead of zeros).
 */
export type Panel<T> = ({ status: 'ok' } & T) | { status: 'no-data'; hint: string };

/** The four keys of one window (DEFINITIONS.md). */
export type FourKeys = {
  window: { from: string; to: string; days: number };
  deployments: number;
  deploymentFrequencyPerDay: number;
  leadTimeSeconds: DurationStats;
  changeFailureRate: number | null;
  recoveryTimeSeconds: DurationStats;
};

export type KeysPanel = { current: FourKeys; previous: FourKeys };

export type DeliveryPanel = {
  /** Deployments started per UTC day of the window, oldest first (days without any: 0). */
  deploymentsPerDay: { day: string; deployments: number }[];
  /** Per calendar week of the window (clipped), oldest first. */
  weekly: {
    from: string;
    to: string;
    deployments: number;
    leadTimeSeconds: DurationStats;
    changeFailureRate: number | null;
    recoveryTimeSeconds: DurationStats;
  }[];
  stageLatency: StageLatency[];
};

export type QualityPanel = {
  falsePositiveRate: number | null;
  falseNegativeRate: number | null;
  timeToDetectSeconds: DurationStats;
  rollbackSuccessRate: number | null;
  /**
   * Per gate (checklist of `candor gate`), against production in the window: what it blocked and
   * passed, its true catches, false positives and false negatives (as `candor dora`).
   */
  gates: GateQuality[];
  /** The last drill per service and environment; `stale` when older than its limit (30 days). */
  drills: (DrillRow & { stale: boolean })[];
};

export type DashboardTest = {
  key: string;
  flakyRate: number;
  executions: number;
  failures: number;
  signals: string[];
  lastFlakyAt: string | null;
  evidence: { kind: string; at: string; runId: string; commit: string | null }[];
  hints: string[];
};

export type TestsPanel = {
  budget: FlakeBudget;
  /**
   * The flake rate of each calendar week of the window, oldest first (clipped): the window's
   * budget by week, so its tests are classified once and the weeks add up to `budget`.
   */
  weekly: { from: string; to: string; rate: number | null; executions: number }[];
  topFlaky: DashboardTest[];
  broken: DashboardTest[];
  /** The server's `.candor/quarantine.yml` (none when the server has no such file). */
  quarantined: { key: string; owner: string; reason: string; expires: string; mode: string }[];
};

export type DashboardDeployment = {
  service: string;
  environment: string;
  deployment: string;
  commit: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** success, failure, or null while it runs. */
  result: string | null;
  failed: boolean;
  leadTimeSeconds: number | null;
  /** `promoted`, `failed`, or null without a canary. */
  canary: 'promoted' | 'failed' | null;
  /** The policy (gate) results of its commit: passed and failed counts. */
  gates: { passed: number; failed: number };
  incidents: string[];
  rollbacks: number;
};

export type ReleasesPanel = { deployments: DashboardDeployment[] };

/** The JSON of `GET /api/v1/dashboard`. */
export type Dashboard = {
  generatedAt: string;
  filters: {
    service: string | null;
    environment: string;
    window: DashboardWindow;
    /** The services with delivery events, for the filter. */
    services: string[];
  };
  keys: Panel<KeysPanel>;
  delivery: Panel<DeliveryPanel>;
  quality: Panel<QualityPanel>;
  tests: Panel<TestsPanel>;
  releases: Panel<ReleasesPanel>;
};

/**
 * The dashboard's parts, each its own request so the page draws a panel as soon as its data
 * arrives (README "The dashboard's API"); together they are `Dashboard`.
 * `GET /api/v1/dashboard/filters`: the query as the server understood it, and the services.
 */
export type DashboardFilters = Pick<Dashboard, 'generatedAt' | 'filters'>;
/** `GET /api/v1/dashboard/delivery`: the panels that read the ledger's DORA numbers. */
export type DashboardDeliveryPanels = Pick<Dashboard, 'keys' | 'delivery' | 'quality'>;
/** `GET /api/v1/dashboard/tests`: the test truth panel. */
export type DashboardTestsPanel = Pick<Dashboard, 'tests'>;
/** `GET /api/v1/dashboard/releases`: the recent releases panel. */
export type DashboardReleasesPanel = Pick<Dashboard, 'releases'>;

/** One step of a deployment's timeline, from the ledger. */
export type TimelineStep = {
  type: string;
  occurredAt: string;
  result: string | null;
  source: string;
  id: string;
};

/** The JSON of `GET /api/v1/dashboard/deployments/:deployment/timeline`. */
export type DeploymentTimeline = {
  service: string;
  environment: string;
  deployment: string;
  commit: string | null;
  steps: TimelineStep[];
};

/**
 * The JSON `candor report --html` inlines in its page: the dashboard, and the timelines of the
 * deployments its recent releases list (a deployment without one says it is not in the report).
 */
export type DashboardReport = { dashboard: Dashboard; timelines: DeploymentTimeline[] };
