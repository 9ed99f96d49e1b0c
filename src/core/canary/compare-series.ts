import { mixtureCriticalValue, mixturePValue, mixtureVariance } from './anytime-boundary.ts';
import { normalQuantile } from './normal-distribution.ts';
import { fail, ok, type Result } from '../lib/result.ts';

/** A relative change of the canary against the baseline: 0.1 = 10% higher. */
export type RelativeEffect = { estimate: number; low: number; high: number };

export type SeriesComparison = {
  test: string;
  /** `log`: the ratio of geometric means (all values positive); `linear`: mean difference / baseline mean. */
  scale: 'log' | 'linear';
  effect: RelativeEffect;
  /** The anytime-valid p-value of "no change" (the reciprocal of the mixture Bayes factor). */
  pValue: number;
  /** The smallest increase (and decrease) the data would detect with the stated power. */
  detectable: { increase: number; decrease: number };
  pairs: number;
  /** The autocorrelation the test corrected for (after shrinkage and one standard error up). */
  autocorrelation: number;
  /** The lag-1 autocorrelation measured on the canary − baseline differences. */
  measuredAutocorrelation: number;
  effectiveSize: number;
};

export type SeriesOptions = {
  /** Error rate of the confidence sequence: P(it ever excludes the truth) ≤ α. Default 0.01. */
  alpha?: number | undefined;
  /** Power for the detectable change. Default 0.8. */
  power?: number | undefined;
};

/** Below this many aligned intervals the autocorrelation cannot be estimated at all. */
export const minimumPairs = 4;
/** Shrinkage of the autocorrelation estimate toward a cautious prior (see STATISTICS.md). */
const priorAutocorrelation = 0.9;
const priorWeight = 30;
const maximumAutocorrelation = 0.97;

/**
 * Compares two aligned per-interval series (index i of each is the same interval) with a paired,
 * autocorrelation-corrected, anytime-valid test of the mean difference:
 *
 * 1. d = f(canary) − f(baseline) per interval, f = log when every value is positive;
 * 2. the lag-1 autocorrelation φ is estimated on d, canary and baseline, each bias-corrected
 *    (r + (1 + 3r)/n; Marriott & Pope, Biometrika 41 (1954)), averaged, shrunk toward 0.9 with
 *    the weight of 30 intervals, raised by one standard error √((1 − φ²)/2n), capped at 0.97;
 * 3. d is Prais–Winsten transformed with that φ (Prais & Winsten 1954: GLS for AR(1) errors), the
 *    mean estimated by least squares, its standard error inflated for any autocorrelation left in
 *    the residuals ((1 + r)/(1 − r));
 * 4. the interval is the safe t-test's confidence sequence (`mixtureCriticalValue`,
 *    ν = n − 1, tightest at 30 intervals), valid at every look.
 *
 * Calibrated by simulation (STATISTICS.md, canary-calibration.test.ts): AR(1) noise φ ≤ 0.8 keeps
 * the sequence's error rate under α over 51 looks. NaN/null intervals are dropped. Fewer than
 * `minimumPairs` aligned intervals is an error value; a constant difference (identical series)
 * is known exactly (a point interval). Never throws.
 */
