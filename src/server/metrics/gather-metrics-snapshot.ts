import { analyzeFlakyTests } from '../../app/flaky/build-flaky-report.ts';
import { defaultFlakyQuery, flakyQueryDefaults } from '../../contracts/queries.ts';
import type { Store } from '../../store/open-store.ts';
import type { MetricsSnapshot } from './metric-collector.ts';

/** The flake part of a snapshot at `now` (absent before any test report). Throws what the store throws. */
export async function gatherFlakeSnapshot(
  store: Store,
  now: Date,
): Promise<MetricsSnapshot['flake']> {
  // As `candor flaky budget` with no flag.
  const report = await analyzeFlakyTests(store, { ...defaultFlakyQuery, now, ownersOf: () => [] });
  return report.budget.testsSeen === 0
    ? undefined
    : {
        window: flakyQueryDefaults.window,
        rate: report.budget.rate,
        flakyTests: report.counts.flaky,
        testsSeen: report.budget.testsSeen,
      };
}
