import { latestCanaryVerdicts } from '../../app/canary/canary-analyses.ts';
import { buildDeliverySnapshot } from '../../app/delivery/build-dora-report.ts';
import { analyzeFlakyTests } from '../../app/flaky/build-flaky-report.ts';
import { defaultFlakyQuery, flakyQueryDefaults } from '../../contracts/queries.ts';
import type { Store } from '../../store/open-store.ts';
import type { MetricsSnapshot } from './metric-collector.ts';

/**
 * Reads what `/metrics` shows at `now`: the whole ledger replayed per service, and the flake
 * budget of `candor flaky budget`'s default window (absent before any test report). Throws what the store throws.
 */
export async function gatherMetricsSnapshot(store: Store, now: Date): Promise<MetricsSnapshot> {
  const delivery = await buildDeliverySnapshot(store, now);
  // As `candor flaky budget` with no flag.
  const report = await analyzeFlakyTests(store, { ...defaultFlakyQuery, now, ownersOf: () => [] });
  const canaries = await latestCanaryVerdicts(store);
  return {
    delivery,
    canaries,
    flake:
      report.budget.testsSeen === 0
        ? undefined
        : {
            window: flakyQueryDefaults.window,
            rate: report.budget.rate,
            flakyTests: report.counts.flaky,
            testsSeen: report.budget.testsSeen,
          },
  };
}
