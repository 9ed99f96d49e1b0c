import type { Kysely, Transaction } from 'kysely';
import type { ApiTokenTable } from './api-token.table.ts';
import type { CanaryAnalysisTable } from './canary-analysis.table.ts';
import type { WatchTable } from './watch.table.ts';
import type { DailyTotalsTable } from './daily-totals.table.ts';
import type { DeliveryEventTable } from './delivery-event.table.ts';
import type {
  DeliveryCommitTable,
  DeliveryDeploymentCommitTable,
  DeliveryDeploymentTable,
  DeliveryIncidentResolutionTable,
  DeliveryIncidentTable,
  DeliveryTotalTable,
} from './delivery-projection.table.ts';
import type {
  DoraChecklistTable,
  DoraDailyDeploymentTable,
  DoraDailySpanTable,
  DoraDeploymentCommitTable,
  DoraDeploymentTable,
  DoraGatePassTable,
  DoraPolicyFailureTable,
  DoraStageSpanTable,
  ProjectionStateTable,
} from './dora-projection.table.ts';
import type { TestDailyRecentDayTable } from './test-daily-recent-day.table.ts';
import type { TestDailyStatsTable } from './test-daily-stats.table.ts';
import type { TestExecutionTable } from './test-execution.table.ts';
import type { TestFailureTable } from './test-failure.table.ts';
import type { TestFlakyEventTable } from './test-flaky-event.table.ts';
import type { TestReportTable } from './test-report.table.ts';
import type { TestRunTable } from './test-run.table.ts';
import type { TestStateTable } from './test-state.table.ts';
import type { TestTable } from './test.table.ts';

/**
 * Every table, as Kysely sees it. Row types are the store's own business: repositories map them
 * to and from core types, and nothing outside src/store reads or builds a row (docs/adr/0012).
 */
export type Database = {
  test_runs: TestRunTable;
  tests: TestTable;
  test_reports: TestReportTable;
  test_executions: TestExecutionTable;
  api_tokens: ApiTokenTable;
  test_daily_stats: TestDailyStatsTable;
  /** Recent days of `test_daily_stats`, where ingest folds (docs/adr/0050). */
  test_daily_recent: TestDailyStatsTable;
  /** The days `test_daily_recent` holds (docs/adr/0055). */
  test_daily_recent_days: TestDailyRecentDayTable;
  daily_totals: DailyTotalsTable;
  test_failures: TestFailureTable;
  test_flaky_events: TestFlakyEventTable;
  test_state: TestStateTable;
  delivery_events: DeliveryEventTable;
  delivery_deployments: DeliveryDeploymentTable;
  delivery_deployment_commits: DeliveryDeploymentCommitTable;
  delivery_commits: DeliveryCommitTable;
  delivery_incidents: DeliveryIncidentTable;
  delivery_incident_resolutions: DeliveryIncidentResolutionTable;
  delivery_totals: DeliveryTotalTable;
  dora_deployments: DoraDeploymentTable;
  dora_deployment_commits: DoraDeploymentCommitTable;
  dora_gate_passes: DoraGatePassTable;
  dora_checklists: DoraChecklistTable;
  dora_policy_failures: DoraPolicyFailureTable;
  dora_stage_spans: DoraStageSpanTable;
  dora_daily_deployments: DoraDailyDeploymentTable;
  dora_daily_spans: DoraDailySpanTable;
  candor_projection_state: ProjectionStateTable;

  canary_analyses: CanaryAnalysisTable;
  watches: WatchTable;
  /** Kysely's migration log. */
  candor_migration: { name: string; timestamp: string };
};

/** What queries run on: the store's database, or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;
