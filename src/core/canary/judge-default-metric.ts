import type { CanaryKind, CanaryMetricInput } from './canary-input.ts';
import type { CanaryMetricReport } from './canary-report.ts';
import { compareCounts, type CountComparison } from './compare-counts.ts';
import { compareSamples } from './compare-samples.ts';
import { compareSeries, type RelativeEffect } from './compare-series.ts';
import { decideMetric, percent } from './decide-metric.ts';
import type { MetricDirection } from './kayenta/kayenta-options.ts';
import { aggregateOf, isEmpty, summarizeCounts, summarizeValues } from './summarize-side.ts';

/**
 * The smallest relative change that matters, when a metric gives none: a 50% rise in an error
 * rate (count metrics are rare events: a tighter default would leave most canaries without the
 * traffic to tell), 10% for latency-like distributions, 20% for gauges.
 */
export const defaultThresholds: Readonly<Record<CanaryKind, number>> = {
  count: 0.5,
  distribution: 0.1,
  gauge: 0.2,
};

export type DefaultJudgeOptions = { alpha: number; power: number };

type Comparison = {
  test: string;
  effect: RelativeEffect;
  pValue: number;
  detectable: { increase: number; decrease: number };
  details: CanaryMetricReport['details'];
  count?: CountComparison | undefined;
};

/**
 * Judges one metric in candor's default mode: the method for its kind (`compareCounts`,
 * `compareSeries` for ordered series, `compareSamples` for raw samples), the three-way decision
 * against its practical threshold (`decideMetric`), then the absolute conditions on the canary
 * (`max`, `min`: a violation fails the metric whatever the comparison said). A source error or
 * no data is inconclusive. A count comparison too weak to tell passes when the canary's rate is
 * confidently below `max`. Never throws.
 */
export function judgeDefaultMetric(
  metric: CanaryMetricInput,
  options: DefaultJudgeOptions,
): CanaryMetricReport {
  const threshold = metric.threshold ?? defaultThresholds[metric.kind];
  const direction: MetricDirection = metric.direction ?? 'increase';
  const baseline =
    metric.kind === 'count' ? summarizeCounts(metric.baseline) : summarizeValues(metric.baseline);
  const canary =
    metric.kind === 'count' ? summarizeCounts(metric.canary) : summarizeValues(metric.canary);
  const base = {
    name: metric.name,
    kind: metric.kind,
    group: metric.group ?? metric.name,
    critical: metric.critical ?? false,
    threshold,
    baseline,
    canary,
  };
  const inconclusive = (test: string, reason: string): CanaryMetricReport => ({
    ...base,
    result: 'inconclusive',
    test,
    pValue: null,
    effect: { estimate: null, low: null, high: null },
    minimumDetectableEffect: null,
    reason,
    details: { missingData: true },
  });
  if (metric.error !== undefined) return inconclusive('none', `the source failed: ${metric.error}`);
  if (isEmpty(baseline) || isEmpty(canary))
    return inconclusive(
      'none',
      `no data for the ${isEmpty(baseline) ? (isEmpty(canary) ? 'baseline or the canary' : 'baseline') : 'canary'}`,
    );
  const compared = compare(metric, direction, options);
  if (!compared.ok) return inconclusive('none', `cannot compare: ${compared.reason}`);
  const { comparison } = compared;
  const decision = decideMetric(
    comparison.effect,
    comparison.detectable,
    threshold,
    direction,
    1 - options.alpha,
  );
  let result = decision.result;
  let reason = decision.reason;
  const rescue =
    decision.isUnderpowered && !(comparison.effect.low > 0)
      ? countRescue(comparison.count, metric.max, result)
      : undefined;
  if (rescue) {
    result = 'pass';
    reason = `${reason}; but the canary's rate is at most ${percent(rescue)} (upper bound), below max ${percent(metric.max ?? 0)}`;
  }
  const violation = absoluteViolation(aggregateOf(canary), metric);
  if (violation) {
    result = 'fail';
    reason = `${violation}; ${reason}`;
  }
  return {
    ...base,
    result,
    test: comparison.test,
    pValue: finiteOrNull(comparison.pValue),
    effect: {
      estimate: finiteOrNull(comparison.effect.estimate),
      low: finiteOrNull(comparison.effect.low),
      high: finiteOrNull(comparison.effect.high),
    },
    minimumDetectableEffect: finiteOrNull(decision.minimumDetectableEffect),
    reason,
    details: { ...comparison.details, underpowered: decision.isUnderpowered },
  };
}

