import { z } from 'zod';
import { DurationText } from '../core/lib/parse-duration.ts';
import {
  defaultDirections,
  detectorOptions,
  WatchDirection,
} from '../core/watch/detector-options.ts';
import type { CanaryConfig } from './canary-config.ts';

const common = {
  /** The name of a metric of `canary.metrics`: its queries and the canary source are reused. */
  metric: z.string().trim().min(1).max(200),
  /** A degraded finding on this metric runs the service's rollback action (`services:`). */
  rollback: z.boolean().default(false),
};

/** Slow drift of a gauge since the deploy (GLS slope with the noise learnt over `preDeploy`; else Theil–Sen and Hamed–Rao Mann–Kendall). */
const DriftWatch = z.strictObject({
  ...common,
  detector: z.literal('drift'),
  direction: WatchDirection.default(defaultDirections.drift),
  ...detectorOptions.drift,
  /** Remove seasonality with the same hours of the earlier days of `baselineDays`. */
  seasonal: z.boolean().default(false),
});

/** A level shift: the intervals since the deploy against as many just before it. */
const ShiftWatch = z.strictObject({
  ...common,
  detector: z.literal('shift'),
  direction: WatchDirection.default(defaultDirections.shift),
  ...detectorOptions.shift,
});

/** A rate KPI (a `count` metric) against the same hours of earlier days (`baselineDays`). */
const KpiWatch = z.strictObject({
  ...common,
  detector: z.literal('kpi'),
  direction: WatchDirection.default(defaultDirections.kpi),
  ...detectorOptions.kpi,
});

/** An SLO's error-budget burn: the `count` metric's events are the bad ones. */
const BurnWatch = z.strictObject({
  ...common,
  detector: z.literal('burn'),
  ...detectorOptions.burn,
});

export const WatchMetricConfig = z.discriminatedUnion('detector', [
  DriftWatch,
  ShiftWatch,
  KpiWatch,
  BurnWatch,
]);
export type WatchMetricConfig = z.output<typeof WatchMetricConfig>;

/** How one service is watched after a deploy (`candor watch --service S`). */
export const WatchServiceConfig = z.strictObject({
  /** How long after the deploy the watch runs. */
  window: DurationText.default(7_200_000),
  /** How often the loop evaluates. */
  every: DurationText.default(60_000),
  /**
   * How much of each drift gauge's history before the deploy the watch reads to learn its noise
   * (φ, σ) and level; `off` turns it off (the drift test then learns φ from the watch itself).
   */
  preDeploy: z.union([z.literal('off').transform(() => 0), DurationText]).default(14_400_000),
  /** Values of the query templates' placeholders (`{{version}}` → `labels.version`). */
  labels: z.record(z.string().min(1).max(100), z.string().max(500)).default({}),
  /** The earlier days (1: yesterday, 7: a week ago) whose same hours are the seasonal baseline. */
  baselineDays: z.array(z.number().int().min(1).max(28)).min(1).max(8).default([1, 7]),
  metrics: z.array(WatchMetricConfig).min(1, 'at least one metric is needed'),
});
export type WatchServiceConfig = z.output<typeof WatchServiceConfig>;

/** `watch:` in candor.yml (README "candor watch"): per service, the metrics watched after a deploy. */
export const WatchConfig = z.record(z.string().min(1).max(200), WatchServiceConfig);
export type WatchConfig = z.output<typeof WatchConfig>;

/** The detectors a metric kind can feed: gauges and distributions drift and shift, counts are rates. */
const detectorsOf = {
  count: ['kpi', 'burn'],
  gauge: ['drift', 'shift'],
  distribution: ['drift', 'shift'],
} as const;

type Issue = { path: (string | number)[]; message: string };

/**
 * Checks that every watched metric names a metric of `canary.metrics` whose kind its detector
 * can read (`kpi`/`burn`: a `count`; `drift`/`shift`: a gauge or distribution). Pure.
 */
export function checkWatchReferences(
  watch: WatchConfig | undefined,
  canary: CanaryConfig | undefined,
): Issue[] {
  if (watch === undefined) return [];
  const issues: Issue[] = [];
  const known = new Map((canary?.metrics ?? []).map((m) => [m.name, m.kind] as const));
  for (const [service, config] of Object.entries(watch))
    config.metrics.forEach((metric, i) => {
      const path = ['watch', service, 'metrics', i, 'metric'];
      const kind = known.get(metric.metric);
      if (kind === undefined)
        issues.push({
          path,
          message:
            canary === undefined
              ? `"${metric.metric}": the watch reuses canary.metrics and their source, and candor.yml has no canary: section`
              : `"${metric.metric}" is not a metric of canary.metrics (known: ${[...known.keys()].join(', ')})`,
        });
      else if (!(detectorsOf[kind] as readonly string[]).includes(metric.detector))
        issues.push({
          path,
          message: `the ${metric.detector} detector cannot read "${metric.metric}", a ${kind} metric (it takes ${metric.detector === 'kpi' || metric.detector === 'burn' ? 'a count' : 'a gauge or distribution'})`,
        });
    });
  return issues;
}
