import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.ts';
import { computeCiHealth, type CiRun } from './compute-ci-health.ts';

const t0 = Date.parse('2026-11-02T00:00:00.000Z');
const hour = 3_600_000;

function run(id: string, hours: number, failing: string[], extra: Partial<CiRun> = {}): CiRun {
  return {
    id,
    repo: 'acme/shop',
    commit: `c-${id}`,
    job: 'test',
    attempt: null,
    startedAt: t0 + hours * hour,
    testDurationMs: 60_000,
    failingTests: failing,
    retriedTests: 0,
    retriedTestMs: 0,
    ...extra,
  };
}

/**
 * Known red periods: 1 → 3 h (two red runs), 5 → 5.5 h (fixed by a re-run of the same commit),
 * 6 → 7 h (the lint job stays red while the test job goes green), and 10 h → open at 13 h.
 */
const history: CiRun[] = [
  run('r1', 0, [], { retriedTests: 2, retriedTestMs: 30_000 }),
  run('r2', 1, ['shop::a']),
  run('r3', 2, ['shop::b', 'shop::a']),
  run('r4', 3, []),
  run('r5', 5, ['shop::c'], { commit: 'c5', attempt: '1' }),
  run('r6', 5.5, [], { commit: 'c5', attempt: '2', testDurationMs: 90_000 }),
  run('r7', 6, ['lint::l'], { job: 'lint' }),
  run('r8', 6.25, []),
  run('r9', 7, [], { job: 'lint' }),
  run('r10', 10, ['shop::d']),
];
const now = t0 + 13 * hour;

describe('computeCiHealth', () => {
  it('measures each red episode from its first red run to the run that made the branch green', () => {
    const health = computeCiHealth(history, { now, worst: 5 });
    expect(health.runs).toBe(10);
    expect(health.redRuns).toBe(5);
    expect(health.red.episodes).toBe(4);
    // Closed: 1,800 s, 3,600 s, 7,200 s; type 7: p50 3,600, p90 3,600 + 0.8 × 3,600.
    expect(health.red.p50Seconds).toBe(3600);
    expect(health.red.p90Seconds).toBe(6480);
    expect(health.red.worst.map((e) => [e.start, e.end, e.durationSeconds])).toEqual([
      ['2026-11-02T01:00:00.000Z', '2026-11-02T03:00:00.000Z', 7200],
      ['2026-11-02T06:00:00.000Z', '2026-11-02T07:00:00.000Z', 3600],
      ['2026-11-02T05:00:00.000Z', '2026-11-02T05:30:00.000Z', 1800],
    ]);
    expect(health.red.worst[0]).toMatchObject({
      firstFailingRun: 'r2',
      firstFailingCommit: 'c-r2',
      fixingRun: 'r4',
      fixingCommit: 'c-r4',
      redRuns: 2,
      failingTests: ['shop::a', 'shop::b'],
      failingTestCount: 2,
      open: false,
    });
    expect(health.red.open).toEqual([
      {
        start: '2026-11-02T10:00:00.000Z',
        end: null,
        durationSeconds: 10_800,
        open: true,
        firstFailingRun: 'r10',
        firstFailingCommit: 'c-r10',
        fixingRun: null,
        fixingCommit: null,
        redRuns: 1,
        failingTests: ['shop::d'],
        failingTestCount: 1,
      },
    ]);
  });

  it('counts re-runs of a job on the same commit and in-run test retries with their minutes', () => {
    expect(computeCiHealth(history, { now }).retries).toEqual({
      rerunJobs: 1,
      reruns: 1,
      passedOnRerun: 1,
      rerunMinutes: 1.5,
      retriedTests: 2,
      retriedTestMinutes: 0.5,
      totalMinutes: 2,
    });
  });

  it('gives the same answer whatever order the runs were ingested in', () => {
    const expected = computeCiHealth(history, { now });
    const random = seededRandom(7);
    for (let i = 0; i < 5; i++) {
      const shuffled = [...history].sort(() => random() - 0.5);
      expect(computeCiHealth(shuffled, { now })).toEqual(expected);
    }
  });

  it('lists only the worst N and has no percentiles without a closed episode', () => {
    expect(computeCiHealth(history, { now, worst: 1 }).red.worst).toHaveLength(1);
    const onlyOpen = computeCiHealth([run('x', 0, ['t'])], { now: t0 + hour });
    expect(onlyOpen.red).toMatchObject({ episodes: 1, p50Seconds: null, p90Seconds: null });
    expect(onlyOpen.red.open[0]?.durationSeconds).toBe(3600);
    expect(computeCiHealth([], { now }).red.episodes).toBe(0);
  });
});
