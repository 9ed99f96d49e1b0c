import { normalSf } from './normal-distribution.ts';
import { mergedRankSum } from './average-ranks.ts';
import { fail, ok, type Result } from '../lib/result.ts';

export const alternatives = ['two-sided', 'less', 'greater'] as const;
/** `greater`: x is stochastically greater than y; `less`: smaller; `two-sided`: either. */
export type Alternative = (typeof alternatives)[number];

export type MannWhitneyU = {
  /** U₁ = R₁ − n₁(n₁+1)/2, the statistic of x (scipy's `statistic`). */
  statistic: number;
  /** The standardised statistic the p-value comes from (continuity- and tie-corrected). */
  zStatistic: number;
  pValue: number;
  /** Sizes after NaN values were left out. */
  sizes: { x: number; y: number };
};

export type MannWhitneyOptions = {
  /** Default `two-sided`. */
  alternative?: Alternative | undefined;
  /** Default true: the ½ continuity correction. */
  useContinuity?: boolean | undefined;
};

/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test of x against y with the normal approximation,
 * tie-corrected variance and continuity correction: equal to
 * `scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True,
 * alternative=…, nan_policy="omit")` (scipy/stats/_mannwhitneyu.py: `_get_mwu_z`, the p-value is
 * SF(z) of U₁ for `greater`, of U₂ for `less`, twice SF of max(U₁, U₂) clipped to 1 for
 * `two-sided`). NaN values are left out (nan_policy "omit"); all values tied gives p = 1.
 * Mann & Whitney, Ann. Math. Statist. 18 (1947) 50–60. An empty sample is an error value;
 * never throws.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): Result<MannWhitneyU, string> {
  const xs = Float64Array.from(x.filter((v) => !Number.isNaN(v))).sort();
  const ys = Float64Array.from(y.filter((v) => !Number.isNaN(v))).sort();
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) return fail('both samples need at least one value that is not NaN');
  const { rankSum: r1, tieTerm } = mergedRankSum(xs, ys);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const alternative = options.alternative ?? 'two-sided';
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;
  const n = n1 + n2;
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const numerator = u - (n1 * n2) / 2 - (options.useContinuity === false ? 0 : 0.5);
  const z = numerator / s;
  const p = Math.min(1, Math.max(0, normalSf(z) * factor));
  return ok({ statistic: u1, zStatistic: z, pValue: p, sizes: { x: n1, y: n2 } });
}
