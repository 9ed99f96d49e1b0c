import { describe, expect, it } from 'vitest';
import { implausibleTime } from './plausible-time.ts';

describe('implausibleTime', () => {
  const receivedAt = '2026-11-20T10:00:00.000Z';
  it.each([
    ['1970-01-01T00:00:00.000Z', undefined],
    ['2026-11-21T10:00:00.000Z', undefined],
    ['1969-12-31T23:59:59.999Z', 'outside'],
    ['2026-11-21T10:00:00.001Z', 'outside'],
    ['9999-01-01T00:00:00.000Z', 'outside'],
  ])('judges %s', (iso, expected) => {
    const problem = implausibleTime('at', iso, receivedAt);
    if (expected === undefined) expect(problem).toBeUndefined();
    else
      expect(problem).toBe(
        `at: ${iso} is outside the accepted range 1970-01-01T00:00:00.000Z to 2026-11-21T10:00:00.000Z (at most 24 h after candor received it)`,
      );
  });
});
