import { describe, expect, it } from 'vitest';
import { decideMetric, percent, signedPercent } from './decide-metric.ts';

const detectable = { increase: 0.05, decrease: 0.05 };

describe('decideMetric', () => {
  it.each([
    // estimate, low, high, direction → result
    [0.3, 0.2, 0.4, 'increase', 'fail'],
    [0.05, 0.01, 0.09, 'increase', 'pass'], // significant but within the threshold
    [0.12, 0.01, 0.2, 'increase', 'fail'],
    [0.08, 0.01, 0.15, 'increase', 'inconclusive'], // real, below θ, but θ not excluded
    [-0.3, -0.4, -0.2, 'increase', 'pass'], // an improvement
    [-0.3, -0.4, -0.2, 'decrease', 'fail'],
    [-0.3, -0.4, -0.2, 'either', 'fail'],
    [0.3, 0.2, 0.4, 'decrease', 'pass'], // a rise is not bad for this metric
    [0.0, -0.05, 0.05, 'either', 'pass'],
    [0.0, -0.15, 0.05, 'either', 'inconclusive'],
  ] as const)(
    'estimate %d in [%d, %d], direction %s → %s (θ = 10%)',
    (estimate, low, high, direction, expected) => {
      const decision = decideMetric({ estimate, low, high }, detectable, 0.1, direction, 0.99);
      expect(decision.result).toBe(expected);
    },
  );

  it('is inconclusive, with the detectable effect, when the data cannot detect the threshold', () => {
    const decision = decideMetric(
      { estimate: 0, low: -0.05, high: 0.05 },
      { increase: 0.25, decrease: 0.2 },
      0.1,
      'increase',
      0.99,
    );
    expect(decision).toMatchObject({
      result: 'inconclusive',
      isUnderpowered: true,
      minimumDetectableEffect: 0.25,
    });
    expect(decision.reason).toContain('25%');
  });

  it('still fails an underpowered metric whose change is clearly beyond the threshold', () => {
    const decision = decideMetric(
      { estimate: 2, low: 0.5, high: 5 },
      { increase: 3, decrease: 0.9 },
      0.1,
      'increase',
      0.99,
    );
    expect(decision.result).toBe('fail');
  });

  it('is inconclusive on infinite or unknown bounds', () => {
    const decision = decideMetric(
      { estimate: Number.NaN, low: -1, high: Number.POSITIVE_INFINITY },
      { increase: Number.POSITIVE_INFINITY, decrease: 1 },
      0.5,
      'increase',
      0.99,
    );
    expect(decision.result).toBe('inconclusive');
    expect(decision.reason).toContain('any size');
  });
});

describe('percent', () => {
  it.each([
    [0.1234, '12%'],
    [0.05, '5.0%'],
    [Number.POSITIVE_INFINITY, '∞'],
  ])('formats %d as %s', (value, text) => expect(percent(value)).toBe(text));

  it('signs changes', () => {
    expect(signedPercent(-0.05)).toBe('−5.0%');
    expect(signedPercent(0.5)).toBe('+50%');
    expect(signedPercent(Number.NaN)).toBe('n/a');
  });
});
