import { mixtureCriticalValue, mixturePValue, mixtureVariance } from './anytime-boundary.ts';
import { normalQuantile } from './normal-distribution.ts';
import type { RelativeEffect } from './compare-series.ts';
import { fail, ok, type Result } from '../lib/result.ts';

/** Per-interval counts of one arm: events (errors, conversions) out of a total (requests). */
export type CountArm = { events: readonly (number | null)[]; total: readonly (number | null)[] };

export type CountComparison = {
  test: string;
  /**
   * The canary's rate relative to the baseline's, minus 1 (2 = three times the rate). Infinite
   * bounds (or estimate) when an arm has too few events to bound the ratio.
   */
  effect: RelativeEffect;
  /** The anytime-valid p-value of "same rate". NaN without events. */
  pValue: number;
  detectable: { increase: number; decrease: number };
  intervals: number;
  /** Intervals with at least one event (those that carry information about the ratio). */
  informativeIntervals: number;
  /** Variance of the canary's share of events relative to the binomial (≥ 1). */
  dispersion: number;
  /** Degrees of freedom behind `dispersion` (Infinity: assumed binomial, one interval). */
  dispersionDf: number;
  baseline: { events: number; total: number; rate: number };
  /** `upper`: Wilson bound on the canary's rate at the mixture's tightest critical value (≈3.6 at α = 0.01). */
  canary: { events: number; total: number; rate: number; upper: number };
};

export type CountOptions = { alpha?: number | undefined; power?: number | undefined };

/** The information (in binomial variance units) at which the mixture is tightest. */
export const plannedInformation = 25;
const searchLimit = 40;

type Interval = { ec: number; e: number; logitShare: number };

/**
 * Compares the canary's event rate with the baseline's, robust to bursts and valid at every look:
 *
 * - per interval, conditioning on its events E = e_c + e_b, e_c is binomial(E, π) with
 *   π = rρ/(rρ + 1 − ρ), ρ the canary's share of that interval's traffic and r the rate ratio
 *   (the conditional test of two Poisson rates; Lehmann & Romano, "Testing Statistical
 *   Hypotheses" §4.5; Netflix's count canaries, Lindon & Malek, NeurIPS 2022): intervals with
 *   different traffic splits and common shocks to both arms cancel;
 * - the score U(r) = Σ(e_c − Eπ) has model variance I(r) = ΣEπ(1 − π); bursts are absorbed by a
 *   quasi-likelihood dispersion φ = max(1, robust variance / I), the robust variance being
 *   Σuₜ² plus its Newey–West (Bartlett, 3 lags) autocovariance terms when positive (sandwich; McCullagh & Nelder,
 *   "Generalized Linear Models" §9; Newey & West, Econometrica 55 (1987)), with its own degrees
 *   of freedom (Satterthwaite 1946 on the block sums: bursts concentrate the variance in few
 *   blocks);
 * - the confidence sequence for r inverts the mixture test of Z = U/√(φI) at every r
 *   (`mixtureCriticalValue`, information φI·g, tightest at 25 binomial-variance units ≈ 100
 *   events at an even split), so checking every interval does not inflate the error rate.
 *
 * A single interval (totals) cannot estimate dispersion: it is assumed binomial. Intervals where
 * either arm has no traffic, or any value is null, are skipped. No traffic at all is an error
 * value; no events in either arm gives infinite bounds. Never throws.
 */
