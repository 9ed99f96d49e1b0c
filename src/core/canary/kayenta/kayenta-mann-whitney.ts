import { mergedRankSum } from '../average-ranks.ts';
import { normalQuantile } from '../normal-distribution.ts';
import { brentZeroin } from './brent-zeroin.ts';

/** Kayenta's `MannWhitneyResult`: a confidence interval and estimate of the shift x − y. */
export type KayentaMannWhitney = { confidenceInterval: [number, number]; estimate: number };

/**
 * Kayenta's `wilcoxonDiff(mu, quantile, x, y)`: the continuity-corrected, tie-corrected
 * standardised rank-sum statistic of (x − mu) against y, minus `quantile`
 * (kayenta-mannwhitney MannWhitney.scala at a69573be; R `wilcox.test`'s `wdiff`). Ranks average
 * ties and put NaN last. Returns NaN where Kayenta throws (σ = 0: every value tied); callers
 * turn that into Kayenta's classification `Error`.
 */
export function kayentaWilcoxonDiff(
  mu: number,
  quantile: number,
  x: readonly number[] | Float64Array,
  y: readonly number[] | Float64Array,
): number {
  const xs = x instanceof Float64Array ? x : Float64Array.from(x).sort();
  const ys = y instanceof Float64Array ? y : Float64Array.from(y).sort();
  return wilcoxonDiffSorted(mu, quantile, xs, ys);
}

/** `kayentaWilcoxonDiff` on ascending arrays (ranks by merging: the same numbers, O(n + m)). */
function wilcoxonDiffSorted(
  mu: number,
  quantile: number,
  xs: Float64Array,
  ys: Float64Array,
): number {
  const nx = xs.length;
  const ny = ys.length;
  const { rankSum, tieTerm } = mergedRankSum(xs, ys, mu);
  const dz = rankSum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const correction = (Number.isNaN(dz) ? 0 : Math.sign(dz)) * 0.5;
  const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieTerm / ((nx + ny) * (nx + ny - 1))));
  if (sigma === 0) return Number.NaN;
  return (dz - correction) / sigma - quantile;
}

/**
 * Kayenta's `MannWhitney.mannWhitneyUTest(x, y, confidenceLevel)`: the asymptotic confidence
 * interval of R's `wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE)` by root
 * finding on `kayentaWilcoxonDiff` over [min x − max y, max x − min y] with `brentZeroin`, the
 * endpoints short-circuited as Kayenta does, and the estimate as the root at quantile 0 (still
 * continuity-corrected, unlike R). NaN (Kayenta: an exception) when every value is tied.
 * x is the experiment (canary), y the control (baseline). Never throws.
 */
export function kayentaMannWhitney(
  x: readonly number[],
  y: readonly number[],
  confidenceLevel: number,
): KayentaMannWhitney {
  const alpha = 1 - confidenceLevel;
  const muMin = extreme(x, Math.min) - extreme(y, Math.max);
  const muMax = extreme(x, Math.max) - extreme(y, Math.min);
  // Kayenta throws when σ = 0 at any μ the solver tries; here the whole result becomes NaN.
  let isTied = false;
  const xs = Float64Array.from(x).sort();
  const ys = Float64Array.from(y).sort();
  const diff = (zq: number) => (mu: number) => {
    const value = wilcoxonDiffSorted(mu, zq, xs, ys);
    if (Number.isNaN(value)) isTied = true;
    return value;
  };
  const findRoot = (zq: number): number => {
    const fLower = diff(zq)(muMin);
    const fUpper = diff(zq)(muMax);
    if (fLower <= 0) return muMin;
    if (fUpper >= 0) return muMax;
    return brentZeroin(muMin, muMax, fLower, fUpper, diff(zq));
  };
  const zQuant = normalQuantile(alpha / 2);
  const confidenceInterval: [number, number] = [findRoot(-zQuant), findRoot(zQuant)];
  const fLower = diff(0)(muMin);
  const fUpper = diff(0)(muMax);
  const estimate = brentZeroin(muMin, muMax, fLower, fUpper, diff(0));
  if (isTied) return { confidenceInterval: [Number.NaN, Number.NaN], estimate: Number.NaN };
  return { confidenceInterval, estimate };
}

function extreme(values: readonly number[], pick: (a: number, b: number) => number): number {
  let result = values[0] as number;
  for (const v of values) result = pick(result, v);
  return result;
}
