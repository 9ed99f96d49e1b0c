import { compareText } from '../lib/compare-text.ts';
import { median } from '../lib/stats.ts';

/**
 * Seconds per unit: the median of its `lastRuns` most recent samples (by start time; ties by run
 * id). Units with no sample are absent. Never throws.
 */
export function estimateDurations(
  samples: readonly { unit: string; runId: string; startedAt: string; durationMs: number }[],
  lastRuns: number,
): Map<string, number> {
  const byUnit = new Map<string, { startedAt: string; runId: string; durationMs: number }[]>();
  for (const sample of samples) {
    const list = byUnit.get(sample.unit) ?? [];
    list.push(sample);
    byUnit.set(sample.unit, list);
  }
  const estimates = new Map<string, number>();
  for (const [unit, list] of byUnit) {
    list.sort((a, b) => compareText(b.startedAt, a.startedAt) || compareText(a.runId, b.runId));
    estimates.set(unit, median(list.slice(0, lastRuns).map((s) => s.durationMs / 1_000)));
  }
  return estimates;
}
