import { normalQuantile } from './normal-distribution.ts';

/** A location shift of x relative to y with its confidence interval. */
export type HodgesLehmannShift = {
  /** The median of all pairwise differences xᵢ − yⱼ. */
  estimate: number;
  low: number;
  high: number;
  /** The rank k of the lower limit among the n·m sorted differences (the upper is n·m + 1 − k). */
  rank: number;
};

/**
 * The Hodges–Lehmann estimate of the shift x − y (the median of the n·m pairwise differences)
 * and its distribution-free confidence interval: the k-th and (n·m + 1 − k)-th smallest
 * differences, k = ⌊n·m/2 − z·√(n·m(n+m+1)/12)⌋ clamped to [1, n·m], z the normal quantile at
 * 1 − (1 − confidence)/2 (the interval that inverts the rank-sum test; Hodges & Lehmann, Ann.
 * Math. Statist. 34 (1963) 598–611; Lehmann, "Nonparametrics" (1975) §2.6; Hollander & Wolfe,
 * "Nonparametric Statistical Methods" §4.3). Ties make the interval conservative. Differences
 * are selected without forming all n·m of them (`selectPairwiseDifference`), so 10⁴ × 10⁴ is
 * cheap. Samples must be non-empty and free of NaN; never throws.
 */
export function hodgesLehmannShift(
  x: readonly number[],
  y: readonly number[],
  confidence: number,
): HodgesLehmannShift {
  const xs = Float64Array.from(x).sort();
  const ys = Float64Array.from(y).sort();
  const n = xs.length;
  const m = ys.length;
  const total = n * m;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const k = Math.min(
    Math.max(Math.floor(total / 2 - z * Math.sqrt((total * (n + m + 1)) / 12)), 1),
    total,
  );
  const middle = Math.floor((total - 1) / 2) + 1;
  const estimate =
    total % 2 === 1
      ? selectPairwiseDifference(xs, ys, middle)
      : (selectPairwiseDifference(xs, ys, middle) + selectPairwiseDifference(xs, ys, middle + 1)) /
        2;
  return {
    estimate,
    low: selectPairwiseDifference(xs, ys, k),
    high: selectPairwiseDifference(xs, ys, total + 1 - k),
    rank: k,
  };
}

/**
 * The k-th smallest (1-based) of the n·m differences xᵢ − yⱼ of two ascending arrays, in
 * O((n + m) log) time and O(n + m) memory: a bracket (lo, hi] on the value holding the k-th
 * difference is narrowed by interpolating on the counts (every fourth step a bisection, so it
 * cannot stall), counting differences with two pointers (exact for the differences as computed
 * in floating point, which are monotone in i and j), finished by sorting the few candidates left
 * in the bracket, or as soon as the bracket holds one distinct value (ties). Never throws.
 */
export function selectPairwiseDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const n = xs.length;
  const m = ys.length;
  const smallest = (xs[0] as number) - (ys[m - 1] as number);
  let lo = smallest;
  let countLo = countAtMost(xs, ys, lo);
  if (countLo >= k) return smallest;
  let hi = (xs[n - 1] as number) - (ys[0] as number);
  let countHi = n * m;
  const cap = 512;
  for (let iteration = 0; ; iteration++) {
    if (countHi - countLo <= cap) return pickBetween(xs, ys, lo, hi, k - countLo);
    if (iteration % 8 === 7) {
      const a = smallestAbove(xs, ys, lo);
      const b = largestAtMost(xs, ys, hi);
      if (a === b) return a;
      hi = b;
    }
    let guess =
      iteration % 4 !== 3
        ? lo + ((hi - lo) * (k - countLo + 0.5)) / (countHi - countLo)
        : lo + (hi - lo) / 2;
    if (!(guess > lo && guess < hi)) guess = lo + (hi - lo) / 2;
    // No double strictly inside (lo, hi]: every difference left in the bracket equals hi.
    if (!(guess > lo && guess < hi)) return hi;
    const count = countAtMost(xs, ys, guess);
    if (count >= k) {
      hi = guess;
      countHi = count;
    } else {
      lo = guess;
      countLo = count;
    }
  }
}

/** #{(i, j) : xᵢ − yⱼ ≤ t}. */
function countAtMost(xs: Float64Array, ys: Float64Array, t: number): number {
  const m = ys.length;
  let count = 0;
  let j = 0; // first j with xᵢ − yⱼ ≤ t; non-decreasing in i
  for (let i = 0; i < xs.length; i++) {
    const xi = xs[i] as number;
    while (j < m && xi - (ys[j] as number) > t) j++;
    count += m - j;
  }
  return count;
}

/** min{xᵢ − yⱼ > t} (Infinity when none). */
function smallestAbove(xs: Float64Array, ys: Float64Array, t: number): number {
  const m = ys.length;
  let best = Number.POSITIVE_INFINITY;
  let j = m - 1; // last j with xᵢ − yⱼ > t: the smallest such difference for row i
  for (let i = xs.length - 1; i >= 0; i--) {
    const xi = xs[i] as number;
    while (j >= 0 && !(xi - (ys[j] as number) > t)) j--;
    if (j < 0) break;
    const d = xi - (ys[j] as number);
    if (d < best) best = d;
  }
  return best;
}

/** max{xᵢ − yⱼ ≤ t} (−Infinity when none). */
function largestAtMost(xs: Float64Array, ys: Float64Array, t: number): number {
  const m = ys.length;
  let best = Number.NEGATIVE_INFINITY;
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    const xi = xs[i] as number;
    while (j < m && xi - (ys[j] as number) > t) j++;
    if (j === m) break;
    const d = xi - (ys[j] as number);
    if (d > best) best = d;
  }
  return best;
}

/** The r-th smallest (1-based) difference in (lo, hi], by listing them. */
function pickBetween(xs: Float64Array, ys: Float64Array, lo: number, hi: number, r: number) {
  const m = ys.length;
  const found: number[] = [];
  let jLo = 0; // first j with xᵢ − yⱼ ≤ hi
  let jHi = 0; // first j with xᵢ − yⱼ ≤ lo
  for (let i = 0; i < xs.length; i++) {
    const xi = xs[i] as number;
    while (jLo < m && xi - (ys[jLo] as number) > hi) jLo++;
    while (jHi < m && xi - (ys[jHi] as number) > lo) jHi++;
    for (let j = jLo; j < jHi; j++) found.push(xi - (ys[j] as number));
  }
  return Float64Array.from(found).sort()[r - 1] as number;
}
