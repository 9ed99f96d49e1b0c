import { describe, expect, it } from 'vitest';
import { round } from './round.ts';

describe('round', () => {
  it.each([
    [2 / 3, 3, 0.667],
    [1 / 3, 6, 0.333333],
    [0.0005, 3, 0.001],
    [-0.0005, 3, -0],
    [1_500.123_4, 3, 1_500.123],
    [12, 0, 12],
    [0.1 + 0.2, 6, 0.3],
  ])('rounds %d to %i places as %d', (value, digits, expected) => {
    expect(round(value, digits)).toBe(expected);
  });

  it('gives what Math.round at the same scale gives (what the callers used to write inline)', () => {
    for (let i = 0; i < 1_000; i++) {
      const value = (i * 7_919) / 1_237;
      expect(round(value, 6)).toBe(Math.round(value * 1e6) / 1e6);
      expect(round(value, 3)).toBe(Math.round(value * 1000) / 1000);
    }
  });
});
