import { compareText } from '../lib/compare-text.ts';
import { round } from '../lib/round.ts';
import { median } from '../lib/stats.ts';

/** A unit to place on a shard: a file path or a test key, with its estimated duration if known. */
export type SplitUnit = { id: string; seconds?: number | undefined };

export type Shard = {
  /** 1-based, as `--shard=i/n` in Jest, Vitest and Playwright. */
  index: number;
  units: string[];
  estimatedSeconds: number;
};

export type SplitPlan = {
  shards: Shard[];
  /** max(total ÷ shards, longest unit): no split can finish sooner. */
  lowerBoundSeconds: number;
  /** Share of units whose duration came from history (0..1). */
  knownTimingsRatio: number;
};

/**
 * Splits units into `count` shards, longest processing time first (LPT): units sorted by
 * estimated duration, longest first (ties by id), each to the shard with the least estimated
 * time (ties: fewer units, then lower index). A unit without a duration gets the median of the
 * known ones; with no duration known at all, every unit weighs the same, which is an even split
 * by count. No shard is empty when there are at least `count` units. Deterministic; never throws
 * for valid input (count >= 1).
 */
export function splitUnits(units: readonly SplitUnit[], count: number): SplitPlan {
  const unique = [...new Map(units.map((u) => [u.id, u])).values()];
  const known = unique
    .map((u) => u.seconds)
    .filter((s): s is number => s !== undefined && Number.isFinite(s) && s >= 0);
  const fallback = known.length > 0 ? median(known) : 1;
  const weighted = unique.map((u) => ({
    id: u.id,
    seconds:
      u.seconds !== undefined && Number.isFinite(u.seconds) && u.seconds >= 0
        ? u.seconds
        : fallback,
  }));
  weighted.sort((a, b) => b.seconds - a.seconds || compareText(a.id, b.id));

  const shards: Shard[] = Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    units: [],
    estimatedSeconds: 0,
  }));
  for (const unit of weighted) {
    let best = shards[0] as Shard;
    for (const shard of shards) {
      if (
        shard.estimatedSeconds < best.estimatedSeconds ||
        (shard.estimatedSeconds === best.estimatedSeconds && shard.units.length < best.units.length)
      ) {
        best = shard;
      }
    }
    best.units.push(unit.id);
    best.estimatedSeconds += unit.seconds;
  }
  const noTimings = known.length === 0;
  const total = weighted.reduce((sum, u) => sum + u.seconds, 0);
  const longest = weighted[0]?.seconds ?? 0;
  for (const shard of shards) {
    shard.estimatedSeconds = noTimings ? 0 : round(shard.estimatedSeconds, 3);
  }
  return {
    shards,
    lowerBoundSeconds: noTimings ? 0 : round(Math.max(total / count, longest), 3),
    knownTimingsRatio: unique.length === 0 ? 0 : round(known.length / unique.length, 4),
  };
}
