import { z } from 'zod';
import {
  CountMetricInput,
  ScoreThresholds,
  SeriesMetricInput,
} from '../core/canary/canary-input.ts';
import { judgeModes } from '../core/canary/canary-report.ts';
import { DurationText } from '../core/lib/parse-duration.ts';
import { MetricSourceConfig } from '../sources/metric-sources.ts';

/** What a metric of candor.yml shares with the judge's input, without the data. */
const judged = { baseline: true, canary: true, error: true } as const;

/**
 * A PromQL template: `{{version}}`-style placeholders are replaced by the labels of
 * `--baseline`/`--canary` (`version=stable`), and `{{interval}}`, `{{start}}`, `{{end}}` by the
 * analysis's step (`1m`) and window (unix seconds).
 */
const Query = z.string().trim().min(1, 'the query is empty');

/** A `count` metric: events (errors) and the total they are counted out of (requests). */
export const CountMetricConfig = CountMetricInput.omit({ ...judged, ordered: true }).extend({
  numerator: Query,
  denominator: Query,
});
/** A `distribution` (a latency quantile, a histogram) or `gauge` (CPU, memory) metric. */
export const SeriesMetricConfig = SeriesMetricInput.omit(judged).extend({ query: Query });

export const CanaryMetricConfig = z.discriminatedUnion('kind', [
  CountMetricConfig,
  SeriesMetricConfig,
]);
export type CanaryMetricConfig = z.output<typeof CanaryMetricConfig>;

/**
 * `canary:` in candor.yml (README "Canary analysis"): where the metrics come from, how often
 * they are sampled (`interval`, the query step), how long an analysis runs at least before it
 * may promote (`minimumDuration`) and at most (`maximumDuration`, for `candor serve`: an analysis
 * still inconclusive then ends inconclusive), the judge's mode, score thresholds, and the
 * metrics. Durations are Prometheus-style (`30s`, `1m`, `1h30m`), read as milliseconds.
 */
export const CanaryConfig = z
  .strictObject({
    source: MetricSourceConfig,
    interval: DurationText.default(60_000),
    minimumDuration: DurationText.default(600_000),
    maximumDuration: DurationText.optional(),
    mode: z.enum(judgeModes).default('default'),
    thresholds: ScoreThresholds.optional(),
    groupWeights: z.record(z.string(), z.number().nonnegative()).optional(),
    metrics: z.array(CanaryMetricConfig).min(1, 'at least one metric is needed'),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.metrics.forEach((metric, i) => {
      if (seen.has(metric.name))
        context.addIssue({
          code: 'custom',
          path: ['metrics', i, 'name'],
          message: `duplicate metric name "${metric.name}"`,
        });
      seen.add(metric.name);
    });
    if (config.minimumDuration < config.interval)
      context.addIssue({
        code: 'custom',
        path: ['minimumDuration'],
        message: 'minimumDuration must be at least one interval',
      });
    if (config.maximumDuration !== undefined && config.maximumDuration < config.minimumDuration)
      context.addIssue({
        code: 'custom',
        path: ['maximumDuration'],
        message: 'maximumDuration must not be shorter than minimumDuration',
      });
  });
export type CanaryConfig = z.output<typeof CanaryConfig>;
