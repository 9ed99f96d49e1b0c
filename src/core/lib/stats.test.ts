import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { durationStats, median, quantile, quantilesInPlace } from './stats.ts';

describe('durationStats', () => {
  // Reference values: numpy.median, numpy.percentile(..., 90) (linear), numpy.mean.
  it.each([
    [[10], { median: 10, p90: 10, mean: 10, count: 1 }],
    [[1, 2, 3, 4], { median: 2.5, p90: 3.7, mean: 2.5, count: 4 }],
    [[3600, 60, 86400, 7200, 600], { median: 3600, p90: 54720, mean: 19572, count: 5 }],
    [[], { median: null, p90: null, mean: null, count: 0 }],
  ])('summarises %j', (values, expected) => {
    expect(durationStats(values)).toEqual(expected);
  });
});

describe('quantile', () => {
  // Reference values: numpy.quantile(values, q) (linear, the default).
  it.each([
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 1, 4],
    [[1, 2, 3, 4], 0.25, 1.75],
    [[5], 0.9, 5],
    [[0, 10], 0.9, 9],
  ])('of %j at %d is %d', (sorted, q, expected) => {
    expect(quantile(sorted, q)).toBeCloseTo(expected, 12);
  });

  it('is NaN for no values', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('quantilesInPlace', () => {
  const bySorting = (values: Float64Array, qs: number[]) => {
    const sorted = Float64Array.from(values).sort();
    return qs.map((q) => quantile(sorted, q));
  };
  const shapes: [string, (n: number, random: () => number) => number][] = [
    ['random', (_, random) => random() * 1e5],
    ['few distinct values', (_, random) => Math.floor(random() * 4)],
    ['all equal', () => 7],
    ['ascending', (i) => i],
    ['descending', (i, _random) => -i],
    // Sorted runs one after another, as the daily lead times of a window arrive.
    ['sorted runs', (i) => (i % 97) * 3 + Math.floor(i / 97)],
    // An organ pipe, a classic bad case for median-of-three pivots.
    ['organ pipe', (i) => Math.min(i, 100_000 - i)],
  ];
  it.each(shapes)('gives the sorted quantiles of %s values, whatever the size', (_, shape) => {
    const random = seededRandom(17);
    const qs = [0.9, 0.5, 0, 1, 0.25, 0.5];
    for (const n of [1, 2, 3, 5, 16, 17, 100, 1_001, 20_000]) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = shape(i, random);
      const expected = bySorting(values, qs);
      const reordered = Float64Array.from(values);
      expect(quantilesInPlace(reordered, qs)).toEqual(expected);
      // Reordered, never changed: the same values.
      expect(Float64Array.from(reordered).sort()).toEqual(Float64Array.from(values).sort());
    }
  });

  it('is NaN for each quantile of no values', () => {
    expect(quantilesInPlace(new Float64Array(0), [0.5, 0.9])).toEqual([Number.NaN, Number.NaN]);
  });
});

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});
