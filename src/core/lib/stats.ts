import { round } from './round.ts';

/** Durations in seconds: median (mean of the two middle values for an even count), p90, mean, count. */
export type DurationStats = {
  median: number | null;
  p90: number | null;
  mean: number | null;
  count: number;
};

/**
 * Summarises durations in seconds, each summary rounded to 3 decimals. p90 interpolates linearly
 * between the closest ranks (numpy's default, "type 7"). All values null for no samples.
 * Never throws.
 */
export function durationStats(values: ArrayLike<number>): DurationStats {
  // A typed array sorts numbers natively, several times faster than a comparator on 200,000.
  return durationStatsInPlace(Float64Array.from(values));
}

/**
 * `durationStats` of values the caller gives up: reorders them in place (a selection, not a full
 * sort: the same numbers, in linear time). Never throws.
 */
export function durationStatsInPlace(values: Float64Array): DurationStats {
  if (values.length === 0) return { median: null, p90: null, mean: null, count: 0 };
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  const [median, p90] = quantilesInPlace(values, [0.5, 0.9]) as [number, number];
  return {
    median: round(median, 3),
    p90: round(p90, 3),
    mean: round(sum / values.length, 3),
    count: values.length,
  };
}

/**
 * The `qs` quantiles (each 0..1) of `values`, as `quantile` gives them of the values
 * sorted (type 7), found by selection: `values` is reordered in place, each order statistic is
 * found in expected linear time (a sort of the remaining range after too many rounds bounds the
 * worst case). Dropping the sort of 200,000 lead times took about 25 ms off each DORA window
 * (docs/adr/0048). NaN for each quantile of no values. Values must not be NaN. Never throws.
 */
export function quantilesInPlace(values: Float64Array, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => Number.NaN);
  const out = new Array<number>(qs.length);
  // Every value at or after `done` is at least every value before it, so the next selection
  // works on [done, n): the quantiles are found in ascending order.
  let done = 0;
  const order = qs.map((_, index) => index).sort((a, b) => (qs[a] as number) - (qs[b] as number));
  for (const index of order) {
    const q = qs[index] as number;
    const position = (n - 1) * q;
    const below = Math.floor(position);
    const above = Math.ceil(position);
    if (below >= done) {
      selectInPlace(values, below, done, n - 1);
      done = below + 1;
    }
    const low = values[below] as number;
    let high = low;
    if (above !== below) {
      if (above >= done) {
        // The smallest value after `below`: the next order statistic.
        let min = Infinity;
        for (let i = below + 1; i < n; i++)
          if ((values[i] as number) < min) min = values[i] as number;
        high = min;
      } else high = values[above] as number;
    }
    out[index] = low + (high - low) * (position - below);
  }
  return out;
}

/**
 * Puts the k-th smallest value of values[lo..hi] at index k, the smaller ones before it and the
 * larger ones after (Hoare's selection, median-of-three pivots, then a sort of the range when
 * the rounds pass 2·log2(n): no quadratic case). Never throws.
 */
function selectInPlace(values: Float64Array, k: number, lo: number, hi: number): void {
  let rounds = 2 * Math.ceil(Math.log2(hi - lo + 2));
  while (hi > lo) {
    if (hi - lo < 16 || rounds-- <= 0) {
      values.subarray(lo, hi + 1).sort();
      return;
    }
    const mid = lo + ((hi - lo) >> 1);
    // Median of three as the pivot, moved so that values[lo] <= values[mid] <= values[hi].
    if ((values[mid] as number) < (values[lo] as number)) swap(values, mid, lo);
    if ((values[hi] as number) < (values[lo] as number)) swap(values, hi, lo);
    if ((values[hi] as number) < (values[mid] as number)) swap(values, hi, mid);
    const pivot = values[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    // Now values[lo..j] <= pivot <= values[i..hi], and values[j+1..i-1] equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a] as number;
  values[a] = values[b] as number;
  values[b] = t;
}

/**
 * The `q` quantile (0..1) of values sorted ascending: linear interpolation between the closest
 * ranks (Hyndman and Fan type 7, numpy's and R's default). NaN for no values. Never throws.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

/**
 * The median: the middle value, or the mean of the two middle values for an even count (the
 * values need not be sorted). NaN for no values. Never throws.
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
