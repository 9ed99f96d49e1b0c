import { compareCounts, type CountArm } from '../canary/compare-counts.ts';
import { compareSeries, type RelativeEffect } from '../canary/compare-series.ts';
import { decideMetric } from '../canary/decide-metric.ts';
import type { Result } from '../lib/result.ts';
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

type Options = { direction: MetricDirection; threshold: number; alpha?: number };

/** A comparison read with the canary's three-way decision; no comparison is inconclusive. */
function decide(
  compared: Result<
    {
      test: string;
      effect: RelativeEffect;
      pValue: number;
      detectable: { increase: number; decrease: number };
    },
    string
  >,
  options: Options,
  alpha: number,
  test: string,
): BaselineFinding {
  if (!compared.ok)
    return {
      result: 'inconclusive',
      test,
      effect: null,
      pValue: null,
      minimumDetectableEffect: null,
      reason: compared.errors.join('; '),
    };
  const { effect, detectable, pValue } = compared.value;
  const decision = decideMetric(
    effect,
    detectable,
    options.threshold,
    options.direction,
    1 - alpha,
  );
  return {
    result: toFinding(decision.result),
    test: compared.value.test,
    effect,
    pValue: Number.isNaN(pValue) ? null : pValue,
    minimumDetectableEffect: decision.minimumDetectableEffect,
    reason: decision.reason,
  };
}

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
  options: Options,
): BaselineFinding {
  const alpha = options.alpha ?? 0.01;
  return decide(
    compareSeries(baseline, current, { alpha }),
    options,
    alpha,
    'paired AR(1) series test',
  );
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
  options: Options,
): BaselineFinding {
  const alpha = options.alpha ?? 0.01;
  return decide(
    compareCounts(baseline, current, { alpha }),
    options,
    alpha,
    'conditional binomial count test',
  );
}