export function compareCounts(
  baseline: CountArm,
  canary: CountArm,
  options: CountOptions = {},
): Result<CountComparison, string> {
  const alpha = options.alpha ?? 0.01;
  const zPower = normalQuantile(options.power ?? 0.8);
  const length = Math.min(
    baseline.events.length,
    baseline.total.length,
    canary.events.length,
    canary.total.length,
  );
  const informative: Interval[] = [];
  const sums = { eb: 0, nb: 0, ec: 0, nc: 0, intervals: 0 };
  for (let t = 0; t < length; t++) {
    const eb = baseline.events[t];
    const nb = baseline.total[t];
    const ec = canary.events[t];
    const nc = canary.total[t];
    if (typeof eb !== 'number' || typeof nb !== 'number') continue;
    if (typeof ec !== 'number' || typeof nc !== 'number') continue;
    if (!(nb > 0 && nc > 0)) continue;
    sums.intervals++;
    sums.eb += eb;
    sums.nb += nb;
    sums.ec += ec;
    sums.nc += nc;
    const e = ec + eb;
    if (e > 0) informative.push({ ec, e, logitShare: Math.log(nc / nb) });
  }
  if (sums.intervals === 0) return fail('no interval with traffic in both arms');
  const groups = groupBySplit(informative);
  const theta = maximumLikelihood(groups, sums);
  const gain = mixtureVariance(plannedInformation);
  const { dispersion, df } = estimateDispersion(informative, Number.isFinite(theta) ? theta : 0);
  const score = (t: number) => scoreAt(groups, t, dispersion);
  const isRejected = (t: number): boolean => {
    const { z, information } = score(t);
    return information > 0 && Math.abs(z) >= mixtureCriticalValue(information * gain, df, alpha);
  };
  const low = boundary(theta, -1, isRejected);
  const high = boundary(theta, 1, isRejected);
  const atNull = score(0);
  const criticalAtNull = mixtureCriticalValue(atNull.information * gain, df, alpha);
  const detectable =
    atNull.information > 0 ? (criticalAtNull + zPower) / Math.sqrt(atNull.information) : Infinity;
  const rate = (e: number, n: number) => e / n;
  return ok({
    test: 'conditional binomial rate ratio, quasi-likelihood dispersion (Newey-West), anytime-valid mixture confidence sequence',
    effect: { estimate: Math.expm1(theta), low: Math.expm1(low), high: Math.expm1(high) },
    pValue:
      atNull.information > 0 ? mixturePValue(atNull.z, atNull.information * gain, df) : Number.NaN,
    detectable: { increase: Math.expm1(detectable), decrease: -Math.expm1(-detectable) },
    intervals: sums.intervals,
    informativeIntervals: informative.length,
    dispersion,
    dispersionDf: df,
    baseline: { events: sums.eb, total: sums.nb, rate: rate(sums.eb, sums.nb) },
    canary: {
      events: sums.ec,
      total: sums.nc,
      rate: rate(sums.ec, sums.nc),
      upper: wilsonUpper(
        sums.ec,
        sums.nc,
        dispersion,
        mixtureCriticalValue(sums.nc * gain, df, alpha),
      ),
    },
  });
}

/** `odds` = n_c/n_b of the group's intervals (e^logitShare), kept to avoid an exp per evaluation. */
type SplitGroup = { logitShare: number; odds: number; ec: number; e: number };

/** Intervals whose traffic splits (log n_c/n_b) agree to 0.01 are pooled. */
const splitResolution = 1e-2;

/**
 * Intervals with the same traffic split add up (usually a handful of groups). Splits within
 * `splitResolution` of each other share a group at their event-weighted mean log split: the
 * score is then exact to first order (the second-order error is below 1e-5 of an event per
 * event), and a long series costs a few hundred terms, not one per
 * interval, at each of the ~100 evaluations of the interval search.
 */
