/**
 * The boundary of an anytime-valid (sequential) test of a mean: the Bayes factor of a normal
 * mixture over the standardised effect, whose reciprocal is a p-value that stays valid however
 * often it is looked at (Ville's inequality). For Gaussian data with unknown variance this is
 * the safe t-test: Lai, "On confidence sequences", Ann. Statist. 4 (1976) 265–280; Grünwald, de
 * Heide & Koolen, "Safe testing", JRSS B 86 (2024); Pérez-Ortiz, Lardy, de Heide & Grünwald,
 * "E-statistics, group invariance and anytime-valid testing", Ann. Statist. 52 (2024) (the Bayes
 * factor with the right-Haar prior on the scale is an e-process). Its closed form (Rouder et al.,
 * Psychon. Bull. Rev. 16 (2009), fixed g):
 *
 *   BF(t; n, ν) = (1 + n·g)^(−1/2) · ((1 + t²/ν) / (1 + t²/(ν(1 + n·g))))^((ν+1)/2)
 *
 * with ν → ∞ the Gaussian mixture of Robbins (1970). `g` is the prior variance of the effect per
 * observation, chosen so the boundary is tightest at `plannedSize` observations
 * (g = 1/(0.085·n*): the minimiser of the normal-mixture boundary at α = 0.01; Howard, Ramdas,
 * McAuliffe & Sekhon, Ann. Statist. 49 (2021) §3.5).
 */

/** The observations at which the default mixture is tightest: 30 (e.g. 30 one-minute intervals). */
export const plannedSize = 30;

/** The prior variance per observation that makes the α = 0.01 boundary tightest at `size`. */
export function mixtureVariance(size: number = plannedSize): number {
  return 1 / (0.085 * size);
}

/**
 * log BF for a t (or z) statistic with `information` = n·g (the prior's information ratio) and
 * `df` degrees of freedom of the variance estimate (Infinity: a known variance). Never throws.
 */
export function logMixtureBayesFactor(t: number, information: number, df: number): number {
  const t2 = t * t;
  if (!Number.isFinite(df))
    return -0.5 * Math.log1p(information) + (t2 / 2) * (information / (1 + information));
  return (
    -0.5 * Math.log1p(information) +
    ((df + 1) / 2) * (Math.log1p(t2 / df) - Math.log1p(t2 / (df * (1 + information))))
  );
}

/**
 * The |t| at which BF reaches 1/α: Infinity when no t can (too little data for the mixture to
 * reach 1/α whatever the estimate; at α = 0.01 and the default g that needs about 8 observations).
 * Never throws.
 */
export function mixtureCriticalValue(information: number, df: number, alpha: number): number {
  if (!(information > 0)) return Number.POSITIVE_INFINITY;
  const target = Math.log(1 / alpha) + 0.5 * Math.log1p(information);
  if (!Number.isFinite(df)) return Math.sqrt((2 * target * (1 + information)) / information);
  if (!(df > 0)) return Number.POSITIVE_INFINITY;
  // ((1 + x/ν)/(1 + x/(ν(1+ng))))^((ν+1)/2) = e^target, solved for x = t².
  const q = Math.exp((2 * target) / (df + 1));
  if (q >= 1 + information) return Number.POSITIVE_INFINITY;
  return Math.sqrt((df * (q - 1)) / (1 - q / (1 + information)));
}

/** The anytime-valid p-value min(1, 1/BF). Never throws. */
export function mixturePValue(t: number, information: number, df: number): number {
  return Math.min(1, Math.exp(-logMixtureBayesFactor(t, information, df)));
}
