import { buildDeliverySnapshot } from '../../app/delivery/build-dora-report.ts';
import { analyzeFlakyTests } from '../../app/flaky/build-flaky-report.ts';
import { dayMs } from '../../core/lib/time.ts';
import type { Store } from '../../store/open-store.ts';
import type { MetricsSnapshot } from './metric-collector.ts';

/** The flake gauges' window: as `candor flaky budget` with its defaults. */
const flakeWindow = { label: '14d', ms: 14 * dayMs } as const;

/**
 * Reads what `/metrics` shows at `now`: the whole ledger replayed per service, and the flake
 * budget of the last 14 days (absent before any test report). Throws what the store throws.
 */
export async function gatherMetricsSnapshot(store: Store, now: Date): Promise<MetricsSnapshot> {
  const delivery = await buildDeliverySnapshot(store, now);
  const report = await analyzeFlakyTests(store, {
    now,
    windowMs: flakeWindow.ms,
    defaultBranch: 'main',
    maxBudget: 0.005,
    ownersOf: () => [],
  });
  return {
    delivery,
    flake:
      report.budget.testsSeen === 0
        ? undefined
        : {
            window: flakeWindow.label,
            rate: report.budget.rate,
            flakyTests: report.counts.flaky,
            testsSeen: report.budget.testsSeen,
          },
  };
}
