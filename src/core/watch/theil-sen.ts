import { normalQuantile } from '../canary/normal-distribution.ts';

/** The Theil–Sen line of a series and the interval of its slope. */
export type TheilSen = {
  slope: number;
  intercept: number;
  low: number;
  high: number;
  /** Pairs with distinct x: the slopes the median is taken over. */
  pairs: number;
};

/** Counts of the values that occur more than once (the tie groups). */
export function tieGroups(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(values).sort();
  const groups: number[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > 1) groups.push(j - i);
    i = j;
  }
  return groups;
}

/** Round half to even, as NumPy's `np.round`, which SciPy's interval indices use. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function median(sorted: Float64Array | number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The Theil–Sen estimator (Theil 1950, Sen 1968): the median of the slopes of all pairs with
 * x_j > x_i, the intercept `median(y) - slope * median(x)`, and the slope's interval from Sen's
 * (1968) eq. 2.6 with ties in x and y, at confidence `level` — exactly as
 * `scipy.stats.theilslopes(y, x, alpha=level, method="separate")` (references in
 * __fixtures__/scipy-watch-references.json). `varianceFactor` widens the interval for serial
 * correlation (the Hamed–Rao n/n* of `mannKendall`; 1 = independent points). NaN values are
 * dropped first. O(n² log n): callers bound n.
 */
export function theilSen(
  y: readonly number[],
  x?: readonly number[],
  options: { level?: number; varianceFactor?: number } = {},
): TheilSen {
  return theilSenLine(pairwiseSlopes(y, x), options);
}

/** The sorted pairwise slopes of a series and what the interval needs: computed once, read many times. */
export type PairwiseSlopes = {
  sorted: Float64Array;
  n: number;
  xs: Float64Array;
  ys: Float64Array;
};

/** Every slope (y_i − y_j)/(x_i − x_j) with x_i > x_j, sorted; NaN points dropped. O(n² log n). */
export function pairwiseSlopes(y: readonly number[], x?: readonly number[]): PairwiseSlopes {
  const px: number[] = [];
  const py: number[] = [];
  y.forEach((value, i) => {
    const at = x === undefined ? i : x[i]!;
    if (Number.isFinite(value) && Number.isFinite(at)) {
      px.push(at);
      py.push(value);
    }
  });
  const n = px.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const dx = px[i]! - px[j]!;
      if (dx > 0) slopes[count++] = (py[i]! - py[j]!) / dx;
    }
  return {
    sorted: slopes.subarray(0, count).sort(),
    n,
    xs: Float64Array.from(px).sort(),
    ys: Float64Array.from(py).sort(),
  };
}

/** The line and interval from prepared slopes, at a confidence level and variance factor. */
export function theilSenLine(
  prepared: PairwiseSlopes,
  options: { level?: number; varianceFactor?: number } = {},
): TheilSen {
  const { sorted, n, xs, ys } = prepared;
  const nt = sorted.length;
  if (nt === 0) return { slope: NaN, intercept: NaN, low: NaN, high: NaN, pairs: 0 };
  const slope = median(sorted);
  const intercept = median(ys) - slope * median(xs);
  let level = options.level ?? 0.95;
  if (level < 0.5) level = 1 - level;
  const z = normalQuantile((1 - level) / 2);
  const ties = (groups: number[]) => groups.reduce((sum, k) => sum + k * (k - 1) * (2 * k + 5), 0);
  const sigsq =
    ((n * (n - 1) * (2 * n + 5) - ties(tieGroups(xs)) - ties(tieGroups(ys))) / 18) *
    (options.varianceFactor ?? 1);
  const sigma = Math.sqrt(sigsq);
  const upper = Math.min(roundHalfEven((nt - z * sigma) / 2), nt - 1);
  const lower = Math.max(roundHalfEven((nt + z * sigma) / 2) - 1, 0);
  return { slope, intercept, low: sorted[lower]!, high: sorted[upper]!, pairs: nt };
}