function groupBySplit(intervals: readonly Interval[]): SplitGroup[] {
  const byShare = new Map<number, { logitSum: number; ec: number; e: number }>();
  for (const { ec, e, logitShare } of intervals) {
    const key = Math.round(logitShare / splitResolution);
    const group = byShare.get(key) ?? { logitSum: 0, ec: 0, e: 0 };
    group.logitSum += e * logitShare;
    group.ec += ec;
    group.e += e;
    byShare.set(key, group);
  }
  return [...byShare.values()].map(({ logitSum, ec, e }) => ({
    logitShare: logitSum / e,
    odds: Math.exp(logitSum / e),
    ec,
    e,
  }));
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** U(θ) and Z(θ) = U/√(φI), θ = log r. */
function scoreAt(groups: readonly SplitGroup[], theta: number, dispersion: number) {
  const ratio = Math.exp(theta);
  let u = 0;
  let information = 0;
  for (const g of groups) {
    const odds = ratio * g.odds;
    const pi = odds === Number.POSITIVE_INFINITY ? 1 : odds / (1 + odds);
    u += g.ec - g.e * pi;
    information += g.e * pi * (1 - pi);
  }
  const variance = dispersion * information;
  return { u, information: variance, z: variance > 0 ? u / Math.sqrt(variance) : 0 };
}

/** θ̂ solving U(θ) = 0 (U decreases in θ); ±Infinity when one arm has no events. */
function maximumLikelihood(
  groups: readonly SplitGroup[],
  sums: { eb: number; ec: number },
): number {
  if (sums.ec === 0 && sums.eb === 0) return Number.NaN;
  if (sums.eb === 0) return Number.POSITIVE_INFINITY;
  if (sums.ec === 0) return Number.NEGATIVE_INFINITY;
  let lo = -searchLimit;
  let hi = searchLimit;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (scoreAt(groups, mid, 1).u > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Consecutive intervals summed into one block before the variance is estimated. */
const blockLength = 3;

/**
 * Quasi-likelihood dispersion at θ from block sums of the score residuals uₜ = e_c − Eπ over the
 * informative intervals in time order (blocks of 3, so a burst that lasts a few intervals counts
 * once), with a Bartlett lag-1 term between blocks when positive (Newey–West on batch means):
 * φ = max(1, (Σu_B² + max(0, Σu_Bu_{B−1})) / ΣEπ(1 − π) · B/(B − 1)). Degrees of freedom: the
 * smaller of Satterthwaite's 2(Σu_B²)²/(Σu_B⁴ − (Σu_B²)²/B) and Kish's effective number of
 * blocks, minus 1 (a few blocks holding most of the variance leave few).
 */
function estimateDispersion(
  intervals: readonly Interval[],
  theta: number,
): { dispersion: number; df: number } {
  const b = Math.ceil(intervals.length / blockLength);
  if (b < 2) return { dispersion: 1, df: Number.POSITIVE_INFINITY };
  const residuals = new Float64Array(b);
  const weights = new Float64Array(b);
  intervals.forEach(({ ec, e, logitShare }, i) => {
    const pi = logistic(theta + logitShare);
    const block = Math.floor(i / blockLength);
    residuals[block] = (residuals[block] as number) + ec - e * pi;
    weights[block] = (weights[block] as number) + e * pi * (1 - pi);
  });
  let squares = 0;
  let fourths = 0;
  let lagged = 0;
  let information = 0;
  let informationSquares = 0;
  for (let i = 0; i < b; i++) {
    const residual = residuals[i] as number;
    const w = weights[i] as number;
    squares += residual * residual;
    fourths += residual ** 4;
    if (i > 0) lagged += residual * (residuals[i - 1] as number);
    information += w;
    informationSquares += w * w;
  }
  if (!(information > 0)) return { dispersion: 1, df: Number.POSITIVE_INFINITY };
  const robust = squares + Math.max(0, lagged);
  const dispersion = Math.max(1, (robust / information) * (b / (b - 1)));
  const spread = fourths - (squares * squares) / b;
  const satterthwaite = spread > 0 ? (2 * squares * squares) / spread : b;
  const kish = (information * information) / informationSquares;
  return { dispersion, df: Math.max(1, Math.min(satterthwaite, kish) - 1) };
}

/**
 * The confidence-sequence boundary on one side of θ̂ (direction −1: lower, +1: upper): walking out
 * from θ̂ in doubling steps to the first rejected θ, then bisecting. The interval is the connected
 * set of θ around θ̂ that is not rejected (far out, where an arm would hold all the events, the
 * test has no information and rejects nothing; those values are not part of the interval).
 * ±Infinity when nothing out to ±40 (a ratio of e^40) is rejected.
 */
function boundary(theta: number, direction: -1 | 1, isRejected: (t: number) => boolean): number {
  if (Number.isNaN(theta)) return direction * Number.POSITIVE_INFINITY;
  if (theta === direction * Number.POSITIVE_INFINITY) return theta;
  let inside = Number.isFinite(theta) ? theta : -direction * searchLimit;
  let outside = Number.NaN;
  for (let step = 0.05; ; step *= 2) {
    const next = inside + direction * step;
    if (Math.abs(next) > searchLimit) break;
    if (isRejected(next)) {
      outside = next;
      break;
    }
    inside = next;
  }
  if (Number.isNaN(outside)) return direction * Number.POSITIVE_INFINITY;
  for (let i = 0; i < 60 && Math.abs(outside - inside) > 1e-8; i++) {
    const mid = (inside + outside) / 2;
    if (isRejected(mid)) outside = mid;
    else inside = mid;
  }
  return (inside + outside) / 2;
}

/**
 * The Wilson score upper bound on a rate at critical value z with variance inflated by φ:
 * the larger root of (e − np)² = z²φ·np(1 − p). Never throws.
 */
export function wilsonUpper(events: number, total: number, dispersion: number, z: number): number {
  if (!(total > 0)) return Number.NaN;
  if (!Number.isFinite(z)) return 1;
  const p = events / total;
  const k = (z * z * dispersion) / total;
  const center = p + k / 2;
  const spread = Math.sqrt(k * p * (1 - p) + (k * k) / 4);
  return Math.min(1, (center + spread) / (1 + k));
}
