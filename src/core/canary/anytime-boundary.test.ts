import { describe, expect, it } from 'vitest';
import {
  logMixtureBayesFactor,
  mixtureCriticalValue,
  mixturePValue,
  mixtureVariance,
} from './anytime-boundary.ts';

describe('mixtureCriticalValue', () => {
  it.each([
    [10, 9],
    [30, 29],
    [60, 59],
    [200, Number.POSITIVE_INFINITY],
  ])('is where the Bayes factor reaches 1/α (n = %i, ν = %d), to 1e-9', (n, df) => {
    const information = n * mixtureVariance();
    const t = mixtureCriticalValue(information, df, 0.01);
    expect(Math.abs(logMixtureBayesFactor(t, information, df) - Math.log(100))).toBeLessThan(1e-9);
  });

  it('is wider than the fixed-horizon quantile and shrinks toward it as n grows', () => {
    const at = (n: number) => mixtureCriticalValue(n * mixtureVariance(), n - 1, 0.01);
    expect(at(30)).toBeGreaterThan(2.576);
    expect(at(60)).toBeLessThan(at(20));
  });

  it('is infinite when the data cannot reach 1/α at any t', () => {
    expect(mixtureCriticalValue(5 * mixtureVariance(), 4, 0.01)).toBe(Number.POSITIVE_INFINITY);
    expect(mixtureCriticalValue(0, 10, 0.01)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('mixturePValue', () => {
  it('is 1 at t = 0 and falls below α exactly at the critical value', () => {
    const information = 40 * mixtureVariance();
    expect(mixturePValue(0, information, 39)).toBe(1);
    const t = mixtureCriticalValue(information, 39, 0.01);
    expect(mixturePValue(t * 1.0001, information, 39)).toBeLessThan(0.01);
    expect(mixturePValue(t * 0.9999, information, 39)).toBeGreaterThan(0.01);
  });
});
