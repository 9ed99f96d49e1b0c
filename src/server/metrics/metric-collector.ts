import type { ServiceDeliveryTotals } from '../../app/delivery/read-delivery-totals.ts';

/** What `/metrics` is computed from at one scrape: every collector reads only this. */
export type MetricsSnapshot = {
  /** Lifetime delivery totals per service and environment (the projection `delivery_totals`). */
  delivery: readonly ServiceDeliveryTotals[];
  /** The flake budget over its window; undefined before any test report exists. */
  flake:
    | {
        /** The window's label value, e.g. `14d`. */
        window: string;
        /** Flaky executions ÷ executions; null without executions. */
        rate: number | null;
        flakyTests: number;
        testsSeen: number;
      }
    | undefined;
  /** The latest final canary verdict per service and environment (absent: none yet). */
  canaries?: readonly {
    service: string;
    environment: string | undefined;
    verdict: 'promote' | 'rollback' | 'inconclusive';
  }[];
};

/**
 * One sample of a counter (its total) or a gauge (its value), for labels given in the
 * collector's `labels` order (the order they are written in).
 */
export type MetricSample<Label extends string = string> = {
  labels: Readonly<Record<Label, string>>;
  value: number;
};

/**
 * One series of a histogram, already counted: `counts[i]` observations fell in bucket `i` (at
 * most `buckets[i]`, above the bucket before), the last one above every edge (`+Inf`); `sum` of
 * every observation.
 */
export type HistogramSample<Label extends string = string> = {
  labels: Readonly<Record<Label, string>>;
  counts: readonly number[];
  sum: number;
};

/**
 * One Prometheus metric of `/metrics`, described as data: its name is its key in `collectors`.
 * `collect` is pure: the samples of a snapshot, in the order they are written; no sample for a
 * label set means the series is absent (not zero). A histogram has its `buckets` (upper bounds,
 * ascending) and collects counted series. Never throws.
 */
export type MetricCollector<Label extends string = string> =
  | {
      help: string;
      type: 'counter' | 'gauge';
      labels: readonly Label[];
      collect(snapshot: MetricsSnapshot): MetricSample<Label>[];
    }
  | {
      help: string;
      type: 'histogram';
      labels: readonly Label[];
      buckets: readonly number[];
      collect(snapshot: MetricsSnapshot): HistogramSample<Label>[];
    };

/**
 * A collector whose samples are checked against its own `labels` (a table typed only as
 * `Record<string, MetricCollector>` would accept any label). Returns it unchanged.
 */
export function defineCollector<const Label extends string>(
  collector: MetricCollector<Label>,
): MetricCollector<Label> {
  return collector;
}
