import { describe, expect, it } from 'vitest';
import { compareSeries, lagOneAutocorrelation, praisWinstenMean } from './compare-series.ts';
import { createRandom, latencySeries } from './calibration/simulate-canary.ts';

describe('compareSeries', () => {
  it('reads a +50% shift of positive series as a ratio, its interval around it', () => {
    const { baseline, canary } = latencySeries(createRandom(1), {
      intervals: 60,
      phi: 0.5,
      sigma: 0.1,
      shift: 0.5,
    });
    const result = compareSeries(baseline, canary);
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.scale).toBe('log');
    const { estimate, low, high } = result.value.effect;
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(0.5);
    expect(high).toBeGreaterThan(0.5);
    expect(Math.abs(estimate - 0.5)).toBeLessThan(0.1);
    expect(result.value.pValue).toBeLessThan(1e-6);
  });

  it('uses differences relative to the baseline mean when a value is not positive', () => {
    const baseline = [0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1];
    const canary = baseline.map((v, i) => v + 0.5 + (i % 2) * 0.01);
    const result = compareSeries(baseline, canary);
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.scale).toBe('linear');
    expect(result.value.effect.estimate).toBeCloseTo(0.505 / 1, 1);
  });

  it('drops intervals where either side is null, NaN or infinite', () => {
    const result = compareSeries(
      [1, null, 2, 3, Number.NaN, 2, 1],
      [1.1, 5, 2.1, 3.2, 1, 2.2, 1.1],
    );
    expect(result.ok && result.value.pairs).toBe(5);
  });

  it('returns an error value below the minimum number of aligned intervals', () => {
    expect(compareSeries([1, 2, 3], [1, 2, 3]).ok).toBe(false);
  });

  it.each([
    [[2, 4, 6, 8, 10], 1, 0],
    [[1, 2, 3, 4, 5], 0, 1],
  ])('knows a constant ratio exactly: canary %j is %d higher, p = %d', (canary, change, p) => {
    const result = compareSeries([1, 2, 3, 4, 5], canary);
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.effect.estimate).toBeCloseTo(change, 12);
    expect(result.value.effect.low).toBeCloseTo(change, 12);
    expect(result.value.effect.high).toBeCloseTo(change, 12);
    expect(result.value.pValue).toBe(p);
  });

  it('corrects for autocorrelation: a strongly autocorrelated series gets a wider interval', () => {
    const width = (phi: number) => {
      const { baseline, canary } = latencySeries(createRandom(9), {
        intervals: 60,
        phi,
        sigma: 0.1,
        shift: 0,
      });
      const result = compareSeries(baseline, canary);
      if (!result.ok) throw new Error(result.errors.join());
      return result.value.effect.high - result.value.effect.low;
    };
    expect(width(0.8)).toBeGreaterThan(1.5 * width(0));
  });
});

describe('praisWinstenMean', () => {
  it('is the plain mean and standard error when φ = 0 and the residuals are independent', () => {
    const d = [1, 3, 2, 4, 3, 5, 1, 2];
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const { mean: mu } = praisWinstenMean(d, 0);
    expect(mu).toBeCloseTo(mean, 12);
  });
});

describe('lagOneAutocorrelation', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6], 0.5],
    [[1, -1, 1, -1, 1, -1], -0.8333333333333334],
    [[2, 2, 2], 0],
  ])('of %j is %d (to 1e-12)', (values, expected) => {
    expect(lagOneAutocorrelation(values)).toBeCloseTo(expected, 12);
  });
});
