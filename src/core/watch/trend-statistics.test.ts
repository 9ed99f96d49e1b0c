import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mannKendall } from './mann-kendall.ts';
import { theilSen } from './theil-sen.ts';

type References = {
  theilSen: {
    name: string;
    y: number[];
    x: number[] | null;
    level: number;
    slope: number;
    intercept: number;
    low: number;
    high: number;
  }[];
  kendall: { name: string; y: number[]; s: number; pValue: number }[];
  hamedRao: { name: string; y: number[]; slope: number; factor: number }[];
};
const references = JSON.parse(
  readFileSync(new URL('./__fixtures__/scipy-watch-references.json', import.meta.url), 'utf8'),
) as References;

describe('theilSen equals scipy.stats.theilslopes', () => {
  it.each(references.theilSen)('$name', (ref) => {
    const result = theilSen(ref.y, ref.x ?? undefined, { level: ref.level });
    expect(result.slope).toBeCloseTo(ref.slope, 12);
    expect(result.intercept).toBeCloseTo(ref.intercept, 10);
    expect(result.low).toBeCloseTo(ref.low, 12);
    expect(result.high).toBeCloseTo(ref.high, 12);
  });

  it('widens the interval by the variance factor, never moving the slope', () => {
    const y = references.theilSen[4]!.y;
    const plain = theilSen(y);
    const wide = theilSen(y, undefined, { varianceFactor: 4 });
    expect(wide.slope).toBe(plain.slope);
    expect(wide.low).toBeLessThan(plain.low);
    expect(wide.high).toBeGreaterThan(plain.high);
  });
});

describe('mannKendall', () => {
  it.each(references.kendall)('S and p equal scipy.stats.kendalltau: $name', (ref) => {
    const result = mannKendall(ref.y, { continuity: false });
    expect(result.s).toBe(ref.s);
    expect(result.pValue).toBeCloseTo(ref.pValue, 12);
  });

  it.each(references.hamedRao)('Hamed-Rao n/n* equals the reference: $name', (ref) => {
    const result = mannKendall(ref.y, { correct: true });
    expect(theilSen(ref.y).slope).toBeCloseTo(ref.slope, 12);
    expect(result.varianceFactor).toBeCloseTo(ref.factor, 9);
  });

  it('corrects autocorrelated series and leaves independent ones alone', () => {
    const [independent, , , strong] = references.hamedRao;
    expect(mannKendall(independent!.y, { correct: true }).varianceFactor).toBeLessThan(1.5);
    const corrected = mannKendall(strong!.y, { correct: true });
    expect(corrected.varianceFactor).toBeGreaterThan(3);
    expect(corrected.pValue).toBeGreaterThan(mannKendall(strong!.y).pValue);
  });
});
