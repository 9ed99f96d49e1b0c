import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.ts';

describe('formatDuration', () => {
  it.each([
    [480, '8.0 min'],
    [3_599, '60.0 min'],
    [5_400, '1.5 h'],
    [172_799, '48.0 h'],
    [172_800, '2.0 d'],
    [null, '-'],
  ])('writes %s s as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
