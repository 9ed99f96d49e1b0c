/** Average ranks of a sample and the tie term the rank tests need. */
export type AverageRanks = {
  /** 1-based ranks in input order; tied values share the mean of their positions. */
  ranks: Float64Array;
  /** Σ (t³ − t) over groups of t tied values (0 without ties). */
  tieTerm: number;
};

/**
 * Ranks values in ascending order, ties averaged (scipy `rankdata(method="average")`, R
 * `rank(ties.method="average")`). NaN ranks above every number, NaNs tied with each other
 * (commons-math `NaturalRanking(NaNStrategy.MAXIMAL, TiesStrategy.AVERAGE)`, as Kayenta ranks).
 * Never throws.
 */
export function averageRanks(values: ArrayLike<number>): AverageRanks {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const key = (i: number): number => {
    const v = values[i] as number;
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  const isNan = (i: number): boolean => Number.isNaN(values[i]);
  order.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return Number(isNan(a)) - Number(isNan(b));
  });
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let start = 0;
  while (start < n) {
    const first = order[start] as number;
    let end = start + 1;
    while (end < n && sameValue(values[order[end] as number] as number, values[first] as number))
      end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * The rank sum of the x values and the tie term of the combined sample (x − shift) ∪ y, with
 * the ranks of `averageRanks` (ties averaged, NaN last and tied), computed by merging two
 * ascending arrays in O(n + m) instead of sorting the combined sample: the same numbers,
 * since ranks are half-integers and their sums exact. `xs` and `ys` must be sorted ascending
 * with NaN last (Float64Array.prototype.sort does this). Never throws.
 */
export function mergedRankSum(
  xs: Float64Array,
  ys: Float64Array,
  shift = 0,
): { rankSum: number; tieTerm: number } {
  let nx = xs.length;
  let ny = ys.length;
  let nanCount = 0;
  while (nx > 0 && Number.isNaN((xs[nx - 1] as number) - shift)) {
    nx--;
    nanCount++;
  }
  const nanInX = nanCount;
  while (ny > 0 && Number.isNaN(ys[ny - 1])) {
    ny--;
    nanCount++;
  }
  let i = 0;
  let j = 0;
  let position = 0;
  let rankSum = 0;
  let tieTerm = 0;
  while (i < nx || j < ny) {
    const xv = i < nx ? (xs[i] as number) - shift : Number.POSITIVE_INFINITY;
    const yv = j < ny ? (ys[j] as number) : Number.POSITIVE_INFINITY;
    const v = i < nx && (j >= ny || xv <= yv) ? xv : yv;
    let cx = 0;
    let cy = 0;
    while (i < nx && (xs[i] as number) - shift === v) {
      i++;
      cx++;
    }
    while (j < ny && (ys[j] as number) === v) {
      j++;
      cy++;
    }
    const t = cx + cy;
    rankSum += (cx * (2 * position + t + 1)) / 2;
    tieTerm += t * t * t - t;
    position += t;
  }
  if (nanCount > 0) {
    rankSum += (nanInX * (2 * position + nanCount + 1)) / 2;
    tieTerm += nanCount ** 3 - nanCount;
  }
  return { rankSum, tieTerm };
}
