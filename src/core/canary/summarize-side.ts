import type { CountValues } from './canary-input.ts';
import type { SideSummary } from './canary-report.ts';

/** What one side of a count metric holds: intervals with data, events, total, pooled rate. */
export function summarizeCounts(values: CountValues | undefined): SideSummary {
  let intervals = 0;
  let events = 0;
  let total = 0;
  for (let i = 0; i < (values?.events.length ?? 0); i++) {
    const e = values?.events[i];
    const n = values?.total[i];
    if (typeof e !== 'number' || typeof n !== 'number') continue;
    intervals++;
    events += e;
    total += n;
  }
  return { intervals, events, total, rate: total > 0 ? events / total : null };
}

/** What one side of a distribution/gauge holds: finite values, missing (null/NaN), mean, range. */
export function summarizeValues(values: readonly (number | null)[] | undefined): SideSummary {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values ?? []) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const missing = (values?.length ?? 0) - count;
  return count === 0
    ? { values: 0, missing, mean: null, min: null, max: null }
    : { values: count, missing, mean: sum / count, min, max };
}

/** The canary's aggregate for absolute conditions: its pooled rate, or its mean. */
export function aggregateOf(summary: SideSummary): number | null {
  return 'rate' in summary ? summary.rate : summary.mean;
}

/** True when a side has nothing to judge. */
export function isEmpty(summary: SideSummary): boolean {
  return 'rate' in summary ? summary.intervals === 0 || summary.total === 0 : summary.values === 0;
}
