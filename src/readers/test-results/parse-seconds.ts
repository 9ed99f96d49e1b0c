import { plausibleDurationMs } from './reader-limits.ts';

/**
 * Seconds as written in a `time` attribute to milliseconds; undefined when absent, not a number
 * or beyond `readerLimits.durationMs` (7 days).
 */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Most values need neither (a thousands separator, spaces): skip building new strings.
  const trimmed = /[\s,]/.test(value) ? value.trim().replace(/,/g, '') : value;
  if (trimmed === '' || !/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const seconds = Number(trimmed);
  return Number.isFinite(seconds)
    ? plausibleDurationMs(Math.round(seconds * 1_000_000) / 1_000)
    : undefined;
}
