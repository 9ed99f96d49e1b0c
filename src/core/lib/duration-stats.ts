/** Durations in seconds: median (mean of the two middle values for an even count), p90, mean, count. */
export type DurationStats = {
  median: number | null;
  p90: number | null;
  mean: number | null;
  count: number;
};

/**
 * Summarises durations in seconds. p90 interpolates linearly between the closest ranks
 * (numpy's default, "type 7"). All values null for no samples. Never throws.
 */
export function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) return { median: null, p90: null, mean: null, count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
    count: sorted.length,
  };
}

/** Linear interpolation between closest ranks on sorted values (type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
