import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { HistogramSample, MetricCollector, MetricsSnapshot } from './metric-collector.ts';

/** The Prometheus text of a table of collectors, for one snapshot at a time. */
export type MetricsRegistry = {
  /** The Content-Type of the text (Prometheus text format 0.0.4). */
  contentType: string;
  /** The text of every collector for `snapshot`, in table order. Renders run one at a time. */
  render(snapshot: MetricsSnapshot): Promise<string>;
};

/**
 * A prom-client registry built from a table of collectors (`collectors.ts`): one metric per
 * entry, named by its key. Each render resets every metric and writes the samples its collector
 * gives for the snapshot, so nothing of an earlier snapshot remains. Throws (a bug) when the
 * table breaks a prom-client rule: a bad name or label, a label missing from a sample.
 */
export function createMetricsRegistry(
  table: Readonly<Record<string, MetricCollector>>,
): MetricsRegistry {
  const registry = new Registry();
  const metrics = Object.entries(table).map(([name, collector]) =>
    register(registry, name, collector),
  );
  // Renders are chained: samples are written into shared prom-client metrics, and the chain keeps
  // one render's samples from reaching another's text whenever prom-client reads them.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    contentType: registry.contentType,
    render(snapshot) {
      const text = queue.then(async () => {
        for (const write of metrics) write(snapshot);
        return registry.metrics();
      });
      queue = text.catch(() => undefined);
      return text;
    },
  };
}

/** Registers one collector's metric; returns what replaces its samples with a snapshot's. */
function register(
  registry: Registry,
  name: string,
  collector: MetricCollector,
): (snapshot: MetricsSnapshot) => void {
  const configuration = {
    name,
    help: collector.help,
    labelNames: collector.labels,
    registers: [registry],
  };
  switch (collector.type) {
    case 'counter': {
      const counter = new Counter(configuration);
      return (snapshot) => {
        counter.reset();
        for (const { labels, value } of collector.collect(snapshot)) counter.inc(labels, value);
      };
    }
    case 'gauge': {
      const gauge = new Gauge(configuration);
      return (snapshot) => {
        gauge.reset();
        for (const { labels, value } of collector.collect(snapshot)) gauge.set(labels, value);
      };
    }
    case 'histogram': {
      // Series arrive already counted (totals kept at ingest), which prom-client's Histogram
      // cannot take: this metric gives prom-client the values it writes for a histogram.
      let series: readonly HistogramSample[] = [];
      const { buckets } = collector;
      const histogram = {
        name,
        help: collector.help,
        type: 'histogram',
        aggregator: 'sum',
        get: () =>
          Promise.resolve({
            name,
            help: collector.help,
            type: 'histogram',
            aggregator: 'sum',
            values: series.flatMap((s) => histogramValues(name, buckets, s)),
          }),
        reset: () => {
          series = [];
        },
      };
      registry.registerMetric(histogram as unknown as Metric);
      return (snapshot) => {
        series = collector.collect(snapshot);
      };
    }
  }
}

/** The `_bucket` (cumulative, `le` first), `_sum` and `_count` values of one counted series. */
function histogramValues(name: string, buckets: readonly number[], sample: HistogramSample) {
  const values: { metricName: string; labels: Record<string, string | number>; value: number }[] =
    [];
  let cumulative = 0;
  buckets.forEach((edge, i) => {
    cumulative += sample.counts[i] ?? 0;
    values.push({
      metricName: `${name}_bucket`,
      labels: { le: edge, ...sample.labels },
      value: cumulative,
    });
  });
  cumulative += sample.counts[buckets.length] ?? 0;
  values.push(
    { metricName: `${name}_bucket`, labels: { le: '+Inf', ...sample.labels }, value: cumulative },
    { metricName: `${name}_sum`, labels: { ...sample.labels }, value: sample.sum },
    { metricName: `${name}_count`, labels: { ...sample.labels }, value: cumulative },
  );
  return values;
}
