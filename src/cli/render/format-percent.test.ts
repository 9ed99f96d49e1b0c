import { describe, expect, it } from 'vitest';
import { formatPercent } from './format-percent.ts';

describe('formatPercent', () => {
  it.each([
    [0.0495, '4.95%'],
    [0.005, '0.50%'],
    [1, '100.00%'],
    [0, '0.00%'],
    [null, 'n/a'],
  ])('writes %s as %s', (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });
});
