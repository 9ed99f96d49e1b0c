import type { MetricDirection } from './kayenta/kayenta-options.ts';
import type { MetricResult } from './canary-report.ts';
import type { RelativeEffect } from './compare-series.ts';

export type MetricDecision = {
  result: MetricResult;
  /** The smallest change in the bad direction the data would detect. */
  minimumDetectableEffect: number;
  isUnderpowered: boolean;
  reason: string;
};

/**
 * The three-way decision on a relative effect with its (1 − α) confidence interval and the
 * practical threshold θ (an equivalence/non-inferiority reading, Wellek, "Testing Statistical
 * Hypotheses of Equivalence" (2010); the "inconclusive" of Kruschke's ROPE):
 *
 * - fail: the interval excludes 0 on the bad side and the estimate is at least θ bad;
 * - pass: the interval excludes every bad change of θ or more, and the data could detect θ
 *   (the minimum detectable effect is at most θ);
 * - inconclusive otherwise, saying which.
 *
 * `detectable` is the smallest increase/decrease detectable at the stated power. Never throws.
 */
export function decideMetric(
  effect: RelativeEffect,
  detectable: { increase: number; decrease: number },
  threshold: number,
  direction: MetricDirection,
  confidence: number,
): MetricDecision {
  const isWorseUp = effect.low > 0 && effect.estimate >= threshold;
  const isWorseDown = effect.high < 0 && effect.estimate <= -threshold;
  const isWorse =
    direction === 'increase'
      ? isWorseUp
      : direction === 'decrease'
        ? isWorseDown
        : isWorseUp || isWorseDown;
  const isFineUp = effect.high < threshold;
  const isFineDown = effect.low > -threshold;
  const isFine =
    direction === 'increase'
      ? isFineUp
      : direction === 'decrease'
        ? isFineDown
        : isFineUp && isFineDown;
  const mde =
    direction === 'increase'
      ? detectable.increase
      : direction === 'decrease'
        ? detectable.decrease
        : Math.max(detectable.increase, detectable.decrease);
  const isUnderpowered = !(mde <= threshold);
  const change = `${signedPercent(effect.estimate)} (${percent(confidence)} CI ${signedPercent(effect.low)} to ${signedPercent(effect.high)})`;
  const limit =
    direction === 'either'
      ? `±${percent(threshold)}`
      : `${direction === 'decrease' ? '−' : '+'}${percent(threshold)}`;
  if (isWorse)
    return {
      result: 'fail',
      minimumDetectableEffect: mde,
      isUnderpowered,
      reason: `changed ${change}: a real change beyond the ${limit} threshold`,
    };
  if (isFine && !isUnderpowered)
    return {
      result: 'pass',
      minimumDetectableEffect: mde,
      isUnderpowered,
      reason: `changed ${change}: within the ${limit} threshold`,
    };
  if (isUnderpowered)
    return {
      result: 'inconclusive',
      minimumDetectableEffect: mde,
      isUnderpowered,
      reason: `changed ${change}, but the data could only detect changes of ${Number.isFinite(mde) ? percent(mde) : 'any size'} or more, not the ${limit} threshold`,
    };
  return {
    result: 'inconclusive',
    minimumDetectableEffect: mde,
    isUnderpowered,
    reason: `changed ${change}: neither shown within the ${limit} threshold nor beyond it`,
  };
}

/** 0.123 → "12.3%"; never throws. */
export function percent(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const p = value * 100;
  const digits = Math.abs(p) >= 10 ? 0 : 1;
  return `${p.toFixed(digits)}%`;
}

/** 0.123 → "+12.3%", −0.05 → "−5.0%". */
export function signedPercent(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : '−∞';
  return value < 0 ? `−${percent(-value)}` : `+${percent(value)}`;
}