export function compareSeries(
  baseline: readonly (number | null)[],
  canary: readonly (number | null)[],
  options: SeriesOptions = {},
): Result<SeriesComparison, string> {
  const alpha = options.alpha ?? 0.01;
  const power = options.power ?? 0.8;
  const length = Math.min(baseline.length, canary.length);
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < length; i++) {
    const bi = baseline[i];
    const ci = canary[i];
    if (
      typeof bi === 'number' &&
      typeof ci === 'number' &&
      Number.isFinite(bi) &&
      Number.isFinite(ci)
    ) {
      b.push(bi);
      c.push(ci);
    }
  }
  const n = b.length;
  if (n < minimumPairs)
    return fail(
      `${n} interval${n === 1 ? '' : 's'} with data on both sides (at least ${minimumPairs} needed)`,
    );
  const isLog = b.every((v) => v > 0) && c.every((v) => v > 0);
  const fb = isLog ? b.map(Math.log) : b;
  const fc = isLog ? c.map(Math.log) : c;
  const d = fc.map((v, i) => v - (fb[i] as number));

  const measured = lagOneAutocorrelation(d);
  const pooled =
    (biasCorrected(measured, n) +
      biasCorrected(lagOneAutocorrelation(fc), n) +
      biasCorrected(lagOneAutocorrelation(fb), n)) /
    3;
  const shrunk = (2 * n * pooled + priorWeight * priorAutocorrelation) / (2 * n + priorWeight);
  const raised = shrunk + Math.sqrt(Math.max(0, 1 - Math.min(shrunk, 0.99) ** 2) / (2 * n));
  const phi = Math.min(Math.max(raised, 0), maximumAutocorrelation);

  const gls = praisWinstenMean(d, phi);
  // A constant difference (identical series, or a fixed offset every interval) is known exactly.
  const spread = Math.max(...d) - Math.min(...d);
  const isConstant = spread <= 1e-12 * Math.max(1, Math.abs(gls.mean));
  const standardError = isConstant ? 0 : gls.standardError;
  const information = n * mixtureVariance();
  const critical = mixtureCriticalValue(information, n - 1, alpha);
  const radius = isConstant ? 0 : critical * standardError;
  const zPower = normalQuantile(power);
  const detectable = isConstant ? 0 : (critical + zPower) * standardError;
  const baselineMean = mean(b);
  const toRelative = isLog
    ? (v: number) => Math.expm1(v)
    : (v: number) => (baselineMean === 0 ? Number.NaN : v / Math.abs(baselineMean));
  const estimate = isConstant ? (d[0] as number) : gls.mean;
  return ok({
    test: `paired ${isLog ? 'log-ratio' : 'difference'} mean, AR(1) Prais-Winsten, anytime-valid t (safe t-test confidence sequence)`,
    scale: isLog ? 'log' : 'linear',
    effect: {
      estimate: toRelative(estimate),
      low: toRelative(estimate - radius),
      high: toRelative(estimate + radius),
    },
    pValue: isConstant
      ? Number(gls.mean === 0)
      : mixturePValue(gls.mean / standardError, information, n - 1),
    detectable: { increase: toRelative(detectable), decrease: -toRelative(-detectable) },
    pairs: n,
    autocorrelation: phi,
    measuredAutocorrelation: measured,
    effectiveSize: (n * (1 - phi)) / (1 + phi),
  });
}

/**
 * The mean of an AR(1) series with known φ by Prais–Winsten GLS, and its standard error from
 * the transformed residuals (n − 1 degrees of freedom), inflated by (1 + r)/(1 − r) for their
 * own lag-1 autocorrelation r ∈ [0, 0.9] (bias-corrected).
 */
export function praisWinstenMean(
  d: readonly number[],
  phi: number,
): { mean: number; standardError: number } {
  const n = d.length;
  const s = Math.sqrt(1 - phi * phi);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  z[0] = s * (d[0] as number);
  w[0] = s;
  for (let t = 1; t < n; t++) {
    z[t] = (d[t] as number) - phi * (d[t - 1] as number);
    w[t] = 1 - phi;
  }
  let sww = 0;
  let swz = 0;
  for (let t = 0; t < n; t++) {
    sww += (w[t] as number) ** 2;
    swz += (w[t] as number) * (z[t] as number);
  }
  const mu = swz / sww;
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let t = 0; t < n; t++) {
    residuals[t] = (z[t] as number) - mu * (w[t] as number);
    rss += (residuals[t] as number) ** 2;
  }
  const r = Math.min(
    Math.max(biasCorrected(lagOneAutocorrelation(residuals.subarray(1)), n - 1), 0),
    0.9,
  );
  const inflation = (1 + r) / (1 - r);
  return { mean: mu, standardError: Math.sqrt(((rss / (n - 1)) * inflation) / sww) };
}

/** The lag-1 sample autocorrelation Σ(xₜ − x̄)(xₜ₋₁ − x̄) / Σ(xₜ − x̄)²; 0 for a constant series. */
export function lagOneAutocorrelation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const m = sum / n;
  let den = 0;
  let num = 0;
  for (let i = 0; i < n; i++) {
    const v = (values[i] as number) - m;
    den += v * v;
    if (i > 0) num += v * ((values[i - 1] as number) - m);
  }
  return den === 0 ? 0 : num / den;
}

/** First-order bias correction of the lag-1 autocorrelation of an AR(1) with unknown mean. */
function biasCorrected(r: number, n: number): number {
  return r + (1 + 3 * r) / n;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
