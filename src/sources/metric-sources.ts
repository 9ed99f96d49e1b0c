import { z } from 'zod';
import { fileSource } from './file/file-source.ts';
import type { AnyMetricSource, MetricSource } from './metric-source.ts';
import { prometheusSource } from './prometheus/prometheus-source.ts';

/**
 * Every metric source, by id (= `canary.source.kind`). Adding one is a folder beside this file
 * and one line here, plus its schema in `MetricSourceConfig` (docs/adr/0011-plugin-families.md).
 */
export const metricSources = {
  prometheus: prometheusSource,
  file: fileSource,
} satisfies Record<string, AnyMetricSource>;

export type MetricSourceId = keyof typeof metricSources;
export const metricSourceIds = Object.keys(metricSources) as MetricSourceId[];

/** `canary.source`: one of the registered sources' configurations, told apart by `kind`. */
export const MetricSourceConfig = z.discriminatedUnion('kind', [
  metricSources.prometheus.config,
  metricSources.file.config,
]);
export type MetricSourceConfig = z.output<typeof MetricSourceConfig>;

/**
 * Opens the source a configuration names. Throws CandorError `usage` when the configuration
 * names something that is not there (an unset environment variable).
 */
export function openMetricSource(
  config: MetricSourceConfig,
  environment: Parameters<MetricSource['open']>[1],
): ReturnType<MetricSource['open']> {
  switch (config.kind) {
    case 'prometheus':
      return metricSources.prometheus.open(config, environment);
    case 'file':
      return metricSources.file.open(config, environment);
  }
}
