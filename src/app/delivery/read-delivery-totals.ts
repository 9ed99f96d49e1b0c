import { deliveryBucketsSeconds } from '../../core/delivery/projections/measure-deployment.ts';
import { listTotals } from '../../store/repositories/delivery/delivery-projection.repository.ts';
import type { Store } from '../../store/open-store.ts';

/** A histogram already counted: per bucket of `deliveryBucketsSeconds`, then `+Inf`; the sum. */
export type CountedHistogram = { counts: number[]; sum: number };

/**
 * The lifetime delivery totals of one service in one environment (DEFINITIONS.md
 * "Prometheus"): deployments by the result of their first `deploy_finished`, change failures,
 * finished rollbacks by result, lead and recovery times.
 */
export type ServiceDeliveryTotals = {
  service: string;
  environment: string;
  deployments: { success: number; failure: number };
  changeFailures: number;
  rollbacks: { success: number; failure: number };
  leadTime: CountedHistogram;
  recoveryTime: CountedHistogram;
};

const emptyHistogram = (): CountedHistogram => ({
  counts: new Array<number>(deliveryBucketsSeconds.length + 1).fill(0),
  sum: 0,
});

/**
 * The totals per service and environment, sorted, from the projection kept at ingest: one read
 * of a few rows per service, whatever the size of the ledger. Throws what the store throws.
 */
export async function readDeliveryTotals(store: Store): Promise<ServiceDeliveryTotals[]> {
  const byKey = new Map<string, ServiceDeliveryTotals>();
  for (const total of await listTotals(store.db)) {
    const key = `${total.service}\0${total.environment}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        service: total.service,
        environment: total.environment,
        deployments: { success: 0, failure: 0 },
        changeFailures: 0,
        rollbacks: { success: 0, failure: 0 },
        leadTime: emptyHistogram(),
        recoveryTime: emptyHistogram(),
      };
      byKey.set(key, entry);
    }
    // Totals are sums of ±1: round away the float noise of the sums of seconds only.
    const value = total.value;
    switch (total.metric) {
      case 'deployments':
      case 'rollbacks':
        if (total.label === 'success' || total.label === 'failure')
          entry[total.metric][total.label] += Math.round(value);
        break;
      case 'change_failures':
        entry.changeFailures += Math.round(value);
        break;
      case 'lead_time':
      case 'recovery_time': {
        const histogram = total.metric === 'lead_time' ? entry.leadTime : entry.recoveryTime;
        if (total.label === 'sum') histogram.sum += value;
        else {
          const index =
            total.label === '+Inf'
              ? deliveryBucketsSeconds.length
              : deliveryBucketsSeconds.indexOf(Number(total.label));
          if (index >= 0)
            histogram.counts[index] = (histogram.counts[index] ?? 0) + Math.round(value);
        }
        break;
      }
      default:
        break;
    }
  }
  // Every duration is whole milliseconds, so a sum is too: what is left is the float noise of the
  // order the seconds were added in, which differs after `candor db rebuild` or between replicas
  // and would make a `_sum` go down by 1e-11 (a counter reset to Prometheus).
  for (const entry of byKey.values())
    for (const histogram of [entry.leadTime, entry.recoveryTime])
      histogram.sum = Math.round(histogram.sum * 1_000) / 1_000;
  return [...byKey.values()];
}