function compare(
  metric: CanaryMetricInput,
  direction: MetricDirection,
  options: DefaultJudgeOptions,
): { ok: true; comparison: Comparison } | { ok: false; reason: string } {
  if (metric.kind === 'count') {
    const empty = { events: [], total: [] };
    const counted = compareCounts(metric.baseline ?? empty, metric.canary ?? empty, options);
    if (!counted.ok) return { ok: false, reason: counted.errors.join('; ') };
    const c = counted.value;
    return {
      ok: true,
      comparison: {
        test: c.test,
        effect: c.effect,
        pValue: c.pValue,
        detectable: c.detectable,
        count: c,
        details: {
          intervals: c.intervals,
          informativeIntervals: c.informativeIntervals,
          dispersion: round(c.dispersion),
          dispersionDf: Number.isFinite(c.dispersionDf) ? round(c.dispersionDf) : null,
          canaryRateUpperBound: round(c.canary.upper),
        },
      },
    };
  }
  if (metric.ordered === false) {
    const alternative =
      direction === 'increase' ? 'greater' : direction === 'decrease' ? 'less' : 'two-sided';
    const sampled = compareSamples(metric.baseline ?? [], metric.canary ?? [], {
      ...options,
      alternative,
    });
    if (!sampled.ok) return { ok: false, reason: sampled.errors.join('; ') };
    const s = sampled.value;
    return {
      ok: true,
      comparison: {
        test: s.test,
        effect: s.effect,
        pValue: s.pValue,
        detectable: s.detectable,
        details: { scale: s.scale, sequential: false, alternative },
      },
    };
  }
  const series = compareSeries(metric.baseline ?? [], metric.canary ?? [], options);
  if (!series.ok) return { ok: false, reason: series.errors.join('; ') };
  const s = series.value;
  return {
    ok: true,
    comparison: {
      test: s.test,
      effect: s.effect,
      pValue: s.pValue,
      detectable: s.detectable,
      details: {
        scale: s.scale,
        pairs: s.pairs,
        lag1Autocorrelation: round(s.measuredAutocorrelation),
        autocorrelationUsed: round(s.autocorrelation),
        effectiveSampleSize: round(s.effectiveSize),
      },
    },
  };
}

/** The Wilson bound when a count comparison was too weak to tell and `max` is confidently met. */
function countRescue(
  count: CountComparison | undefined,
  max: number | undefined,
  result: string,
): number | undefined {
  if (!count || max === undefined || result !== 'inconclusive') return undefined;
  return count.canary.upper < max ? count.canary.upper : undefined;
}

/** An observed canary aggregate outside `max`/`min` (Argo-style: on the value, not a test). */
function absoluteViolation(value: number | null, metric: CanaryMetricInput): string | undefined {
  if (value === null) return undefined;
  const show = (v: number) => (metric.kind === 'count' ? percent(v) : String(round(v)));
  if (metric.max !== undefined && value > metric.max)
    return `the canary's ${metric.kind === 'count' ? 'rate' : 'mean'} ${show(value)} is above max ${show(metric.max)}`;
  if (metric.min !== undefined && value < metric.min)
    return `the canary's ${metric.kind === 'count' ? 'rate' : 'mean'} ${show(value)} is below min ${show(metric.min)}`;
  return undefined;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
