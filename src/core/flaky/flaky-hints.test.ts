import { describe, expect, it } from 'vitest';
import { flakyHints, type FailureForHints } from './flaky-hints.ts';

const failure = (overrides: Partial<FailureForHints>): FailureForHints => ({
  at: '2026-11-20T10:00:00.000Z',
  durationMs: 120,
  message: 'expected 1',
  variant: null,
  ciJob: 'test',
  ...overrides,
});

describe('flakyHints', () => {
  it('says nothing about fewer than three failures without a seed', () => {
    expect(flakyHints([failure({}), failure({})])).toEqual([]);
  });

  it('points at a CI job that holds most failures', () => {
    const failures = [
      failure({ ciJob: 'shard-3' }),
      failure({ ciJob: 'shard-3' }),
      failure({ ciJob: 'shard-3' }),
      failure({ ciJob: 'shard-1' }),
    ];
    expect(flakyHints(failures)).toContain('75% of failures on CI job shard-3');
  });

  it('points at durations near a common timeout, or timeout messages', () => {
    const near = [5_010, 4_990, 5_000].map((durationMs, i) =>
      failure({ durationMs, at: `2026-11-2${i}T0${i * 4}:00:00.000Z` }),
    );
    expect(flakyHints(near).some((h) => h.includes('about a common timeout'))).toBe(true);
    const said = [1, 2, 3].map((i) =>
      failure({
        durationMs: 300 * i,
        message: 'Timeout 5000ms exceeded',
        at: `2026-11-2${i}T0${i * 4}:00:00.000Z`,
      }),
    );
    expect(flakyHints(said)).toContain('3 of 3 failure messages mention a timeout');
  });

  it('points at the hours of day when failures cluster', () => {
    const failures = [1, 2, 3].map((d) => failure({ at: `2026-11-1${d}T02:${10 + d}:00.000Z` }));
    expect(flakyHints(failures).some((h) => /between \d\d:00 and \d\d:00 UTC/.test(h))).toBe(true);
  });

  it('names the hours only when failures fall on at most three distinct hours', () => {
    const at = (hours: number[]) =>
      hours.map((hour, i) =>
        failure({ at: `2026-11-${10 + i}T${String(hour).padStart(2, '0')}:30:00.000Z` }),
      );
    expect(flakyHints(at([2, 2, 2, 2, 2, 2, 2, 2, 10, 14]))).toContain(
      '80% of failures between 00:00 and 03:00 UTC',
    );
    expect(
      flakyHints(at([2, 2, 2, 2, 2, 2, 2, 2, 10, 14, 18])).some((h) => h.includes('UTC')),
    ).toBe(false);
    expect(flakyHints(at([1, 5, 9])).some((h) => h.includes('UTC'))).toBe(false);
  });

  it('shows a recorded seed, even for one failure', () => {
    expect(flakyHints([failure({ properties: { 'jest.seed': '1234', owner: 'x' } })])).toEqual([
      'failing runs recorded jest.seed=1234: replay with it',
    ]);
  });
});
