import { describe, expect, it } from 'vitest';
import { durationStats } from './duration-stats.ts';

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
