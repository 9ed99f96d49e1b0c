import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.ts';
import { splitUnits } from './split-units.ts';

/** Jest/Vitest style: order by a hash of the path, cut into contiguous slices of equal count. */
function hashSplitMakespan(units: { id: string; seconds: number }[], count: number): number {
  const hash = (s: string) =>
    [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const sorted = [...units].sort((a, b) => hash(a.id) - hash(b.id));
  const size = Math.ceil(sorted.length / count);
  let worst = 0;
  for (let i = 0; i < count; i++)
    worst = Math.max(
      worst,
      sorted.slice(i * size, (i + 1) * size).reduce((s, u) => s + u.seconds, 0),
    );
  return worst;
}

function heavyTailed(seed: number, n: number): { id: string; seconds: number }[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    // log-normal(0, 1.5) by Box-Muller
    const z = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    return { id: `tests/file-${String(i).padStart(3, '0')}.test.ts`, seconds: Math.exp(1.5 * z) };
  });
}

describe('splitUnits', () => {
  it('places the longest units first on the least loaded shard', () => {
    const plan = splitUnits(
      [
        { id: 'a', seconds: 10 },
        { id: 'b', seconds: 7 },
        { id: 'c', seconds: 5 },
        { id: 'd', seconds: 4 },
        { id: 'e', seconds: 2 },
      ],
      2,
    );
    expect(plan.shards).toEqual([
      { index: 1, units: ['a', 'd'], estimatedSeconds: 14 },
      { index: 2, units: ['b', 'c', 'e'], estimatedSeconds: 14 },
    ]);
    expect(plan.lowerBoundSeconds).toBe(14);
    expect(plan.knownTimingsRatio).toBe(1);
  });

  it('gives units without history the median of the known ones', () => {
    const plan = splitUnits(
      [{ id: 'a', seconds: 1 }, { id: 'b', seconds: 3 }, { id: 'c', seconds: 9 }, { id: 'new' }],
      2,
    );
    expect(plan.knownTimingsRatio).toBe(0.75);
    expect(plan.shards.flatMap((s) => s.units).sort()).toEqual(['a', 'b', 'c', 'new']);
    expect(plan.shards.reduce((s, x) => s + x.estimatedSeconds, 0)).toBe(16);
  });

  it('splits evenly by count when no unit has history', () => {
    const plan = splitUnits(
      ['f', 'b', 'd', 'a', 'e', 'c', 'g'].map((id) => ({ id })),
      3,
    );
    expect(plan.shards.map((s) => s.units)).toEqual([
      ['a', 'd', 'g'],
      ['b', 'e'],
      ['c', 'f'],
    ]);
    expect(plan).toMatchObject({ lowerBoundSeconds: 0, knownTimingsRatio: 0 });
  });

  it('leaves no shard empty when there are at least as many units as shards, even at zero seconds', () => {
    const plan = splitUnits(
      ['a', 'b', 'c'].map((id) => ({ id, seconds: 0 })),
      3,
    );
    expect(plan.shards.map((s) => s.units.length)).toEqual([1, 1, 1]);
  });

  it('is deterministic whatever the input order, and drops repeated units', () => {
    const units = heavyTailed(3, 50);
    const a = splitUnits(units, 4);
    const b = splitUnits([...units].reverse().concat(units.slice(0, 5)), 4);
    expect(b).toEqual(a);
  });

  it.each([1, 2, 3, 4, 5])(
    'stays within 5 percent of the lower bound on heavy-tailed timings (seed %i)',
    (seed) => {
      const units = heavyTailed(seed, 300);
      const plan = splitUnits(units, 8);
      const makespan = Math.max(...plan.shards.map((s) => s.estimatedSeconds));
      expect(makespan / plan.lowerBoundSeconds).toBeLessThanOrEqual(1.05);
      // and beats the hash split that Jest and Vitest use
      expect(hashSplitMakespan(units, 8)).toBeGreaterThan(makespan);
    },
  );
});
