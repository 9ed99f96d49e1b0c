import { dayMs } from '../../lib/time.ts';

/** How `candor dora --by` cuts a window: calendar weeks (Monday 00:00 UTC) or months (UTC). */
export const doraPeriods = ['week', 'month'] as const;
export type DoraPeriod = (typeof doraPeriods)[number];

/**
 * The calendar weeks (starting Monday 00:00 UTC) or months (the 1st, 00:00 UTC) that overlap
 * `from`..`to` (epoch milliseconds, both included), oldest first, each clipped to the window:
 * `to` of one period is 1 ms before the next one starts, so no instant is in two. Empty when
 * `to` is before `from`. Pure; never throws.
 */
export function splitPeriods(
  window: { from: number; to: number },
  by: DoraPeriod,
): { from: number; to: number }[] {
  const periods: { from: number; to: number }[] = [];
  if (window.to < window.from) return periods;
  for (let start = startOf(window.from, by); start <= window.to;) {
    const next = nextStart(start, by);
    periods.push({ from: Math.max(start, window.from), to: Math.min(next - 1, window.to) });
    start = next;
  }
  return periods;
}

function startOf(at: number, by: DoraPeriod): number {
  const date = new Date(at);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (by === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return day - ((date.getUTCDay() + 6) % 7) * dayMs;
}

function nextStart(start: number, by: DoraPeriod): number {
  if (by === 'week') return start + 7 * dayMs;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
