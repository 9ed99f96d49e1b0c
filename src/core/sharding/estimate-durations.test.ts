import { describe, expect, it } from 'vitest';
import { estimateDurations } from './estimate-durations.ts';

describe('estimateDurations', () => {
  it('takes the median of the most recent samples of each unit, in seconds', () => {
    const samples = [
      { unit: 'a', runId: 'r1', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 100_000 },
      { unit: 'a', runId: 'r2', startedAt: '2026-01-02T00:00:00.000Z', durationMs: 2_000 },
      { unit: 'a', runId: 'r3', startedAt: '2026-01-03T00:00:00.000Z', durationMs: 4_000 },
      { unit: 'a', runId: 'r4', startedAt: '2026-01-04T00:00:00.000Z', durationMs: 3_000 },
      { unit: 'b', runId: 'r1', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 500 },
    ];
    expect(estimateDurations(samples, 3)).toEqual(
      new Map([
        ['a', 3],
        ['b', 0.5],
      ]),
    );
    expect(estimateDurations(samples, 4).get('a')).toBe(3.5);
  });
});
