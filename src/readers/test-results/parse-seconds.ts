import { plausibleDurationMs } from './reader-limits.ts';

/**
 * Seconds as written in a `time` attribute to milliseconds; undefined when absent, not a number
 * or beyond `readerLimits.durationMs` (7 days).
 */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().replace(/,/g, '');
  if (trimmed === '' || !/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const seconds = Number(trimmed);
  return Number.isFinite(seconds)
    ? plausibleDurationMs(Math.round(seconds * 1_000_000) / 1_000)
    : undefined;
}
