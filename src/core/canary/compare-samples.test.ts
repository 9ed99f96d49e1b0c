import { describe, expect, it } from 'vitest';
import { compareSamples } from './compare-samples.ts';
import { mannWhitneyU } from './mann-whitney-u.ts';
import { createRandom, normalDraw } from './calibration/simulate-canary.ts';

describe('compareSamples', () => {
  const random = createRandom(21);
  const baseline = Array.from({ length: 400 }, () => 0.2 * Math.exp(0.3 * normalDraw(random)));
  const canary = Array.from({ length: 300 }, () => 0.3 * Math.exp(0.3 * normalDraw(random)));

  it('reads the Hodges-Lehmann shift of positive samples as a ratio (+50% here)', () => {
    const result = compareSamples(baseline, canary, { alternative: 'greater' });
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.value.scale).toBe('log');
    expect(Math.abs(result.value.effect.estimate - 0.5)).toBeLessThan(0.08);
    expect(result.value.effect.low).toBeLessThan(result.value.effect.estimate);
    expect(result.value.effect.high).toBeGreaterThan(result.value.effect.estimate);
  });

  it("reports the scipy-equal Mann-Whitney p-value for the direction's alternative", () => {
    const result = compareSamples(baseline, canary, { alternative: 'greater' });
    const direct = mannWhitneyU(canary, baseline, { alternative: 'greater' });
    expect(result.ok && direct.ok && result.value.pValue === direct.value.pValue).toBe(true);
  });

  it('drops nulls and refuses an empty side', () => {
    expect(compareSamples([null, null], [1, 2]).ok).toBe(false);
    const result = compareSamples([1, null, 2, 3], [2, 3, null, 4]);
    expect(result.ok && result.value.sizes).toEqual({ baseline: 3, canary: 3 });
  });
});
