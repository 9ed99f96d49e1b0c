import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSf } from './normal-distribution.ts';
import references from './__fixtures__/scipy-references.json' with { type: 'json' };

/** Relative agreement with scipy.special (ndtr, ndtri): 1e-12 (far tails lose digits to z/√2). */
const RELATIVE = 1e-12;
const close = (actual: number, expected: number, relative: number) =>
  Math.abs(actual - expected) <= relative * Math.abs(expected) || actual === expected;

describe('normalCdf', () => {
  it.each(references.normal.cdf)('equals scipy ndtr at z = $z', ({ z, p }) => {
    expect(close(normalCdf(z), p, RELATIVE)).toBe(true);
    expect(close(normalSf(-z), p, RELATIVE)).toBe(true);
  });
});

describe('normalQuantile', () => {
  it.each(references.normal.quantile)('equals scipy ndtri at p = $p', ({ p, z }) => {
    expect(close(normalQuantile(p), z, RELATIVE)).toBe(true);
  });

  it('returns infinities at 0 and 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});
