import { describe, expect, it } from 'vitest';
import { durationStats, median, quantile } from './stats.ts';

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
