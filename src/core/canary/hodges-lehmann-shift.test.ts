import { describe, expect, it } from 'vitest';
import { hodgesLehmannShift, selectPairwiseDifference } from './hodges-lehmann-shift.ts';
import { seededRandom } from '../lib/seeded-random.ts';
import references from './__fixtures__/scipy-references.json' with { type: 'json' };

const values = (sample: (number | null)[]) => sample.map((v) => v ?? Number.NaN);

describe('hodgesLehmannShift', () => {
  it.each(references.hodgesLehmann)(
    'equals the sorted pairwise differences (NumPy) exactly on "$name"',
    ({ x, y, confidence, estimate, low, high, k }) => {
      // Exact: the selected differences are the same floating-point subtractions NumPy sorted.
      expect(hodgesLehmannShift(values(x), values(y), confidence)).toEqual({
        estimate,
        low,
        high,
        rank: k,
      });
    },
  );
});

describe('selectPairwiseDifference', () => {
  it.each([
    [30, 40],
    [1, 500],
    [257, 3],
  ])('returns every order statistic of %i x %i heavily tied differences', (n, m) => {
    const random = seededRandom(n * 1000 + m);
    const xs = Float64Array.from({ length: n }, () => Math.floor(random() * 4)).sort();
    const ys = Float64Array.from({ length: m }, () => Math.floor(random() * 3) / 2).sort();
    const all = [...xs].flatMap((a) => [...ys].map((b) => a - b)).sort((a, b) => a - b);
    for (let k = 1; k <= all.length; k += Math.max(1, Math.floor(all.length / 97)))
      expect(selectPairwiseDifference(xs, ys, k)).toBe(all[k - 1]);
    expect(selectPairwiseDifference(xs, ys, all.length)).toBe(all.at(-1));
  });
});
