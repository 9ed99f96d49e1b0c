import { normalSf, normalQuantile } from '../canary/normal-distribution.ts';
import { averageRanks } from '../canary/average-ranks.ts';
import { theilSen, tieGroups } from './theil-sen.ts';

export type MannKendall = {
  /** Kendall's S: concordant minus discordant pairs of (time, value). */
  s: number;
  /** Var(S) under independence, with the tie correction. */
  variance: number;
  /** n/n*: how much serial correlation inflates Var(S) (Hamed & Rao 1998); 1 when not corrected. */
  varianceFactor: number;
  /** Z with continuity correction, on the corrected variance. */
  z: number;
  /** Two-sided p-value of "no monotonic trend". */
  pValue: number;
  n: number;
};

/** Kendall's S of a series in time order and Var(S) with ties (Kendall 1975; Gilbert 1987 eq. 16.4). */
export function kendallS(values: readonly number[]): { s: number; variance: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const ties = tieGroups(values).reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0);
  return { s, variance: (n * (n - 1) * (2 * n + 5) - ties) / 18 };
}

function zOf(s: number, variance: number, continuity: boolean): number {
  if (variance <= 0) return 0;
  if (!continuity) return s / Math.sqrt(variance);
  return s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
}

/** Sample autocorrelation of `values` at `lag` (mean-centred, biased denominator). */
function autocorrelation(
  values: Float64Array,
  mean: number,
  denominator: number,
  lag: number,
): number {
  let sum = 0;
  for (let i = 0; i + lag < values.length; i++)
    sum += (values[i]! - mean) * (values[i + lag]! - mean);
  return sum / denominator;
}

/**
 * The Mann–Kendall trend test on a series in time order (NaN dropped). Without `correct`, the
 * classic test (Mann 1945, Kendall 1975), whose p-value assumes independent points and is
 * therefore far too small on autocorrelated monitoring series. With `correct`, the Hamed & Rao
 * (1998) modification: the series is detrended with its Theil–Sen slope, the ranks of the
 * residuals give autocorrelations ρ_k, those significant at `acfLevel` count, and
 * Var*(S) = Var(S) · n/n* with n/n* = 1 + 2/(n(n-1)(n-2)) Σ_k (n-k)(n-k-1)(n-k-2) ρ_k
 * (never below 1). `continuity` (default true) subtracts 1 from |S| before dividing; without it
 * the classic p-value equals SciPy's `kendalltau(range(n), y)` asymptotic one. Pure; O(n²).
 */
export function mannKendall(
  values: readonly number[],
  options: { correct?: boolean; slope?: number; acfLevel?: number; continuity?: boolean } = {},
): MannKendall {
  const series = values.filter((v) => Number.isFinite(v));
  const n = series.length;
  const { s, variance } = kendallS(series);
  let factor = 1;
  if (options.correct === true && n >= 4) {
    const slope = options.slope ?? theilSen(series).slope;
    const residuals = series.map((v, i) => v - slope * i);
    const ranks = Float64Array.from(averageRanks(residuals).ranks);
    const mean = ranks.reduce((a, b) => a + b, 0) / n;
    let denominator = 0;
    for (const r of ranks) denominator += (r - mean) ** 2;
    if (denominator > 0) {
      const bound = -normalQuantile((1 - (options.acfLevel ?? 0.95)) / 2) / Math.sqrt(n);
      let sum = 0;
      for (let k = 1; k < n - 2; k++) {
        const rho = autocorrelation(ranks, mean, denominator, k);
        if (Math.abs(rho) > bound) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho;
      }
      factor = Math.max(1, 1 + (2 / (n * (n - 1) * (n - 2))) * sum);
    }
  }
  const z = zOf(s, variance * factor, options.continuity ?? true);
  return {
    s,
    variance,
    varianceFactor: factor,
    z,
    pValue: Math.min(1, 2 * normalSf(Math.abs(z))),
    n,
  };
}
