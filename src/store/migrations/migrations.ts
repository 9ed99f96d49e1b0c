import type { Migration } from 'kysely';
import type { StoreCapabilities } from '../dialects/store-dialect.ts';
import { testResultsMigration } from './0001-test-results.ts';
import { flakyAggregatesMigration } from './0002-flaky-aggregates.ts';
import { deliveryEventsMigration } from './0003-delivery-events.ts';
import { testIdentityMigration } from './0004-test-identity.ts';
import { deliveryProjectionsMigration } from './0005-delivery-projections.ts';

import { canaryAnalysesMigration } from './0006-canary-analyses.ts';
import { watchesMigration } from './0008-watches.ts';
import { watchEvaluationsMigration } from './0009-watch-evaluations.ts';
import { doraProjectionsMigration } from './0010-dora-projections.ts';
import { testIdLocalityMigration } from './0011-test-id-locality.ts';
import { executionsInTestOrderMigration } from './0012-executions-in-test-order.ts';
import { recentDailyStatsMigration } from './0013-recent-daily-stats.ts';
import { executionsByReportNumberMigration } from './0014-executions-by-report-number.ts';
import { recentDaysMigration } from './0015-recent-days.ts';
import type { StoreMigration } from './store-migration.ts';

/** Every migration, in order. Names are permanent: never rename or reorder one that shipped. */
export const migrations: Record<string, StoreMigration> = {
  '0001-test-results': testResultsMigration,
  '0002-flaky-aggregates': flakyAggregatesMigration,
  '0003-delivery-events': deliveryEventsMigration,
  '0004-test-identity': testIdentityMigration,
  '0005-delivery-projections': deliveryProjectionsMigration,

  '0006-canary-analyses': canaryAnalysesMigration,
  '0008-watches': watchesMigration,
  '0009-watch-evaluations': watchEvaluationsMigration,
  '0010-dora-projections': doraProjectionsMigration,
  '0011-test-id-locality': testIdLocalityMigration,
  '0012-executions-in-test-order': executionsInTestOrderMigration,
  '0013-recent-daily-stats': recentDailyStatsMigration,
  '0014-executions-by-report-number': executionsByReportNumberMigration,
  '0015-recent-days': recentDaysMigration,
};

/** The migrations as Kysely's migrator runs them, on a database with these capabilities. */
export function kyselyMigrations(capabilities: StoreCapabilities): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => [
      name,
      { up: (db) => migration.up(db, capabilities) } satisfies Migration,
    ]),
  );
}
