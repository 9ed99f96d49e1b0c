import { normalQuantile, normalSf } from '../canary/normal-distribution.ts';
import { lagOneAutocorrelation } from '../canary/compare-series.ts';
import { kendallS, mannKendall } from './mann-kendall.ts';
import { pairwiseSlopes, theilSenLine } from './theil-sen.ts';

/** Which way is bad for a gauge: memory and connections `increase`, throughput `decrease`. */
export type DriftDirection = 'increase' | 'decrease' | 'either';

export type DriftOptions = {
  direction: DriftDirection;
  /** Milliseconds between consecutive points. */
  intervalMs: number;
  /** The smallest drift that matters, relative to the series' median per hour (0.03 = 3%/h). */
  threshold?: number | undefined;
  /** One-sided error rate of each evaluation's trend test. Default 0.001 (see STATISTICS.md). */
  alpha?: number | undefined;
  /** Fewer points than this is inconclusive. Default 15. */
  minimumPoints?: number | undefined;
  /** An absolute limit in the bad direction (pool size, memory limit): the finding projects when it is reached. */
  limit?: number | undefined;
  /**
   * The same minutes on previous days or weeks (e.g. the mean of the last 7 days), aligned with
   * the series: the drift is measured on the series minus this baseline, so a daily cycle is not
   * a drift. Without it, a cycle steeper than `threshold` per hour can fire.
   */
  baseline?: readonly (number | null)[] | undefined;
  /** Points beyond this many are averaged in consecutive blocks first (bounds the O(n²) work). Default 240. */
  maximumPoints?: number | undefined;
  /**
   * `asymptotic` (default): the AR(1) correction is (1 + φ)/(1 − φ). `exact`: the finite-sample
   * ratio Var(OLS slope | AR(1) φ) ÷ Var(OLS slope | independent), Σ_i Σ_j c_i c_j φ^|i−j| ÷ Σ c_i²
   * (c the centred times), smaller on short windows (scripts/watch-power-bound.py). Experimental.
   */
  correction?: 'asymptotic' | 'exact' | undefined;
};

/** Var(OLS slope) under AR(1) φ over Var under independence, for n equally spaced points. */
export function ar1SlopeVarianceRatio(n: number, phi: number): number {
  const mean = (n - 1) / 2;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const ci = i - mean;
    squares += ci * ci;
    let power = 1;
    let inner = 0;
    for (let k = 0; i + k < n; k++) {
      inner += (k === 0 ? 1 : 2) * power * (i + k - mean);
      power *= phi;
    }
    sum += ci * inner;
  }
  return squares > 0 ? sum / squares : 1;
}

export type DriftResult = {
  result: 'degraded' | 'healthy' | 'inconclusive';
  /** Relative drift per hour: Theil–Sen slope ÷ |median|, with its autocorrelation-widened interval. */
  effect: { estimate: number; low: number; high: number };
  /** Slope in the metric's units per hour. */
  slopePerHour: number;
  pValue: number;
  /** Hamed–Rao n/n*: the variance inflation the serial correlation demanded. */
  varianceFactor: number;
  points: number;
  /** Milliseconds from the last point until the fitted line crosses `limit`; null when not heading there. */
  limitInMs: number | null;
  reason: string;
};

const hourMs = 3_600_000;
/** The canary's cautious autocorrelation prior (STATISTICS.md): shrink toward 0.9 with the weight of 30 points. */
const priorAutocorrelation = 0.9;
const priorWeight = 10;
const maximumAutocorrelation = 0.97;

function blockMeans(
  values: readonly number[],
  maximum: number,
): { values: number[]; factor: number } {
  if (values.length <= maximum) return { values: [...values], factor: 1 };
  const factor = Math.ceil(values.length / maximum);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += factor) {
    const block = values.slice(i, i + factor).filter((v) => Number.isFinite(v));
    out.push(block.length === 0 ? NaN : block.reduce((a, b) => a + b, 0) / block.length);
  }
  return { values: out, factor };
}

/** The series minus its seasonal baseline, moved to the baseline's median level (NaN where either is missing). */
function deseasonalized(
  series: readonly (number | null)[],
  baseline: readonly (number | null)[] | undefined,
): number[] {
  const values = series.map((v) => (v === null ? NaN : v));
  if (baseline === undefined) return values;
  const known = baseline
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .sort((a, b) => a - b);
  const level = known.length === 0 ? 0 : known[known.length >> 1]!;
  return values.map((v, i) => {
    const b = baseline[i];
    return b === null || b === undefined || !Number.isFinite(b) ? NaN : v - b + level;
  });
}

const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;

/**
 * Slow drift of a gauge since the deploy (a leak, a filling pool): the Theil–Sen slope (Sen 1968)
 * tested with the Mann–Kendall statistic corrected for serial correlation (Hamed & Rao 1998;
 * naive Mann–Kendall treats autocorrelated minutes as independent and over-alarms), one-sided in
 * the bad direction. `degraded` needs both: p < α and a relative drift of at least `threshold` per
 * hour with the interval's near bound beyond 0. `healthy` when the interval rules out a drift of
 * `threshold` in the bad direction; otherwise (or with fewer than `minimumPoints` points)
 * `inconclusive`. With a `baseline`, the drift is that of the series minus the baseline (seasonality
 * removed). The serial correlation is corrected by the larger of Hamed–Rao's n/n* and
 * (1 + φ)/(1 − φ), φ the residuals' lag-1 autocorrelation, bias-corrected, shrunk toward 0.9 with
 * the weight of 10 points and raised by one standard error (STATISTICS.md "watch"). Pure.
 */
