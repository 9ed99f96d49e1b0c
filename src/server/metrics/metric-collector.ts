import type { ServiceDeliverySnapshot } from '../../app/delivery/build-dora-report.ts';

/** What `/metrics` is computed from at one scrape: every collector reads only this. */
export type MetricsSnapshot = {
  /** Lifetime delivery values per service, production environment. */
  delivery: readonly ServiceDeliverySnapshot[];
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
 * One sample of a collector: for a counter its total and for a gauge its value, for labels
 * given in the collector's `labels` order (the order they are written in); for a histogram one
 * observation (a collector returns one sample per observation).
 */
export type MetricSample<Label extends string = string> = {
  labels: Readonly<Record<Label, string>>;
  value: number;
};

/**
 * One Prometheus metric of `/metrics`, described as data: its name is its key in `collectors`.
 * `collect` is pure: the samples of a snapshot, in the order they are written; no sample for a
 * label set means the series is absent (not zero). `buckets` (histograms only) are the upper
 * bounds, ascending. Never throws.
 */
export type MetricCollector<Label extends string = string> = {
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: readonly Label[];
  buckets?: readonly number[] | undefined;
  collect(snapshot: MetricsSnapshot): MetricSample<Label>[];
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
