import type { SplitQuery } from '../../contracts/queries.ts';
import { estimateDurations } from '../../core/sharding/estimate-durations.ts';
import { splitUnits, type SplitPlan } from '../../core/sharding/split-units.ts';
import type { Store } from '../../store/open-store.ts';
import { findDurationSamples } from '../../store/repositories/tests/test-duration.repository.ts';

/**
 * Balanced shards of `units` from their measured durations (`candor split`): each unit's
 * estimate is the median of its last `query.last` runs in the window ending `now`, and the split
 * is LPT (core/sharding). `store` may be undefined when there is no unit: nothing is read.
 */
export async function planShards(
  store: Store | undefined,
  options: { units: readonly string[]; query: SplitQuery; now: Date },
): Promise<SplitPlan> {
  const { units, query } = options;
  const since = new Date(options.now.getTime() - query.window).toISOString();
  const samples =
    units.length === 0 || store === undefined
      ? []
      : await findDurationSamples(store, { by: query.by, units, since, repo: query.repo });
  const estimates = estimateDurations(samples, query.last);
  return splitUnits(
    units.map((id) => ({ id, seconds: estimates.get(id) })),
    query.shards,
  );
}

/**
 * The measured duration (seconds) of each test key that has history: the median of its last
 * `last` runs in the `window` (ms) ending `now`, as `candor split` estimates it (`candor split
 * durations`, for runners that split by themselves). Keys without history are left out.
 */
export async function measureTestDurations(
  store: Store,
  options: {
    keys: readonly string[];
    window: number;
    last: number;
    repo?: string | undefined;
    now: Date;
  },
): Promise<Map<string, number>> {
  if (options.keys.length === 0) return new Map();
  const since = new Date(options.now.getTime() - options.window).toISOString();
  const samples = await findDurationSamples(store, {
    by: 'test',
    units: options.keys,
    since,
    repo: options.repo,
  });
  return estimateDurations(samples, options.last);
}
