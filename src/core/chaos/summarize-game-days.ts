import type { GameDayRecord } from './game-day-record.ts';

/** The quarter of a date: `2026-11-03` → `2026Q4`. */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}Q${Math.floor((month - 1) / 3) + 1}`;
}

export type QuarterSummary = {
  quarter: string;
  gameDays: number;
  /** Distinct experiments with a game day in the quarter. */
  experimentsRun: number;
  completed: number;
  deviations: number;
  aborted: number;
  findings: number;
  rollbacks: {
    experiment: string;
    date: string;
    durationSeconds: number | null;
    verified: boolean;
  }[];
  /** The median and longest rehearsed rollback time, seconds (null without timed rollbacks). */
  rollbackSecondsMedian: number | null;
  rollbackSecondsMax: number | null;
};

/**
 * Game days per quarter, newest quarter first (or only `quarter` when given): game days,
 * experiments run, deviations found, rollbacks rehearsed and their times. Median: the middle
 * value, the mean of the two middle ones for an even count. Never throws.
 */
export function summarizeGameDays(
  records: readonly GameDayRecord[],
  quarter?: string,
): QuarterSummary[] {
  const byQuarter = new Map<string, GameDayRecord[]>();
  for (const r of records) {
    const q = quarterOf(r.date);
    if (quarter !== undefined && q !== quarter) continue;
    byQuarter.set(q, [...(byQuarter.get(q) ?? []), r]);
  }
  if (quarter !== undefined && !byQuarter.has(quarter)) byQuarter.set(quarter, []);
  return [...byQuarter.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([q, rs]) => {
      const sorted = [...rs].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      const rollbacks = sorted
        .filter((r) => r.rollback?.executed === true)
        .map((r) => ({
          experiment: r.experiment,
          date: r.date,
          durationSeconds: r.rollback?.durationSeconds ?? null,
          verified: r.rollback?.verified === true,
        }));
      const times = rollbacks
        .map((r) => r.durationSeconds)
        .filter((s): s is number => s !== null)
        .sort((a, b) => a - b);
      const mid = Math.floor(times.length / 2);
      const median =
        times.length === 0
          ? null
          : times.length % 2 === 1
            ? times[mid]!
            : (times[mid - 1]! + times[mid]!) / 2;
      return {
        quarter: q,
        gameDays: rs.length,
        experimentsRun: new Set(rs.map((r) => r.experiment)).size,
        completed: rs.filter((r) => r.result.status === 'completed').length,
        deviations: rs.filter((r) => r.result.deviated).length,
        aborted: rs.filter((r) => r.result.status === 'aborted').length,
        findings: rs.reduce((n, r) => n + r.findings.length, 0),
        rollbacks,
        rollbackSecondsMedian: median,
        rollbackSecondsMax: times.at(-1) ?? null,
      };
    });
}
