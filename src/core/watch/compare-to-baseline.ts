import { compareCounts, type CountArm } from '../canary/compare-counts.ts';
import { compareSeries, type RelativeEffect } from '../canary/compare-series.ts';
import { decideMetric } from '../canary/decide-metric.ts';
import type { MetricDirection } from '../canary/kayenta/kayenta-options.ts';

/** What the shift and KPI detectors say of one metric. */
export type BaselineFinding = {
  result: 'degraded' | 'healthy' | 'inconclusive';
  test: string;
  effect: RelativeEffect | null;
  pValue: number | null;
  minimumDetectableEffect: number | null;
  reason: string;
};

const toFinding = (result: 'pass' | 'fail' | 'inconclusive') =>
  result === 'fail' ? 'degraded' : result === 'pass' ? 'healthy' : 'inconclusive';

/**
 * A level shift after the deploy (`shift`), or a business KPI against the same hours of earlier
 * days (`kpi`), for a per-interval series: the canary judge's paired, autocorrelation-corrected,
 * anytime-valid series test (`compareSeries`, STATISTICS.md) between `baseline` (aligned: the
 * intervals before the deploy, or the mean of the same minutes on earlier days) and `current`,
 * read against the practical `threshold` (relative; 0.05 = 5%) in the bad `direction` with the
 * canary's three-way decision. Checking every interval keeps its error rate (the test is valid at
 * every look). Pure.
 */
export function compareSeriesToBaseline(
  baseline: readonly (number | null)[],
  current: readonly (number | null)[],
  options: { direction: MetricDirection; threshold: number; alpha?: number },
): BaselineFinding {
  const alpha = options.alpha ?? 0.01;
  const compared = compareSeries(baseline, current, { alpha });
  if (!compared.ok)
    return {
      result: 'inconclusive',
      test: 'paired AR(1) series test',
      effect: null,
      pValue: null,
      minimumDetectableEffect: null,
      reason: compared.errors.join('; '),
    };
  const decision = decideMetric(
    compared.value.effect,
    compared.value.detectable,
    options.threshold,
    options.direction,
    1 - alpha,
  );
  return {
    result: toFinding(decision.result),
    test: compared.value.test,
    effect: compared.value.effect,
    pValue: compared.value.pValue,
    minimumDetectableEffect: decision.minimumDetectableEffect,
    reason: decision.reason,
  };
}

/**
 * A rate KPI (conversions per session, successful checkouts per attempt) against its seasonal
 * baseline: per interval, the events and totals of the same minutes on earlier days (summed), and
 * today's; the canary judge's conditional-binomial, overdispersion-robust, anytime-valid count
 * test (`compareCounts`), read against `threshold` in the bad `direction` ("a 5% drop" is
 * `direction: decrease, threshold: 0.05`). Pure.
 */
export function compareCountsToBaseline(
  baseline: CountArm,
  current: CountArm,
  options: { direction: MetricDirection; threshold: number; alpha?: number },
): BaselineFinding {
  const alpha = options.alpha ?? 0.01;
  const compared = compareCounts(baseline, current, { alpha });
  if (!compared.ok)
    return {
      result: 'inconclusive',
      test: 'conditional binomial count test',
      effect: null,
      pValue: null,
      minimumDetectableEffect: null,
      reason: compared.errors.join('; '),
    };
  const decision = decideMetric(
    compared.value.effect,
    compared.value.detectable,
    options.threshold,
    options.direction,
    1 - alpha,
  );
  return {
    result: toFinding(decision.result),
    test: compared.value.test,
    effect: compared.value.effect,
    pValue: Number.isNaN(compared.value.pValue) ? null : compared.value.pValue,
    minimumDetectableEffect: decision.minimumDetectableEffect,
    reason: decision.reason,
  };
}
