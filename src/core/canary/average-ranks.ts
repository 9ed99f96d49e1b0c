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