export function detectDrift(input: readonly (number | null)[], options: DriftOptions): DriftResult {
  const series = deseasonalized(input, options.baseline);
  const threshold = options.threshold ?? 0.03;
  const alpha = options.alpha ?? 0.001;
  const finite = series.filter((v) => Number.isFinite(v));
  const minimum = options.minimumPoints ?? 15;
  const empty = {
    effect: { estimate: NaN, low: NaN, high: NaN },
    slopePerHour: NaN,
    pValue: NaN,
    varianceFactor: 1,
    limitInMs: null,
  };
  if (finite.length < minimum)
    return {
      ...empty,
      result: 'inconclusive',
      points: finite.length,
      reason: `${finite.length} points, ${minimum} needed`,
    };
  const { values, factor } = blockMeans(series, options.maximumPoints ?? 240);
  const interval = options.intervalMs * factor;
  const slopes = pairwiseSlopes(values);
  const line0 = theilSenLine(slopes);
  const hamedRao = mannKendall(values, { correct: true, slope: line0.slope });
  const residuals = values.filter((v) => Number.isFinite(v)).map((v, i) => v - line0.slope * i);
  const n = residuals.length;
  const measured = Math.max(
    0,
    lagOneAutocorrelation(residuals) + (1 + 3 * lagOneAutocorrelation(residuals)) / n,
  );
  const shrunk = (measured * n + priorAutocorrelation * priorWeight) / (n + priorWeight);
  const phi = Math.min(shrunk + Math.sqrt((1 - shrunk * shrunk) / (2 * n)), maximumAutocorrelation);
  const ar1Factor =
    options.correction === 'exact' ? ar1SlopeVarianceRatio(n, phi) : (1 + phi) / (1 - phi);
  const varianceFactor = Math.max(hamedRao.varianceFactor, ar1Factor);
  const { s, variance } = kendallS(values.filter((v) => Number.isFinite(v)));
  const sd = Math.sqrt(variance * varianceFactor);
  const trend = { z: s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0, varianceFactor };
  const level = 1 - 2 * alpha;
  const line = theilSenLine(slopes, { level, varianceFactor });
  const sorted = [...values.filter((v) => Number.isFinite(v))].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[sorted.length >> 1]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const scale = Math.abs(median) > 0 ? Math.abs(median) : 1;
  const perHour = hourMs / interval;
  const effect = {
    estimate: (line.slope * perHour) / scale,
    low: (line.low * perHour) / scale,
    high: (line.high * perHour) / scale,
  };
  const z = trend.z;
  const pUp = normalSf(z);
  const pDown = normalSf(-z);
  const up = pUp < alpha && effect.low > 0 && effect.estimate >= threshold;
  const down = pDown < alpha && effect.high < 0 && effect.estimate <= -threshold;
  const degraded =
    options.direction === 'increase' ? up : options.direction === 'decrease' ? down : up || down;
  const pValue =
    options.direction === 'increase'
      ? pUp
      : options.direction === 'decrease'
        ? pDown
        : Math.min(1, 2 * Math.min(pUp, pDown));
  const healthy = isWithinThreshold(effect, threshold, options.direction);
  let limitInMs: number | null = null;
  if (options.limit !== undefined && line.slope !== 0 && Number.isFinite(line.slope)) {
    const lastIndex = values.length - 1;
    const fitted = line.intercept + line.slope * lastIndex;
    const steps = (options.limit - fitted) / line.slope;
    limitInMs = steps > 0 ? steps * interval : null;
  }
  const ci = `${(100 * level).toFixed(1)}% CI ${pct(effect.low)} to ${pct(effect.high)}`;
  const reason = degraded
    ? `drifts ${pct(effect.estimate)} per hour (${ci}; Mann–Kendall p = ${pValue.toPrecision(2)} after the autocorrelation correction ×${trend.varianceFactor.toFixed(1)})` +
      (limitInMs !== null
        ? `; reaches ${options.limit} in ${Math.round(limitInMs / 60_000)} min`
        : '')
    : healthy
      ? `no drift of ${pct(options.direction === 'decrease' ? -threshold : threshold)}/h or more (${ci})`
      : `cannot tell yet: ${pct(effect.estimate)} per hour (${ci}), threshold ${pct(threshold)}/h`;
  return {
    result: degraded ? 'degraded' : healthy ? 'healthy' : 'inconclusive',
    effect,
    slopePerHour: line.slope * perHour,
    pValue,
    varianceFactor: trend.varianceFactor,
    points: finite.length,
    limitInMs,
    reason,
  };
}

/** The z beyond which a one-sided test at `alpha` rejects (for documentation and tests). */
export function oneSidedCritical(alpha: number): number {
  return -normalQuantile(alpha);
}

/**
 * Healthy: the effect's whole interval stays inside the practical threshold in the bad
 * direction(s): below `threshold` for `increase`, above `-threshold` for `decrease`, both for
 * `either`. Shared by the drift tests. Pure.
 */
export function isWithinThreshold(
  effect: { low: number; high: number },
  threshold: number,
  direction: DriftOptions['direction'],
): boolean {
  const fineUp = effect.high < threshold;
  const fineDown = effect.low > -threshold;
  return direction === 'increase'
    ? fineUp
    : direction === 'decrease'
      ? fineDown
      : fineUp && fineDown;
}
