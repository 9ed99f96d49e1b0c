import { describe, expect, it } from 'vitest';
import { cles, meanRatio, transformKayentaMetric } from './classify-kayenta-metric.ts';
import { resolveKayentaOptions } from './kayenta-options.ts';

describe('transformKayentaMetric', () => {
  const keep = resolveKayentaOptions();

  it.each([
    ['remove', [1, Number.NaN, 3], [1, 3]],
    ['replace', [1, Number.NaN, 3], [1, 0, 3]],
  ] as const)('handles NaN with nanStrategy %s', (nanStrategy, values, expected) => {
    expect(transformKayentaMetric(values, { ...keep, nanStrategy })).toEqual(expected);
  });

  it('removes only values beyond max(P99, Q3 + 3·IQR) / min(P1, Q1 − 3·IQR) when asked', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => 10 + (i % 10) / 10), 1441];
    const removed = transformKayentaMetric(values, {
      ...keep,
      outliers: { strategy: 'remove', outlierFactor: 3 },
    });
    expect(removed).toHaveLength(99);
    expect(removed).not.toContain(1441);
    expect(transformKayentaMetric(values, keep)).toHaveLength(100);
  });
});

describe('effect sizes', () => {
  it.each([
    // control, experiment → CLES (Kayenta StatisticSuite semantics: P(x > y) + ½P(tie))
    [[1, 2, 3], [1, 2, 3], 0.5],
    [[4, 5, 6], [1, 2, 3], 0],
    [[1, 2, 3], [4, 5, 6], 1],
  ])('CLES of control %j, experiment %j is %d', (control, experiment, expected) => {
    expect(cles(control, experiment)).toBe(expected);
  });

  it('mean ratio is NaN when either mean is 0', () => {
    expect(meanRatio([0, 0], [1, 2])).toBeNaN();
    expect(meanRatio([1, 3], [2, 6])).toBe(2);
  });
});
