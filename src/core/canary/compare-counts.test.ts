import { describe, expect, it } from 'vitest';
import { compareCounts, wilsonUpper } from './compare-counts.ts';
import { countSeries, createRandom } from './calibration/simulate-canary.ts';

const arm = (events: number[], total: number[]) => ({ events, total });

describe('compareCounts', () => {
  it('detects three times the error rate and brackets the ratio', () => {
    const { baseline, canary } = countSeries(createRandom(3), {
      intervals: 60,
      requests: 200,
      canaryShare: 0.5,
      errorRate: 0.01,
      rateRatio: 3,
      dispersion: 0.25,
    });
    const result = compareCounts(baseline, canary);
    if (!result.ok) throw new Error(result.errors.join());
    const { estimate, low, high } = result.value.effect;
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(2);
    expect(high).toBeGreaterThan(2);
    expect(estimate).toBeGreaterThan(1.4);
    expect(result.value.pValue).toBeLessThan(0.01);
  });

  it('estimates the dispersion of bursty errors above 1, and 1 for plain binomial errors (median of 15 runs)', () => {
    const once = (d: number, seed: number) => {
      const { baseline, canary } = countSeries(createRandom(seed), {
        intervals: 60,
        requests: 500,
        canaryShare: 0.5,
        errorRate: 0.02,
        rateRatio: 1,
        dispersion: d,
      });
      const result = compareCounts(baseline, canary);
      if (!result.ok) throw new Error(result.errors.join());
      return result.value.dispersion;
    };
    const median = (d: number) =>
      Array.from({ length: 15 }, (_, seed) => once(d, seed + 1)).sort((a, b) => a - b)[7]!;
    expect(median(1)).toBeGreaterThan(3);
    expect(median(0)).toBeLessThan(1.2);
  });

  it('conditions on each interval: a traffic split that changes does not fake a difference', () => {
    // Same 1% rate in both arms; the canary's share goes 5% → 50% while the rate doubles overall.
    const events = { b: [19, 15, 20, 10], c: [1, 5, 20, 10] };
    const result = compareCounts(
      arm(events.b, [1900, 1500, 1000, 500]),
      arm(events.c, [100, 500, 1000, 500]),
    );
    if (!result.ok) throw new Error(result.errors.join());
    expect(Math.abs(result.value.effect.estimate)).toBeLessThan(0.01);
  });

  it('gives an unbounded ratio when the baseline has no events, bounded below', () => {
    const result = compareCounts(
      arm([0, 0, 0], [1000, 1000, 1000]),
      arm([10, 12, 9], [1000, 1000, 1000]),
    );
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.effect.estimate).toBe(Number.POSITIVE_INFINITY);
    expect(result.value.effect.high).toBe(Number.POSITIVE_INFINITY);
    expect(result.value.effect.low).toBeGreaterThan(1);
  });

  it('gives no bounds at all when neither arm has events', () => {
    const result = compareCounts(arm([0, 0], [500, 500]), arm([0, 0], [500, 500]));
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.effect).toEqual({
      estimate: Number.NaN,
      low: -1,
      high: Number.POSITIVE_INFINITY,
    });
    expect(result.value.detectable.increase).toBe(Number.POSITIVE_INFINITY);
  });

  it('assumes binomial errors for one interval of totals (no dispersion to estimate)', () => {
    const result = compareCounts(arm([100], [10_000]), arm([130], [10_000]));
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.dispersion).toBe(1);
    expect(result.value.dispersionDf).toBe(Number.POSITIVE_INFINITY);
  });

  it('skips intervals with a null or without traffic, and refuses no traffic at all', () => {
    const result = compareCounts(
      { events: [1, null, 3, 2], total: [100, 100, 0, 100] },
      { events: [2, 1, 1, 1], total: [100, 100, 100, 100] },
    );
    expect(result.ok && result.value.intervals).toBe(2);
    expect(compareCounts(arm([0], [0]), arm([0], [0])).ok).toBe(false);
  });
});

describe('wilsonUpper', () => {
  it.each([
    // events, total, dispersion, z → bound (to 1e-12)
    [0, 1000, 1, 2, 4 / 1004],
    [10, 100, 1, 0, 0.1],
  ])('of %i/%i (φ %d, z %d) is %d', (events, total, dispersion, z, bound) => {
    expect(wilsonUpper(events, total, dispersion, z)).toBeCloseTo(bound, 12);
  });
});
