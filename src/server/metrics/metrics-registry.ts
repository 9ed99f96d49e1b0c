import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricCollector, MetricSample, MetricsSnapshot } from './metric-collector.ts';

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
  const metrics = Object.entries(table).map(([name, collector]) => ({
    collector,
    write: register(registry, name, collector),
  }));
  // Renders are chained: samples are written into shared prom-client metrics, and the chain keeps
  // one render's samples from reaching another's text whenever prom-client reads them.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    contentType: registry.contentType,
    render(snapshot) {
      const text = queue.then(async () => {
        for (const { collector, write } of metrics) write(collector.collect(snapshot));
        return registry.metrics();
      });
      queue = text.catch(() => undefined);
      return text;
    },
  };
}

/** Registers one collector's metric; returns what replaces its samples. */
function register(
  registry: Registry,
  name: string,
  collector: MetricCollector,
): (samples: readonly MetricSample[]) => void {
  const configuration = {
    name,
    help: collector.help,
    labelNames: collector.labels,
    registers: [registry],
  };
  switch (collector.type) {
    case 'counter': {
      const counter = new Counter(configuration);
      return (samples) => {
        counter.reset();
        for (const { labels, value } of samples) counter.inc(labels, value);
      };
    }
    case 'gauge': {
      const gauge = new Gauge(configuration);
      return (samples) => {
        gauge.reset();
        for (const { labels, value } of samples) gauge.set(labels, value);
      };
    }
    case 'histogram': {
      const histogram = new Histogram(
        collector.buckets === undefined
          ? configuration
          : { ...configuration, buckets: [...collector.buckets] },
      );
      return (samples) => {
        histogram.reset();
        for (const { labels, value } of samples) histogram.observe(labels, value);
      };
    }
  }
}
